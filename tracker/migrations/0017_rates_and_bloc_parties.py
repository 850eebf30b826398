"""A value may be a rate (per year, per month) rather than the total of its period; the units
"per month" and "per year" become that rate. Only an exact or approximate total counts toward
totals, for every metric: a bound ("surpassing 30 %"), a range or a rate cannot be added up.
Parties may be blocs (the Eurasian Economic Union, the EU, the SCO, BRICS), whose acronyms are
longer than a state's three letters.

A row that breaks the counting rule stops counting here, before the database is told to refuse
it; the claim, its value and its citations stay as they were.
"""

from django.db import migrations, models

RATE_UNITS = ["per_month", "per_year"]
SUMMABLE_QUALIFIERS = ["exact", "about"]
BLOCS = [
    ("EAEU", "Eurasian Economic Union"),
    ("EU", "European Union"),
    ("SCO", "Shanghai Cooperation Organisation"),
    ("BRICS", "BRICS"),
]


def units_become_rates(apps, schema_editor):
    """A unit "per month" said how often, not how much: the value is a count of ones per month.
    A delivery has no rate; its value stays, counted in ones."""
    TradeRecord = apps.get_model("tracker", "TradeRecord")
    Delivery = apps.get_model("tracker", "Delivery")
    for unit in RATE_UNITS:
        TradeRecord.objects.filter(unit=unit).update(unit="one", rate=unit)
    Delivery.objects.filter(value_unit__in=RATE_UNITS).update(value_unit="one")
    TradeRecord.objects.filter(counts_toward_totals=True).exclude(
        qualifier__in=SUMMABLE_QUALIFIERS, rate=""
    ).update(counts_toward_totals=False)


def add_blocs(apps, schema_editor):
    Party = apps.get_model("tracker", "Party")
    for code, name in BLOCS:
        Party.objects.update_or_create(code=code, defaults={"name": name, "is_bloc": True})


def remove_blocs(apps, schema_editor):
    apps.get_model("tracker", "Party").objects.filter(code__in=[c for c, _ in BLOCS]).delete()
    # The deletion's foreign-key checks are deferred; PostgreSQL alters no table they touch
    # while they are pending, and the next step shortens the party code.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0016_delivered_more_than_ordered_message"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="delivery",
            name="delivery_value_unit_valid",
        ),
        migrations.RemoveConstraint(
            model_name="traderecord",
            name="trade_metric_valid",
        ),
        migrations.RemoveConstraint(
            model_name="traderecord",
            name="trade_unit_valid",
        ),
        migrations.RemoveConstraint(
            model_name="traderecord",
            name="trade_counted_value_is_summable",
        ),
        migrations.AddField(
            model_name="historicalparty",
            name="is_bloc",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="A union or grouping of states, not a state.",
            ),
        ),
        migrations.AddField(
            model_name="historicaltraderecord",
            name="rate",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "total for the period"),
                    ("per_month", "per month"),
                    ("per_year", "per year"),
                ],
                db_default="",
                default="",
                help_text="Per year or per month when the source gives a rate; empty for a total.",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="is_bloc",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="A union or grouping of states, not a state.",
            ),
        ),
        migrations.AddField(
            model_name="traderecord",
            name="rate",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "total for the period"),
                    ("per_month", "per month"),
                    ("per_year", "per year"),
                ],
                db_default="",
                default="",
                help_text="Per year or per month when the source gives a rate; empty for a total.",
                max_length=9,
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="value_unit",
            field=models.CharField(
                blank=True,
                choices=[
                    ("one", "units"),
                    ("thousand", "thousand"),
                    ("million", "million"),
                    ("billion", "billion"),
                    ("percent", "per cent"),
                    ("per_barrel", "per barrel"),
                    ("tonne", "tonnes"),
                    ("barrel_per_day", "barrels per day"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelivery",
            name="value_unit",
            field=models.CharField(
                blank=True,
                choices=[
                    ("one", "units"),
                    ("thousand", "thousand"),
                    ("million", "million"),
                    ("billion", "billion"),
                    ("percent", "per cent"),
                    ("per_barrel", "per barrel"),
                    ("tonne", "tonnes"),
                    ("barrel_per_day", "barrels per day"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="historicalparty",
            name="code",
            field=models.CharField(
                help_text="A state's ISO 3166-1 alpha-3 code (IND), or a bloc's usual acronym (EAEU).",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltraderecord",
            name="metric",
            field=models.CharField(
                choices=[
                    ("value", "Trade value"),
                    ("share", "Share"),
                    ("price", "Price or discount"),
                    ("savings", "Savings"),
                    ("volume", "Volume"),
                    ("assets", "Assets acquired"),
                ],
                default="value",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltraderecord",
            name="unit",
            field=models.CharField(
                choices=[
                    ("one", "units"),
                    ("thousand", "thousand"),
                    ("million", "million"),
                    ("billion", "billion"),
                    ("percent", "per cent"),
                    ("per_barrel", "per barrel"),
                    ("tonne", "tonnes"),
                    ("barrel_per_day", "barrels per day"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="code",
            field=models.CharField(
                help_text="A state's ISO 3166-1 alpha-3 code (IND), or a bloc's usual acronym (EAEU).",
                max_length=5,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="traderecord",
            name="metric",
            field=models.CharField(
                choices=[
                    ("value", "Trade value"),
                    ("share", "Share"),
                    ("price", "Price or discount"),
                    ("savings", "Savings"),
                    ("volume", "Volume"),
                    ("assets", "Assets acquired"),
                ],
                default="value",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="traderecord",
            name="unit",
            field=models.CharField(
                choices=[
                    ("one", "units"),
                    ("thousand", "thousand"),
                    ("million", "million"),
                    ("billion", "billion"),
                    ("percent", "per cent"),
                    ("per_barrel", "per barrel"),
                    ("tonne", "tonnes"),
                    ("barrel_per_day", "barrels per day"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(units_become_rates, migrations.RunPython.noop),
        migrations.RunPython(add_blocs, remove_blocs),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("value_unit", ""),
                    (
                        "value_unit__in",
                        [
                            "one",
                            "thousand",
                            "million",
                            "billion",
                            "percent",
                            "per_barrel",
                            "tonne",
                            "barrel_per_day",
                        ],
                    ),
                    _connector="OR",
                ),
                name="delivery_value_unit_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("metric__in", ["value", "share", "price", "savings", "volume", "assets"])
                ),
                name="trade_metric_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "unit__in",
                        [
                            "one",
                            "thousand",
                            "million",
                            "billion",
                            "percent",
                            "per_barrel",
                            "tonne",
                            "barrel_per_day",
                        ],
                    )
                ),
                name="trade_unit_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("rate__in", ["", "per_month", "per_year"])),
                name="trade_rate_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("counts_toward_totals", False),
                    models.Q(("qualifier__in", ["exact", "about"]), ("rate", "")),
                    _connector="OR",
                ),
                name="trade_counted_claim_is_summable",
                violation_error_message="Only an exact or approximate total for its period counts toward totals: a bound, a range or a rate (per year, per month) cannot be added up.",
            ),
        ),
    ]

"""A claim of a value that counts toward totals states one figure, exactly or about: the trade
summary adds counted claims up, and a bound ("less than $5 billion") or a range ("$15–20
billion") added up as its lower value would give a total that no source gave.

A counted claim that breaks the rule stops counting here, before the database is told to
refuse it; the claim itself, its value and its citations stay as they were.
"""

from django.db import migrations, models

SUMMABLE_QUALIFIERS = ["exact", "about"]


def stop_counting_bounds_and_ranges(apps, schema_editor):
    TradeRecord = apps.get_model("tracker", "TradeRecord")
    TradeRecord.objects.filter(counts_toward_totals=True, metric="value").exclude(
        qualifier__in=SUMMABLE_QUALIFIERS
    ).update(counts_toward_totals=False)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0012_delivery_postponed_from_unknown")]

    operations = [
        migrations.RunPython(stop_counting_bounds_and_ranges, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.CheckConstraint(
                condition=models.Q(counts_toward_totals=False)
                | ~models.Q(metric="value")
                | models.Q(qualifier__in=SUMMABLE_QUALIFIERS),
                name="trade_counted_value_is_summable",
                violation_error_message=(
                    "Only an exact or approximate value counts toward totals: a bound or a "
                    "range cannot be added up."
                ),
            ),
        ),
    ]

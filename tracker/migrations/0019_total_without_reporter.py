"""A total between two parties may leave its reporter empty when its source does not say whose
statistics it is; an export or an import is always seen from a reporter. Two counted claims of
the same total without reporter are claims of one figure: in the rule that only one counts, an
empty reporter equals another.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0018_aliases_and_trigram_search"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="traderecord",
            name="trade_one_counting_claim_per_figure",
        ),
        migrations.AlterField(
            model_name="historicaltraderecord",
            name="reporter",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="Whose view the flow is; empty for a total whose source does not say whose statistics it is.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.party",
            ),
        ),
        migrations.AlterField(
            model_name="traderecord",
            name="reporter",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose view the flow is; empty for a total whose source does not say whose statistics it is.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="tracker.party",
            ),
        ),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("reporter__isnull", False), ("flow", "total"), _connector="OR"),
                name="trade_reporter_unless_total",
                violation_error_message="Only a total may have no reporter: an export or an import is a reporter's.",
            ),
        ),
        migrations.AddConstraint(
            model_name="traderecord",
            constraint=models.UniqueConstraint(
                models.F("metric"),
                models.F("period_start"),
                models.F("period_end"),
                models.F("reporter"),
                models.F("partner"),
                models.F("flow"),
                models.F("commodity"),
                models.F("hs_code"),
                django.db.models.functions.comparison.Coalesce("sector", models.Value(0)),
                condition=models.Q(("counts_toward_totals", True)),
                name="trade_one_counting_claim_per_figure",
                nulls_distinct=False,
                violation_error_message="Another claim of this figure already counts toward totals.",
            ),
        ),
    ]

"""A delivery postponed by an unknown span is stored, as its slippage is, rather than worked
out with a subquery on every list: lists show how each delivery is late.

Existing deliveries are filled in from their timelines: postponed (an event of kind
``postponed``) with the slippage unknown, as ``derive_schedule`` now says. The history keeps
no entry for that: nothing about the delivery changed, only what is stored of it.
"""

from django.db import migrations, models

FIELD = models.BooleanField(
    "postponed by an unknown span",
    default=False,
    db_default=False,
    editable=False,
    help_text="Postponed, but no source gives the first date, so the slippage is unknown.",
)


def fill_in(apps, schema_editor):
    Delivery = apps.get_model("tracker", "Delivery")
    TimelineEvent = apps.get_model("tracker", "TimelineEvent")
    postponed = TimelineEvent.objects.filter(kind="postponed").values("delivery_id")
    Delivery.objects.filter(slippage_months__isnull=True, pk__in=postponed).update(
        postponed_from_unknown=True
    )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_trade_value_index")]

    operations = [
        migrations.AddField("delivery", "postponed_from_unknown", FIELD),
        migrations.AddField("historicaldelivery", "postponed_from_unknown", FIELD),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(postponed_from_unknown=False)
                | models.Q(slippage_months__isnull=True),
                name="delivery_postponed_from_unknown_has_no_slippage",
                violation_error_message="A delivery postponed by an unknown span has no slippage.",
            ),
        ),
    ]

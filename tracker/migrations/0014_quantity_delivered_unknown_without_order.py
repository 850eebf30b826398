"""The quantity delivered is unknown when the quantity ordered is: it was the sum of the
delivered tranches, so the S-400, whose sources speak of "the remaining two regiments" and
give neither the order nor what came before, read 0 regiments delivered.

Deliveries without a quantity ordered lose the sum here; the history keeps no entry for that,
as nothing the sources say changed. Going back, they get the sum of their delivered tranches
again, and history rows saved in the meantime without one read 0, as they would have then.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

FIELD = models.DecimalField(
    blank=True,
    decimal_places=2,
    editable=False,
    help_text="What the delivered tranches add up to; unknown when the quantity ordered is.",
    max_digits=14,
    null=True,
)


def forget_without_order(apps, schema_editor):
    Delivery = apps.get_model("tracker", "Delivery")
    Delivery.objects.filter(quantity_ordered__isnull=True).update(quantity_delivered=None)


def sum_tranches_again(apps, schema_editor):
    Delivery = apps.get_model("tracker", "Delivery")
    Tranche = apps.get_model("tracker", "Tranche")
    delivered = (
        Tranche.objects.filter(delivery=OuterRef("pk"), actual_date__isnull=False)
        .order_by()
        .values("delivery")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    zero = Value(Decimal(0), output_field=models.DecimalField(max_digits=14, decimal_places=2))
    Delivery.objects.filter(quantity_delivered__isnull=True).update(
        quantity_delivered=Coalesce(Subquery(delivered), zero)
    )
    HistoricalDelivery = apps.get_model("tracker", "HistoricalDelivery")
    HistoricalDelivery.objects.filter(quantity_delivered__isnull=True).update(
        quantity_delivered=Decimal(0)
    )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_counted_value_is_summable")]

    operations = [
        migrations.AlterField("delivery", "quantity_delivered", FIELD),
        migrations.AlterField("historicaldelivery", "quantity_delivered", FIELD),
        migrations.RunPython(forget_without_order, sum_tranches_again),
    ]

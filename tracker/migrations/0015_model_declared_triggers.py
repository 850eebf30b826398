"""The cross-row rules become triggers the models declare (django-pgtrigger): the hand-written
ones of 0002 are dropped, and the same checks come back under the models' names."""

import importlib

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

FIRST_RULES = importlib.import_module("tracker.migrations.0002_cross_row_rules")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0014_quantity_delivered_unknown_without_order"),
    ]

    operations = [
        migrations.RunSQL(FIRST_RULES.BACKWARD, FIRST_RULES.FORWARD),
        pgtrigger.migrations.AddTrigger(
            model_name="delivery",
            trigger=pgtrigger.compiler.Trigger(
                name="delivery_guard",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE ordered numeric; ordered_day date; total numeric;",
                    func="\n  SELECT quantity_ordered, ordered_on INTO ordered, ordered_day\n    FROM tracker_delivery WHERE id = NEW.id;\n  SELECT COALESCE(SUM(quantity), 0) INTO total\n    FROM tracker_tranche WHERE delivery_id = NEW.id;\n  IF ordered IS NOT NULL AND total > ordered THEN\n    RAISE EXCEPTION 'Delivered more than ordered: the tranches add up to more than the quantity ordered. (% > %)', total, ordered USING ERRCODE = 'check_violation';\n  END IF;\n  IF ordered_day IS NOT NULL AND EXISTS (\n      SELECT 1 FROM tracker_tranche t\n       WHERE t.delivery_id = NEW.id AND t.actual_date IS NOT NULL\n         AND ((t.actual_date) + (CASE t.actual_precision WHEN 'year' THEN INTERVAL '12 months' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 months' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date < ordered_day)\n  THEN\n    RAISE EXCEPTION 'A tranche cannot arrive before its delivery was ordered.' USING ERRCODE = 'check_violation';\n  END IF;\n  RETURN NULL;",
                    hash="e3cef7d34c8606fbc447840fa38d2213474675e1",
                    operation='UPDATE OF "quantity_ordered", "ordered_on"',
                    pgid="pgtrigger_delivery_guard_01923",
                    table="tracker_delivery",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="timelineevent",
            trigger=pgtrigger.compiler.Trigger(
                name="event_guard",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (NEW."agreement_id" IS NOT NULL)',
                    func="\n  IF NEW.kind IN ('denounced', 'entered_into_force', 'ratified') AND NEW.party_id IS NOT NULL AND EXISTS (\n      SELECT 1 FROM tracker_timelineevent s\n       WHERE s.agreement_id = NEW.agreement_id AND s.kind = 'signed'\n         AND (s.party_id = NEW.party_id OR s.party_id IS NULL)\n         AND s.date > ((NEW.date) + (CASE NEW.precision WHEN 'year' THEN INTERVAL '12 months' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 months' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date)\n  OR NEW.kind = 'signed' AND EXISTS (\n      SELECT 1 FROM tracker_timelineevent r\n       WHERE r.agreement_id = NEW.agreement_id AND r.kind IN ('denounced', 'entered_into_force', 'ratified')\n         AND (NEW.party_id IS NULL OR r.party_id = NEW.party_id)\n         AND ((r.date) + (CASE r.precision WHEN 'year' THEN INTERVAL '12 months' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 months' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date < NEW.date)\n  THEN\n    RAISE EXCEPTION 'A party cannot ratify, bring into force or denounce before it signed.' USING ERRCODE = 'check_violation';\n  END IF;\n  RETURN NULL;",
                    hash="b6eef7ed1f4f515686a642153235a2789a88c200",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_event_guard_427a9",
                    table="tracker_timelineevent",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="tranche",
            trigger=pgtrigger.compiler.Trigger(
                name="tranche_guard",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE ordered numeric; ordered_day date; total numeric;",
                    func="\n  SELECT quantity_ordered, ordered_on INTO ordered, ordered_day\n    FROM tracker_delivery WHERE id = NEW.delivery_id;\n  SELECT COALESCE(SUM(quantity), 0) INTO total\n    FROM tracker_tranche WHERE delivery_id = NEW.delivery_id;\n  IF ordered IS NOT NULL AND total > ordered THEN\n    RAISE EXCEPTION 'Delivered more than ordered: the tranches add up to more than the quantity ordered. (% > %)', total, ordered USING ERRCODE = 'check_violation';\n  END IF;\n  IF ordered_day IS NOT NULL AND EXISTS (\n      SELECT 1 FROM tracker_tranche t\n       WHERE t.delivery_id = NEW.delivery_id AND t.actual_date IS NOT NULL\n         AND ((t.actual_date) + (CASE t.actual_precision WHEN 'year' THEN INTERVAL '12 months' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 months' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date < ordered_day)\n  THEN\n    RAISE EXCEPTION 'A tranche cannot arrive before its delivery was ordered.' USING ERRCODE = 'check_violation';\n  END IF;\n  RETURN NULL;",
                    hash="46f3b90aa98dad6a00d1808c55f586c005780a8c",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_tranche_guard_02117",
                    table="tracker_tranche",
                    when="AFTER",
                ),
            ),
        ),
    ]

"""Install the cross-row rules as first written: PL/pgSQL triggers on tranches, deliveries and
timeline events. Their SQL is frozen here as it was; 0015 replaces them with the triggers the
models declare (``tracker/models/deliveries.py`` and ``events.py``)."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION tracker_check_delivery_tranches(p_delivery bigint) RETURNS void AS $$
DECLARE
  ordered numeric; ordered_day date; total numeric;
BEGIN
  SELECT quantity_ordered, ordered_on INTO ordered, ordered_day
    FROM tracker_delivery WHERE id = p_delivery;
  SELECT COALESCE(SUM(quantity), 0) INTO total FROM tracker_tranche WHERE delivery_id = p_delivery;
  IF ordered IS NOT NULL AND total > ordered THEN
    RAISE EXCEPTION 'Delivered more than ordered: the tranches add up to more than the quantity ordered. (% > %)', total, ordered USING ERRCODE = 'check_violation';
  END IF;
  IF ordered_day IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_tranche t
       WHERE t.delivery_id = p_delivery AND t.actual_date IS NOT NULL
         AND ((t.actual_date) + (CASE t.actual_precision WHEN 'year' THEN INTERVAL '1 year' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 month' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date < ordered_day)
  THEN
    RAISE EXCEPTION 'A tranche cannot arrive before its delivery was ordered.' USING ERRCODE = 'check_violation';
  END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tracker_tranche_guard() RETURNS trigger AS $$
BEGIN PERFORM tracker_check_delivery_tranches(NEW.delivery_id); RETURN NULL; END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER tracker_tranche_guard AFTER INSERT OR UPDATE ON tracker_tranche
  FOR EACH ROW EXECUTE FUNCTION tracker_tranche_guard();

CREATE OR REPLACE FUNCTION tracker_delivery_guard() RETURNS trigger AS $$
BEGIN PERFORM tracker_check_delivery_tranches(NEW.id); RETURN NULL; END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER tracker_delivery_guard AFTER UPDATE OF quantity_ordered, ordered_on
  ON tracker_delivery FOR EACH ROW EXECUTE FUNCTION tracker_delivery_guard();

CREATE OR REPLACE FUNCTION tracker_event_guard() RETURNS trigger AS $$
BEGIN
  IF NEW.agreement_id IS NULL THEN RETURN NULL; END IF;
  IF NEW.kind IN ('ratified', 'entered_into_force', 'denounced') AND NEW.party_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_timelineevent s
       WHERE s.agreement_id = NEW.agreement_id AND s.kind = 'signed'
         AND (s.party_id = NEW.party_id OR s.party_id IS NULL)
         AND s.date > ((NEW.date) + (CASE NEW.precision WHEN 'year' THEN INTERVAL '1 year' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 month' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date)
  OR NEW.kind = 'signed' AND EXISTS (
      SELECT 1 FROM tracker_timelineevent r
       WHERE r.agreement_id = NEW.agreement_id AND r.kind IN ('ratified', 'entered_into_force', 'denounced')
         AND (NEW.party_id IS NULL OR r.party_id = NEW.party_id)
         AND ((r.date) + (CASE r.precision WHEN 'year' THEN INTERVAL '1 year' WHEN 'quarter' THEN INTERVAL '3 months' WHEN 'month' THEN INTERVAL '1 month' ELSE INTERVAL '1 day' END) - INTERVAL '1 day')::date < NEW.date)
  THEN
    RAISE EXCEPTION 'A party cannot ratify, bring into force or denounce before it signed.' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER tracker_event_guard AFTER INSERT OR UPDATE ON tracker_timelineevent
  FOR EACH ROW EXECUTE FUNCTION tracker_event_guard();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS tracker_event_guard ON tracker_timelineevent;
DROP FUNCTION IF EXISTS tracker_event_guard();
DROP TRIGGER IF EXISTS tracker_delivery_guard ON tracker_delivery;
DROP FUNCTION IF EXISTS tracker_delivery_guard();
DROP TRIGGER IF EXISTS tracker_tranche_guard ON tracker_tranche;
DROP FUNCTION IF EXISTS tracker_tranche_guard();
DROP FUNCTION IF EXISTS tracker_check_delivery_tranches(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

"""Rules that span rows, enforced by triggers so that no path — ORM, raw SQL, bulk load —
can store them broken. Model ``clean()`` methods state the same rules against the field, with
the same messages.

- The tranches of a delivery add up to no more than the quantity ordered.
- No tranche arrives before its delivery was ordered (compared at the tranche's precision).
- A party does not ratify, bring into force or denounce an agreement before signing it.

The models declare these triggers (``Meta.triggers``, django-pgtrigger), and their migrations
hold the SQL as it was generated, so a later change here is a new migration, never a silent
rewrite of an old one.
"""

import pgtrigger

from .db import period_end_sql

AFTER_SIGNATURE = "('ratified', 'entered_into_force', 'denounced')"
TOO_MANY = "Delivered more than ordered: the tranches add up to more than the quantity ordered."
TOO_EARLY = "A tranche cannot arrive before its delivery was ordered."
RATIFIED_EARLY = "A party cannot ratify, bring into force or denounce before it signed."


def _delivery_tranches_check(delivery_id: str) -> str:
    """PL/pgSQL that refuses the tranches of delivery ``delivery_id`` (an SQL expression)
    when they add up to more than was ordered or one arrived before the order."""
    arrived = period_end_sql("t.actual_date", "t.actual_precision")
    return f"""
  SELECT quantity_ordered, ordered_on INTO ordered, ordered_day
    FROM tracker_delivery WHERE id = {delivery_id};
  SELECT COALESCE(SUM(quantity), 0) INTO total
    FROM tracker_tranche WHERE delivery_id = {delivery_id};
  IF ordered IS NOT NULL AND total > ordered THEN
    RAISE EXCEPTION '{TOO_MANY} (% > %)', total, ordered USING ERRCODE = 'check_violation';
  END IF;
  IF ordered_day IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_tranche t
       WHERE t.delivery_id = {delivery_id} AND t.actual_date IS NOT NULL
         AND {arrived} < ordered_day)
  THEN
    RAISE EXCEPTION '{TOO_EARLY}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;"""


_TRANCHE_CHECK_VARIABLES = [("ordered", "numeric"), ("ordered_day", "date"), ("total", "numeric")]


def tranche_guard() -> pgtrigger.Trigger:
    """On ``tracker_tranche``: a new or changed tranche keeps its delivery's rules."""
    return pgtrigger.Trigger(
        name="tranche_guard",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update,
        declare=_TRANCHE_CHECK_VARIABLES,
        func=_delivery_tranches_check("NEW.delivery_id"),
    )


def delivery_guard() -> pgtrigger.Trigger:
    """On ``tracker_delivery``: a changed order (quantity or date) keeps its tranches valid."""
    return pgtrigger.Trigger(
        name="delivery_guard",
        when=pgtrigger.After,
        operation=pgtrigger.UpdateOf("quantity_ordered", "ordered_on"),
        declare=_TRANCHE_CHECK_VARIABLES,
        func=_delivery_tranches_check("NEW.id"),
    )


def event_guard() -> pgtrigger.Trigger:
    """On ``tracker_timelineevent``: no party ratifies (or brings into force, or denounces)
    an agreement before it signed it, whichever of the two events is written last."""
    new_ends = period_end_sql("NEW.date", "NEW.precision")
    ratification_ends = period_end_sql("r.date", "r.precision")
    return pgtrigger.Trigger(
        name="event_guard",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Q(new__agreement__isnull=False),
        func=f"""
  IF NEW.kind IN {AFTER_SIGNATURE} AND NEW.party_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_timelineevent s
       WHERE s.agreement_id = NEW.agreement_id AND s.kind = 'signed'
         AND (s.party_id = NEW.party_id OR s.party_id IS NULL)
         AND s.date > {new_ends})
  OR NEW.kind = 'signed' AND EXISTS (
      SELECT 1 FROM tracker_timelineevent r
       WHERE r.agreement_id = NEW.agreement_id AND r.kind IN {AFTER_SIGNATURE}
         AND (NEW.party_id IS NULL OR r.party_id = NEW.party_id)
         AND {ratification_ends} < NEW.date)
  THEN
    RAISE EXCEPTION '{RATIFIED_EARLY}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;""",
    )

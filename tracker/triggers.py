"""Rules that span rows, enforced by triggers so that no path — ORM, raw SQL, bulk load —
can store them broken. Model ``clean()`` methods state the same rules against the field.

- The tranches of a delivery add up to no more than the quantity ordered.
- No tranche arrives before its delivery was ordered (compared at the tranche's precision).
- A party does not ratify, bring into force or denounce an agreement before signing it.

Installation is idempotent. On SQLite, Django alters a table by rebuilding it, which drops its
triggers, so ``install`` runs again after every ``migrate`` (see ``TrackerConfig.ready``).
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from .db import period_end_sql
from .models.deliveries import TOO_EARLY, TOO_MANY
from .models.events import RATIFIED_EARLY

MIGRATION = ("tracker", "0002_cross_row_rules")
TABLES = {"tracker_delivery", "tracker_tranche", "tracker_timelineevent"}

AFTER_SIGNATURE = "('ratified', 'entered_into_force', 'denounced')"


def postgres_sql() -> tuple[str, str]:
    def pe(d, p):
        return period_end_sql("postgresql", d, p)

    forward = f"""
CREATE OR REPLACE FUNCTION tracker_check_delivery_tranches(p_delivery bigint) RETURNS void AS $$
DECLARE
  ordered numeric; ordered_day date; total numeric;
BEGIN
  SELECT quantity_ordered, ordered_on INTO ordered, ordered_day
    FROM tracker_delivery WHERE id = p_delivery;
  SELECT COALESCE(SUM(quantity), 0) INTO total FROM tracker_tranche WHERE delivery_id = p_delivery;
  IF ordered IS NOT NULL AND total > ordered THEN
    RAISE EXCEPTION '{TOO_MANY} (% > %)', total, ordered USING ERRCODE = 'check_violation';
  END IF;
  IF ordered_day IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_tranche t
       WHERE t.delivery_id = p_delivery AND t.actual_date IS NOT NULL
         AND {pe("t.actual_date", "t.actual_precision")} < ordered_day)
  THEN
    RAISE EXCEPTION '{TOO_EARLY}' USING ERRCODE = 'check_violation';
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
  IF NEW.kind IN {AFTER_SIGNATURE} AND NEW.party_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM tracker_timelineevent s
       WHERE s.agreement_id = NEW.agreement_id AND s.kind = 'signed'
         AND (s.party_id = NEW.party_id OR s.party_id IS NULL)
         AND s.date > {pe("NEW.date", "NEW.precision")})
  OR NEW.kind = 'signed' AND EXISTS (
      SELECT 1 FROM tracker_timelineevent r
       WHERE r.agreement_id = NEW.agreement_id AND r.kind IN {AFTER_SIGNATURE}
         AND (NEW.party_id IS NULL OR r.party_id = NEW.party_id)
         AND {pe("r.date", "r.precision")} < NEW.date)
  THEN
    RAISE EXCEPTION '{RATIFIED_EARLY}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER tracker_event_guard AFTER INSERT OR UPDATE ON tracker_timelineevent
  FOR EACH ROW EXECUTE FUNCTION tracker_event_guard();
"""
    backward = """
DROP TRIGGER IF EXISTS tracker_event_guard ON tracker_timelineevent;
DROP FUNCTION IF EXISTS tracker_event_guard();
DROP TRIGGER IF EXISTS tracker_delivery_guard ON tracker_delivery;
DROP FUNCTION IF EXISTS tracker_delivery_guard();
DROP TRIGGER IF EXISTS tracker_tranche_guard ON tracker_tranche;
DROP FUNCTION IF EXISTS tracker_tranche_guard();
DROP FUNCTION IF EXISTS tracker_check_delivery_tranches(bigint);
"""
    return forward, backward


def sqlite_triggers() -> dict[str, str]:
    """Trigger name → ``ON … WHEN …`` clause; each aborts with its message."""

    def pe(d, p):
        return period_end_sql("sqlite", d, p)

    tranche_total = (
        "(SELECT quantity_ordered FROM tracker_delivery WHERE id = NEW.delivery_id)"
        " < (SELECT SUM(quantity) FROM tracker_tranche WHERE delivery_id = NEW.delivery_id)"
    )
    tranche_early = (
        f"NEW.actual_date IS NOT NULL AND {pe('NEW.actual_date', 'NEW.actual_precision')}"
        " < (SELECT ordered_on FROM tracker_delivery WHERE id = NEW.delivery_id)"
    )
    ratified_early = (
        f"NEW.agreement_id IS NOT NULL AND NEW.kind IN {AFTER_SIGNATURE}"
        " AND NEW.party_id IS NOT NULL AND EXISTS (SELECT 1 FROM tracker_timelineevent s"
        " WHERE s.agreement_id = NEW.agreement_id AND s.kind = 'signed'"
        " AND (s.party_id = NEW.party_id OR s.party_id IS NULL)"
        f" AND s.date > {pe('NEW.date', 'NEW.precision')})"
    )
    signed_late = (
        "NEW.agreement_id IS NOT NULL AND NEW.kind = 'signed' AND EXISTS ("
        "SELECT 1 FROM tracker_timelineevent r WHERE r.agreement_id = NEW.agreement_id"
        f" AND r.kind IN {AFTER_SIGNATURE} AND (NEW.party_id IS NULL OR r.party_id = NEW.party_id)"
        f" AND {pe('r.date', 'r.precision')} < NEW.date)"
    )
    triggers = {}
    for action in ("INSERT", "UPDATE"):
        low = action.lower()
        triggers[f"tracker_tranche_total_{low}"] = (
            f"{action} ON tracker_tranche",
            tranche_total,
            TOO_MANY,
        )
        triggers[f"tracker_tranche_early_{low}"] = (
            f"{action} ON tracker_tranche",
            tranche_early,
            TOO_EARLY,
        )
        triggers[f"tracker_ratified_early_{low}"] = (
            f"{action} ON tracker_timelineevent",
            ratified_early,
            RATIFIED_EARLY,
        )
        triggers[f"tracker_signed_late_{low}"] = (
            f"{action} ON tracker_timelineevent",
            signed_late,
            RATIFIED_EARLY,
        )
    triggers["tracker_delivery_total"] = (
        "UPDATE OF quantity_ordered ON tracker_delivery",
        "NEW.quantity_ordered"
        " < (SELECT SUM(quantity) FROM tracker_tranche WHERE delivery_id = NEW.id)",
        TOO_MANY,
    )
    triggers["tracker_delivery_order_date"] = (
        "UPDATE OF ordered_on ON tracker_delivery",
        "EXISTS (SELECT 1 FROM tracker_tranche t WHERE t.delivery_id = NEW.id"
        f" AND t.actual_date IS NOT NULL AND {pe('t.actual_date', 't.actual_precision')}"
        " < NEW.ordered_on)",
        TOO_EARLY,
    )
    return {
        name: f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {on} WHEN {when}"
        f" BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        for name, (on, when, message) in triggers.items()
    }


def _execute(connection: BaseDatabaseWrapper, statements) -> None:
    # A cursor without parameters, so that '%' in PL/pgSQL is not read as a placeholder.
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        _execute(connection, [postgres_sql()[0]])
    elif connection.vendor == "sqlite":
        _execute(connection, sqlite_triggers().values())
    else:
        raise NotImplementedError(f"No cross-row rules for {connection.vendor}.")


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        _execute(connection, [postgres_sql()[1]])
    else:
        _execute(connection, [f"DROP TRIGGER IF EXISTS {name};" for name in sqlite_triggers()])


def uninstall_on_sqlite(apps, schema_editor) -> None:
    """A migration step before one that alters a table the rules name: SQLite alters a table
    by rebuilding it, and a trigger that names it stops the rename ("no such table"). The
    triggers go first; ``reinstall_after_migrate`` puts them back."""
    if schema_editor.connection.vendor == "sqlite":
        uninstall(schema_editor.connection)


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """Names of the rule triggers present in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'tracker_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def expected(connection: BaseDatabaseWrapper) -> set[str]:
    if connection.vendor == "postgresql":
        return {"tracker_tranche_guard", "tracker_delivery_guard", "tracker_event_guard"}
    return set(sqlite_triggers())


def reinstall_after_migrate(using: str, **kwargs) -> None:
    """post_migrate: put back triggers a table rebuild dropped, once the rules are migrated in."""
    from django.db import connections

    connection = connections[using]
    if not set(connection.introspection.table_names()) >= TABLES:
        return
    if MIGRATION in MigrationRecorder(connection).applied_migrations():
        install(connection)

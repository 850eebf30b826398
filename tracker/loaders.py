"""Times read from PostgreSQL by psycopg's compiled loader.

Django registers its own ``timestamptz`` loader, which parses each value in Python and then
sets its zone; a page of records reads thousands of them. When the connection's time zone is
UTC, psycopg's compiled loader gives the same values (aware, in UTC), so it is used instead.
The loader keeps the ``timezone`` attribute Django reads when it opens a cursor, so Django sees
its own zone and leaves the loader in place.
"""

import datetime as dt

import psycopg
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid
#: psycopg's own loader of ``timestamptz`` text (the compiled one when psycopg has it).
PSYCOPG_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


class UtcTimestamptzLoader(Loader):
    """psycopg's loader, for a connection whose time zone is UTC."""

    timezone = dt.UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self.psycopg_loader = PSYCOPG_LOADER(oid, context)

    def load(self, data):
        return self.psycopg_loader.load(data)


@receiver(connection_created)
def load_times_with_psycopg(sender, connection, **kwargs) -> None:
    """Register the loader on a PostgreSQL connection working in UTC (each time the pool lends
    it: registering again is a dictionary update)."""
    if connection.vendor != "postgresql" or connection.timezone != dt.UTC:
        return
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") == "UTC":
        raw.adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestamptzLoader)

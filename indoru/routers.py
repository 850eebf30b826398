"""Reads to PostgreSQL streaming replicas, writes to the primary.

Replicas are the database aliases whose settings carry ``"REPLICA": True`` (settings makes
one per URL in ``DATABASE_REPLICA_URLS``). Reads go to one of them at random unless:

- the request is pinned to the primary (``ReadYourWritesMiddleware``: the client wrote
  recently, or this request writes), or something already wrote in this request;
- a transaction is open on the primary (its reads must see its own writes);
- the model keeps security state that must never be stale (sessions, lockouts).
"""

import contextvars
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})


@dataclass
class RequestState:
    use_primary: bool = False
    wrote: bool = False


#: Set per request by ``ReadYourWritesMiddleware``; outside requests (commands, shells)
#: each call gets a fresh state, so reads may go to a replica there too.
request_state: contextvars.ContextVar[RequestState | None] = contextvars.ContextVar(
    "request_state", default=None
)


def replica_aliases() -> tuple[str, ...]:
    return tuple(alias for alias, db in settings.DATABASES.items() if db.get("REPLICA"))


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        state = request_state.get()
        if (
            not replicas
            or (state is not None and (state.use_primary or state.wrote))
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or model._meta.app_label in PRIMARY_ONLY_APPS
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        state = request_state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: the replicas mirror the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return not settings.DATABASES[db].get("REPLICA")

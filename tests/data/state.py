"""What "the database is exactly as it was" means in these tests."""

import hashlib

from django.apps import apps


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row, per table of the app (history tables included)."""
    state = {}
    for model in apps.get_app_config("tracker").get_models():
        rows = list(model.objects.order_by("pk").values_list())
        state[model._meta.db_table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state

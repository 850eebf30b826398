"""History tables carry the indexes they are read by, not copies of their model's, and their
models can be imported by the module and name they give."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tracker.selectors.changes import CHANGE_SOURCES

#: Every history is read by record (the admin's history of one) and by user (on deletion).
READ_BY_RECORD_AND_USER = {("id",), ("history_user_id",)}
#: The changes feed and the dashboard read their tables page by page in time order.
READ_BY_TIME = ("history_date", "history_id")
FEED_HISTORIES = {source.model.history.model for source in CHANGE_SOURCES}


def history_models():
    return [
        model
        for model in apps.get_app_config("tracker").get_models()
        if model.__name__.startswith("Historical")
    ]


def indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        tuple(found["columns"])
        for found in constraints.values()
        if found["index"] and not found["primary_key"]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", history_models(), ids=lambda model: model.__name__)
def test_a_history_table_is_indexed_only_for_how_it_is_read(model):
    expected = READ_BY_RECORD_AND_USER | ({READ_BY_TIME} if model in FEED_HISTORIES else set())

    assert indexed_columns(model._meta.db_table) == expected


def test_each_history_model_is_found_by_its_module_and_name():
    for model in history_models():
        assert getattr(importlib.import_module(model.__module__), model.__name__) is model


def test_the_shell_imports_the_history_models(capsys):
    """Django's shell imports every model by its module and name, and lists what it cannot."""
    call_command("shell", command="print(HistoricalDelivery._meta.db_table)")

    output = capsys.readouterr().out
    assert "could not be automatically imported" not in output
    assert "tracker_historicaldelivery" in output

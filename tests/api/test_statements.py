"""``parent_id__any``: a list of ids as one array parameter, the same statement for any
number of ids."""

import pytest

from tracker.models import Citation

pytestmark = pytest.mark.usefixtures("curated")


def cited_event_ids() -> list[int]:
    return sorted(set(Citation.objects.filter(event__isnull=False).values_list("event", flat=True)))


def test_any_finds_what_in_finds():
    ids = [*cited_event_ids()[::3], 10**9]  # and an id that does not exist
    assert len(ids) > 5

    found = Citation.objects.filter(event_id__any=ids).order_by("id")

    assert list(found) == list(Citation.objects.filter(event_id__in=ids).order_by("id"))


def test_any_of_nothing_finds_nothing():
    assert not Citation.objects.filter(event_id__any=[]).exists()


def test_any_is_one_array_parameter_on_postgresql():
    sql, params = Citation.objects.filter(event_id__any=[3, 1, 2]).query.sql_with_params()

    assert 'WHERE "tracker_citation"."event_id" = ANY(%s::bigint[])' in sql
    assert params == ([3, 1, 2],)

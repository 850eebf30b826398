"""A renamed slug keeps its old URL working: 301 to the record's current URL. The changes
feed links records as records link themselves, by slug."""

import pytest
from django.db import connection

from tracker.models import Delivery, Source

from .conftest import API, etag

pytestmark = pytest.mark.usefixtures("curated")

OLD = f"{API}deliveries/s-400-triumf/"
NEW = f"{API}deliveries/s-400-missile-system/"


@pytest.fixture
def renamed(editor_api):
    response = editor_api.patch(
        OLD, {"slug": "s-400-missile-system"}, format="json", HTTP_IF_MATCH=etag(editor_api, OLD)
    )
    assert response.status_code == 200, response.content


@pytest.mark.usefixtures("renamed")
@pytest.mark.parametrize("tail", ["", "timeline/", "timeline/?kind=forecast_revised"])
def test_an_old_slug_moves_permanently_to_the_current_url(anon, tail):
    response = anon.get(OLD + tail)

    assert response.status_code == 301
    assert response["Location"] == NEW + tail
    assert anon.get(response["Location"]).status_code == 200


@pytest.mark.usefixtures("renamed")
def test_a_write_to_an_old_slug_is_redirected_with_its_method(editor_api):
    response = editor_api.patch(OLD, {"summary": "x"}, format="json", HTTP_IF_MATCH="*")
    assert (response.status_code, response["Location"]) == (308, NEW)


def test_a_rename_by_any_path_is_kept_and_a_rename_back_forgets_it(anon):
    source = Source.objects.get(slug="rebalancing-relations-2025")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracker_source SET slug = 'renamed' WHERE id = %s", [source.pk])
    assert anon.get(f"{API}sources/rebalancing-relations-2025/").status_code == 301

    Source.objects.filter(pk=source.pk).update(slug="rebalancing-relations-2025")

    assert list(source.former_slugs.values_list("slug", flat=True)) == ["renamed"]
    assert anon.get(f"{API}sources/rebalancing-relations-2025/").status_code == 200
    assert anon.get(f"{API}sources/renamed/").status_code == 301


def test_an_unknown_slug_is_still_404(anon):
    assert anon.get(f"{API}deliveries/no-such-delivery/").status_code == 404


@pytest.mark.usefixtures("renamed")
def test_the_changes_feed_links_records_by_their_current_slug(anon):
    delivery = Delivery.objects.get(slug="s-400-missile-system")
    changes = anon.get(f"{API}changes/", {"type": ["delivery", "tranche"], "page_size": 500})

    mine = [
        c for c in changes.json()["results"] if c["type"] == "delivery" and c["id"] == delivery.pk
    ]
    tranches = [
        c for c in changes.json()["results"] if c["record"] and c["record"]["id"] == delivery.pk
    ]
    assert mine and {c["url"] for c in mine} == {f"http://testserver{NEW}"}
    assert tranches and {c["record"]["url"] for c in tranches} == {f"http://testserver{NEW}"}


def test_the_changes_feed_is_one_statement(anon, django_assert_num_queries):
    with django_assert_num_queries(1):
        anon.get(f"{API}changes/", {"page_size": 500})

"""Admin search: titles and the quotes of citations, each row listed once, without a join.

Django's own search joins the citations and de-duplicates with DISTINCT (5.5 s a search of
the trade records at scale 1); ``tracker.admin.search`` reads them through a subquery.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MAKERS, make_citation, make_delivery, make_source
from tracker.admin import search as search_module
from tracker.models import Delivery, Source

#: The admins that search the quotes of their rows' citations.
QUOTE_SEARCHING = [
    model
    for model, model_admin in admin.site._registry.items()
    if "citations__quote" in model_admin.search_fields
]


def search(client, model, term: str) -> tuple[str, list[str]]:
    """The changelist searched for ``term``: its page and its statements."""
    url = reverse(f"admin:tracker_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": term})
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def rows_listed(page: str) -> int:
    return page.count('class="action-select"')


def test_the_records_sources_and_events_search_quotes():
    names = {model.__name__ for model in QUOTE_SEARCHING}
    assert names == {"Agreement", "Delivery", "Issue", "Source", "TimelineEvent", "TradeRecord"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", QUOTE_SEARCHING, ids=lambda model: model.__name__)
def test_a_quote_finds_its_row_once_without_joining_the_citations(editor_client, model):
    found, other = MAKERS[model](1), MAKERS[model](2)
    citing_field = model._meta.get_field("citations").field.name  # "delivery", "source"…
    for i in (1, 2):  # two matching citations must still list the row once
        make_citation(
            10 + i, quote=f"The zebra regiment arrived, report {i}.", **{citing_field: found}
        )

    page, statements = search(editor_client, model, "zebra")

    assert rows_listed(page) == 1
    assert str(found) in page and str(other) not in page
    for sql in statements:
        assert f'SELECT DISTINCT "{model._meta.db_table}"."id"' not in sql, sql
        assert 'JOIN "tracker_citation"' not in sql, sql


@pytest.mark.django_db
def test_every_word_must_match_a_field_or_a_quote(editor_client):
    titled = make_delivery(1, title="S-400 Triumf")
    quoted = make_delivery(2, title="Air defence regiments")
    make_citation(3, delivery=quoted, quote="The fourth Triumf squadron was delivered.")
    make_delivery(4, title="Kudankulam fuel")

    page, _ = search(editor_client, Delivery, "triumf")
    assert rows_listed(page) == 2
    page, _ = search(editor_client, Delivery, "triumf regiments")  # a title and a quote
    assert rows_listed(page) == 1 and quoted.title in page
    page, _ = search(editor_client, Delivery, '"S-400 Triumf"')
    assert rows_listed(page) == 1 and titled.title in page
    page, _ = search(editor_client, Delivery, "triumf kudankulam")
    assert rows_listed(page) == 0


@pytest.mark.django_db
def test_the_source_picker_searches_sources_not_their_quotes(editor_client):
    """Picking a citation's source by its title must not read every citation's quote
    (2.6 s a keystroke at scale 1)."""
    wanted = make_source(1, title="SIPRI Arms Transfers Database")
    quoted = make_source(2, title="Annual report")
    make_citation(3, source=quoted, quote="SIPRI counts the S-400 as delivered.")
    url = reverse("admin:autocomplete")
    params = {"term": "sipri", "app_label": "tracker", "model_name": "citation"}

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url, params | {"field_name": "source"})

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [str(wanted)]
    assert not any('"quote"' in query["sql"] for query in queries.captured_queries)
    page, _ = search(editor_client, Source, "sipri")  # the sources list still finds both
    assert rows_listed(page) == 2


def zebra_deliveries() -> None:
    """Two deliveries that "zebra" finds, one by its title and one by a quote, and one it does
    not."""
    make_delivery(1, title="Zebra regiment")
    make_citation(2, delivery=make_delivery(2), quote="The zebra squadron was delivered.")
    make_delivery(3)


@pytest.mark.django_db
def test_a_search_that_matches_few_rows_reads_titles_and_quotes_once(editor_client):
    """The page, its count and the date hierarchy then look the matches up by id."""
    zebra_deliveries()
    page, statements = search(editor_client, Delivery, "zebra")
    assert rows_listed(page) == 2
    scans = [sql for sql in statements if "LIKE" in sql]
    assert len(scans) == 1, scans


@pytest.mark.django_db
def test_a_search_that_matches_many_rows_is_read_row_by_row(editor_client, monkeypatch):
    """Own fields OR EXISTS a matching quote, so that the page and the first and last dates
    can stop at the first matches."""
    monkeypatch.setattr(search_module, "FEW_ROWS", 1)
    zebra_deliveries()
    page, statements = search(editor_client, Delivery, "zebra")
    assert rows_listed(page) == 2
    reads = [sql for sql in statements if "LIKE" in sql]
    assert len(reads) > 2 and all("EXISTS" in sql for sql in reads[1:]), reads

"""Every changelist runs the same number of queries for 1 row as for 100 rows on the page."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MAKERS, make_deliveries_late_and_not, make_issue, make_trade, parties
from tracker.choices import IssueStatus, Severity, TradeFlow
from tracker.models import Delivery

TRACKER_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "tracker"),
    key=lambda model: model.__name__,
)


def test_every_tracker_model_is_in_the_admin():
    assert set(TRACKER_MODELS) == set(MAKERS)


def changelist_queries(client, model) -> tuple[int, str]:
    url = reverse(f"admin:tracker_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_the_page(editor_client, monkeypatch, model):
    """Parties and sectors start with the vocabulary rows; the others start empty."""
    monkeypatch.setattr(admin.site._registry[model], "list_per_page", 100)
    MAKERS[model](0)
    one_row, _ = changelist_queries(editor_client, model)
    for i in range(1, 100):
        MAKERS[model](i)
    many_rows, page = changelist_queries(editor_client, model)
    # A row's first column is a header cell; a row has a checkbox where the list has actions.
    assert page.count('<th class="field-') == 100
    assert many_rows == one_row, f"{model.__name__}: {one_row} queries for 1 row, {many_rows}"


@pytest.mark.django_db
def test_delivery_list_shows_badge_dates_at_precision_and_slippage(editor_client):
    from tests.factories import make_delivery, make_revision

    late = make_delivery(1, title="S-400 Triumf")
    make_revision(late, "2023-01-01", "2026-01-01")
    make_delivery(2, title="Kudankulam fuel")
    page = editor_client.get(reverse("admin:tracker_delivery_changelist")).content.decode()
    assert 'class="badge badge-orange" data-status="in_progress"' in page
    assert '<td class="field-baseline">2023</td>' in page
    assert 'data-months="36">+36 mo' in page
    assert "slippage-unknown" in page
    assert "USD 5.43 billion" in page
    assert page.index("S-400 Triumf") < page.index("Kudankulam fuel")


def changelist_sql(client, model, query: str = "") -> tuple[list[str], str]:
    url = reverse(f"admin:tracker_{model._meta.model_name}_changelist") + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda model: model.__name__)
def test_no_changelist_joins_every_citation(editor_client, model):
    """Citations outnumber every other row (1,500,000 at scale 1). The source filter asks
    EXISTS of each source and the sources list counts citations by a subquery for its page,
    instead of joining all citations to de-duplicate or count them."""
    MAKERS[model](0)
    statements, _ = changelist_sql(editor_client, model)
    for sql in statements:
        if 'JOIN "tracker_citation"' in sql:
            assert "DISTINCT" not in sql and "GROUP BY" not in sql, sql


def test_no_changelist_lists_the_years_of_its_date_hierarchy_twice():
    """A year filter on the date hierarchy's field would list the same years again, reading
    every row once more."""
    for model in TRACKER_MODELS:
        model_admin = admin.site._registry[model]
        filters = {getattr(f, "parameter_name", f) for f in model_admin.list_filter}
        assert f"{model_admin.date_hierarchy}_year" not in filters, model.__name__


@pytest.mark.django_db
def test_the_source_filter_is_picked_by_typing_and_keeps_the_rows_a_source_cites(editor_client):
    """The sidebar lists no sources (5,246 at scale 1): an autocomplete offers them, and the
    chosen one is shown by its title."""
    from tests.factories import make_citation, make_delivery, make_event, make_source
    from tracker.models import Delivery

    cited = make_source(1, title="Cited report")
    make_source(2, title="Unread report")
    direct, through_event, other = (make_delivery(i) for i in (1, 2, 3))
    make_citation(1, source=cited, delivery=direct)
    make_citation(2, source=cited, event=make_event(2, delivery=through_event))
    make_citation(3, delivery=other)

    statements, page = changelist_sql(editor_client, Delivery)
    assert "Cited report" not in page and 'data-filter-parameter="source"' in page
    assert "admin/js/autocomplete.js" in page and "tracker/autocomplete_filter.js" in page
    assert not any("tracker_source" in sql for sql in statements)
    _, page = changelist_sql(editor_client, Delivery, f"?source={cited.pk}")
    assert f'<option value="{cited.pk}" selected>Cited report</option>' in page
    assert page.count('class="action-select"') == 2
    assert direct.title in page and through_event.title in page and other.title not in page


@pytest.mark.django_db
def test_the_sources_list_counts_and_orders_by_citations(editor_client):
    from tests.factories import make_citation, make_source
    from tracker.models import Source

    sources = [make_source(i, title=f"Report {'ABC'[i]}") for i in range(3)]
    for i in range(3):
        make_citation(i, source=sources[1])
    make_citation(3, source=sources[2])

    model_admin = admin.site._registry[Source]
    column = model_admin.list_display.index("citation_count") + 1
    _, page = changelist_sql(editor_client, Source, f"?o=-{column}")
    counts = [int(n) for n in re.findall(r'<td class="field-citation_count">(\d+)</td>', page)]
    assert counts == [3, 1, 0]
    assert page.index("Report B") < page.index("Report C") < page.index("Report A")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choice", "slugs"),
    [
        ("late", {"slipped", "postponed", "overdue"}),
        ("yes", {"slipped"}),
        ("postponed", {"postponed"}),
        ("overdue", {"overdue"}),
        ("unknown", {"postponed", "no-schedule"}),
    ],
)
def test_the_late_filter_lists_deliveries_by_how_they_are_late(editor_client, choice, slugs):
    make_deliveries_late_and_not()
    url = reverse("admin:tracker_delivery_changelist")
    page = editor_client.get(url, {"slipped": choice}).content.decode()
    listed = {
        slug
        for pk, slug in Delivery.objects.values_list("pk", "slug")
        if f'value="{pk}" class="action-select"' in page
    }
    assert listed == slugs


@pytest.mark.django_db
def test_the_delivery_list_says_how_each_delivery_is_late_beside_its_slippage(editor_client):
    make_deliveries_late_and_not()
    page = editor_client.get(reverse("admin:tracker_delivery_changelist")).content.decode()
    slippage_by_title = {
        title: re.sub(r"<[^>]+>", "", cell).split()
        for title, cell in re.findall(
            r'<th class="field-title"><a [^>]*>([^<]+)</a></th>.*?'
            r'<td class="field-slippage_shown">(.*?)</td>',
            page,
            re.S,
        )
    }
    assert slippage_by_title == {
        "Delivery 1": ["+36", "mo"],  # slipped
        "Delivery 2": ["unknown", "postponed"],
        "Delivery 3": ["0", "mo", "overdue"],
        "Delivery 4": ["-48", "mo"],  # completed early
        "Delivery 5": ["0", "mo"],  # only talks, its plan passed
        "Delivery 6": ["unknown"],  # no schedule
    }
    assert 'title="Postponed by an unknown span">postponed</span>' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choice", "titles"),
    [("yes", {"Nationals in the army", "Oil discount"}), ("no", {"Minor irritant", "Watched"})],
)
def test_the_to_watch_filter_lists_the_issues_the_front_page_lists(editor_client, choice, titles):
    make_issue(1, title="Nationals in the army", severity=Severity.CRITICAL)
    make_issue(2, title="Oil discount", severity=Severity.LOW, status=IssueStatus.ESCALATING)
    make_issue(3, title="Minor irritant", severity=Severity.MEDIUM)
    make_issue(4, title="Watched", severity=Severity.HIGH, status=IssueStatus.WATCHING)
    page = editor_client.get(reverse("admin:tracker_issue_changelist"), {"to_watch": choice})
    listed = set(re.findall(r'<th class="field-title"><a [^>]*>([^<]+)</a></th>', page.text))
    assert listed == titles


@pytest.mark.django_db
def test_an_unknown_value_reads_as_a_dash_in_every_column(editor_client):
    make_issue(1, people_affected=None)  # Django's own column: its empty value
    page = editor_client.get(reverse("admin:tracker_issue_changelist")).text
    cell = re.search(r'<td class="field-people_affected">([^<]*)</td>', page)
    assert cell and cell.group(1) == "—"


@pytest.mark.django_db
def test_a_total_without_reporter_reads_as_a_dash_and_is_kept_by_the_party_filter(editor_client):
    india, russia = parties()
    make_trade(1, title="China–Russia trade", reporter=None, flow=TradeFlow.TOTAL)
    url = reverse("admin:tracker_traderecord_changelist")
    page = editor_client.get(url, {"party": russia.pk}).text
    assert "China–Russia trade" in page
    cell = re.search(r'<td class="field-reporter[^"]*">([^<]*)</td>', page)
    assert cell and cell.group(1) == "—"
    assert "China–Russia trade" not in editor_client.get(url, {"party": india.pk}).text


def test_the_parties_list_tells_blocs_from_states(editor_client):
    url = reverse("admin:tracker_party_changelist")
    blocs = editor_client.get(url, {"is_bloc__exact": "1"}).content.decode()
    states = editor_client.get(url, {"is_bloc__exact": "0"}).content.decode()
    assert '<td class="field-name">Eurasian Economic Union</td>' in blocs
    assert '<td class="field-name">India</td>' not in blocs
    assert '<td class="field-name">India</td>' in states
    assert "Eurasian Economic Union" not in states

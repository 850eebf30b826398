"""The public pages: what each shows, its filters and errors, search, and who may read them."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User

from tests.factories import (
    make_agreement,
    make_agreement_ratified_by_russia_only,
    make_citation,
    make_deliveries_late_and_not,
    make_delivery,
    make_event,
    make_party,
    make_revision,
    make_source,
)
from tracker.choices import EventKind
from tracker.services.citations import cited_passages

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text with its runs of white space made single spaces."""
    return " ".join(response.content.decode().split())


def test_a_delivery_postponed_by_an_unknown_span_says_so_with_its_forecast_and_quote(client):
    delivery = make_delivery(1, slug="s-400")
    revision = make_revision(delivery, None, "2026-01-01")
    make_citation(event=revision, quote="postponed until 2026")

    page = text(client.get("/deliveries/s-400/"))

    assert '<dd id="forecast">2026</dd>' in page
    assert "postponed by an unknown span" in page
    assert "from a date the sources do not give" in page
    assert "“postponed until 2026”" in page
    assert 'href="/api/v1/deliveries/s-400/"' in page
    assert 'href="/api/v1/deliveries/s-400/timeline.ics"' in page
    assert 'href="/api/v1/deliveries/s-400/timeline.atom"' in page
    assert 'id="forecast-chart"' in page


def test_an_agreement_shows_each_party_s_steps_and_the_one_awaited(client):
    agreement, ratified = make_agreement_ratified_by_russia_only()

    page = text(client.get(f"/agreements/{agreement.slug}/"))

    india = re.search(r'<tr data-party="IND">(.*?)</tr>', page)[1]
    russia = re.search(r'<tr data-party="RUS">(.*?)</tr>', page)[1]
    assert '<td data-step="ratified"><strong class="pending">pending</strong></td>' in india
    assert f'<a href="#event-{ratified.pk}">2025-12-01</a>, by the State Duma' in russia


def test_the_change_count_is_shown_to_all_and_the_history_link_to_staff_only(client):
    delivery = make_delivery(1)
    make_revision(delivery, "2024-01-01", "2026-01-01")  # recomputes the schedule: a change
    history = f"/admin/tracker/delivery/{delivery.pk}/history/"

    anonymous = text(client.get("/deliveries/delivery-1/"))
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewers"))
    client.force_login(viewer)
    staff = text(client.get("/deliveries/delivery-1/"))

    assert "Changed 1 time, last on" in anonymous
    assert history not in anonymous
    assert f'<a href="{history}">' in staff


def test_an_unknown_record_is_a_404(client):
    assert client.get("/deliveries/nothing-here/").status_code == 404


def test_closed_pages_send_a_visitor_to_the_login_and_let_staff_in(client, settings):
    settings.PUBLIC_PAGES = False
    make_delivery(1)

    response = client.get("/deliveries/?late=true")

    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/deliveries/%3Flate%3Dtrue"
    client.force_login(User.objects.create_user("staff", is_staff=True))
    assert client.get("/deliveries/delivery-1/").status_code == 200


def test_the_late_filter_lists_each_late_delivery_with_how_it_is_late(client):
    make_deliveries_late_and_not()

    page = text(client.get("/deliveries/", {"late": "true", "ordering": "-slippage"}))

    table = page[page.index('id="records"') :]
    slugs = re.findall(r'<a href="/deliveries/([-\w]+)/">', table)
    assert slugs == ["slipped", "overdue", "postponed"]
    assert "slipped by 36 months" in page
    assert "postponed by an unknown span" in page
    assert "overdue: its forecast, 2025, has passed" in page


def test_a_filter_that_cannot_be_read_is_named_and_nothing_is_listed(client):
    make_delivery(1)

    response = client.get("/deliveries/", {"late": "maybe", "page": "0"})

    assert response.status_code == 400
    page = text(response)
    assert "late: Give true or false." in page
    assert "page: Ensure this value is greater than or equal to 1." in page
    assert "delivery-1" not in page


def test_the_year_and_party_filters(client, russia):
    signed_2025 = make_agreement(1)  # signed 2025-02-18
    older = make_agreement(2)
    older.events.update(date=dt.date(2019, 5, 1))
    make_agreement(3, slug="with-a-third-party").agreement_parties.filter(
        party__code="RUS"
    ).delete()

    in_2025 = text(client.get("/agreements/", {"year": "2025"}))
    with_russia = text(client.get("/agreements/", {"party": "RUS"}))

    assert f"/agreements/{signed_2025.slug}/" in in_2025
    assert f"/agreements/{older.slug}/" not in in_2025
    assert "/agreements/with-a-third-party/" not in with_russia
    assert f"/agreements/{older.slug}/" in with_russia


def test_the_timeline_groups_by_month_and_keeps_coarser_dates_in_their_own_period(client):
    delivery = make_delivery(1)
    make_event(
        1,
        delivery=delivery,
        kind=EventKind.ANNOUNCED,
        date=dt.date(2025, 12, 4),
        precision="day",
        title="Summit",
    )
    make_event(
        2,
        delivery=delivery,
        kind=EventKind.DELIVERED,
        date=dt.date(2026, 1, 1),
        precision="year",
        title="Remaining regiments",
        is_planned=True,
    )

    page = text(client.get("/timeline/", {"sector": "defence", "date_from": "2025-01-01"}))

    assert re.search(r"<h2>Dec 2025</h2>.*Summit.*<h2>2026</h2>.*Remaining regiments", page)
    assert "Jan 2026" not in page
    assert '<span class="planned-mark">planned</span>' in page
    assert 'href="/api/v1/timeline.ics?sector=defence&amp;date_from=2025-01-01"' in page
    assert 'href="/api/v1/timeline.atom?sector=defence&amp;date_from=2025-01-01"' in page


def test_the_search_ranks_highlights_and_escapes(client):
    agreement = make_agreement(
        1, title="Logistics pact", summary="Ratified by the State Duma: R&D < 5 % of it."
    )
    make_agreement(2, title="Duma and Duma again", summary="The Duma, the Duma, the Duma.")
    make_citation(agreement=agreement, quote="the State Duma ratified the pact")

    response = client.get("/search/", {"q": "Duma"})

    page = text(response)
    assert "State <mark>Duma</mark>: R&amp;D &lt; 5 % of it." in page
    agreements = page[page.index('id="hits-agreement"') : page.index('id="hits-quote"')]
    titles = re.findall(r'<a href="/agreements/[-\w]+/">([^<]+)</a>', agreements)
    assert titles == ["Duma and Duma again", "Logistics pact"]
    assert "the State <mark>Duma</mark> ratified the pact" in page


def test_a_search_with_a_control_character_is_refused(client):
    response = client.get("/search/", {"q": "Duma\x01"})
    assert response.status_code == 400
    assert "q: Remove the control characters" in text(response)


def test_cited_passages_are_found_as_quotes_are_checked_and_marked_as_written():
    class Quote:
        def __init__(self, quote):
            self.quote = quote

    duma, missing = Quote('the "State Duma" ratified'), Quote("not in the text")
    paragraphs = cited_passages("Intro.\nIn 2025 the “State  Duma”\nratified it.", [duma, missing])

    assert [p.text for p in paragraphs[0]] == ["Intro."]
    # One paragraph per line: the quote spans no line break here, so it is not found in two.
    assert not any(p.citations for p in paragraphs[1] + paragraphs[2])
    line = cited_passages("In 2025 the “State  Duma” ratified it.", [duma])[0]
    assert [(p.text, bool(p.citations)) for p in line] == [
        ("In 2025 ", False),
        ("the “State  Duma” ratified", True),
        (" it.", False),
    ]


def test_a_source_page_marks_each_cited_passage_and_links_what_it_supports(client, curated):
    page = text(client.get("/sources/rebalancing-relations-2025/"))

    marked = re.findall(r'<mark><a href="([^"]+)" title="Supports: [^"]*">([^<]+)</a></mark>', page)
    assert any(
        href.startswith("/deliveries/s-400-triumf/") and "postponed until 2026" in words
        for href, words in marked
    ), marked


def test_the_front_page_links_its_records_to_their_pages(client, curated):
    page = client.get("/").content.decode()

    assert 'href="/deliveries/s-400-triumf/"' in page
    assert 'href="/agreements/relos/"' in page
    assert "/api/v1/deliveries/s-400-triumf/" not in page


def test_unused_source_is_listed_with_nothing_cited(client):
    make_source(1, title="An unused report")

    page = text(client.get("/sources/source-1/"))

    assert "Nothing cites it yet." in page
    assert "No archived text of this source is kept." in page


def test_a_delivery_s_party_is_its_supplier_or_its_recipient(client, india, russia):
    make_delivery(1, slug="from-russia")
    make_delivery(2, slug="from-india", supplier=india, recipient=make_party(1))

    with_russia = text(client.get("/deliveries/", {"party": "RUS"}))
    with_india = text(client.get("/deliveries/", {"party": "IND"}))

    assert "/deliveries/from-russia/" in with_russia
    assert "/deliveries/from-india/" not in with_russia
    assert "/deliveries/from-russia/" in with_india and "/deliveries/from-india/" in with_india

"""Control characters: refused in what is written, and left out of the feeds built from what
is already stored (rows written before the rule, or by SQL that bypasses it)."""

import xml.etree.ElementTree as ET

import icalendar
import pytest

from tests.api.conftest import API, field_errors
from tests.factories import make_event, make_source
from tracker.models import Source, TimelineEvent
from tracker.text import CONTROL_CHARACTER_MESSAGE

pytestmark = pytest.mark.usefixtures("curated")


def test_the_api_refuses_a_control_character_naming_the_field(editor_api):
    body = {"slug": "bell", "title": "Ring\x07 the bell", "publisher": "Esc\x1b"}
    response = editor_api.post(f"{API}sources/", body, format="json")
    assert response.status_code == 400
    errors = field_errors(response)
    assert errors["title"] == [CONTROL_CHARACTER_MESSAGE]
    assert errors["publisher"] == [CONTROL_CHARACTER_MESSAGE]
    assert not Source.objects.filter(slug="bell").exists()


def test_the_api_keeps_tabs_and_line_breaks(editor_api):
    body = {"slug": "layout", "title": "Tab\there", "notes": "One\r\nTwo\nThree"}
    response = editor_api.post(f"{API}sources/", body, format="json")
    assert response.status_code == 201, response.content
    assert Source.objects.get(slug="layout").notes == "One\r\nTwo\nThree"


def test_the_atom_feed_leaves_out_a_stored_control_character(anon):
    source = make_source(90, title="Vertical\x0btab")
    Source.history.filter(id=source.pk).update(title="Vertical\x0btab")
    response = anon.get(f"{API}changes.atom")
    assert response.status_code == 200
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in ET.fromstring(response.content).iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert "Source created: Verticaltab" in titles


def test_the_calendar_leaves_out_a_stored_control_character(anon):
    event = make_event(91, is_planned=True)
    TimelineEvent.objects.filter(pk=event.pk).update(
        title="Bell\x07 rung", description="Form\x0cfeed"
    )
    response = anon.get(f"{API}timeline.ics")
    assert response.status_code == 200
    [entry] = [
        component
        for component in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        if component["uid"].startswith(f"event-{event.pk}@")
    ]
    assert str(entry["summary"]) == "Bell rung (Nov 2025)"
    assert str(entry["description"]) == "Formfeed"
    assert "\x07" not in response.content.decode() and "\x0c" not in response.content.decode()

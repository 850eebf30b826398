"""Citations written through the API are verified against their source's archived text, and
served back with where their quote sits; a source's text is read and added through the API."""

import pytest

from tracker.models import Citation, Source, TimelineEvent

from .conftest import API, etag, field_errors, member_of, token_client

pytestmark = pytest.mark.usefixtures("curated")

SOURCE = "putins-india-visit-strategic-reset"


def verbatim_quote() -> str:
    """A sentence of the source's archived text, as it stands there."""
    text = Source.objects.get(slug=SOURCE).current_text.text
    line = next(line for line in text.splitlines() if len(line.split()) > 12)
    return " ".join(line.split()[:10])


def test_a_quote_not_in_the_text_is_refused_naming_the_field(editor_api):
    response = editor_api.post(
        f"{API}citations/",
        {
            "source": SOURCE,
            "quote": "India will buy ten more S-400 regiments",
            "issue": "rupee-trap",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    [message] = field_errors(response)["quote"]
    assert message.startswith("The quote is not in the archived text of “Putin’s India Visit")
    assert "The closest passage: “" in message
    assert not Citation.objects.filter(quote__startswith="India will buy ten").exists()


def test_a_verbatim_quote_is_created_and_served_with_its_location(editor_api, anon):
    quote = verbatim_quote()
    response = editor_api.post(
        f"{API}citations/",
        {"source": SOURCE, "quote": quote, "delivery": "s-400-triumf", "figure": "status"},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    location = created["location"]
    text = Source.objects.get(slug=SOURCE).current_text.text
    from tracker.quotes import normalise

    assert normalise(text)[location["start"] : location["end"]] == normalise(quote)
    assert location["paragraph"] >= 1
    served = anon.get(created["url"]).json()
    assert served == created
    assert served["source"]["slug"] == SOURCE and served["delivery"] == "s-400-triumf"
    on_record = anon.get(f"{API}deliveries/s-400-triumf/").json()["citations"]
    assert {"id": created["id"], "location": location}.items() <= next(
        c for c in on_record if c["id"] == created["id"]
    ).items()


def test_typographic_quotes_and_a_line_break_in_the_quote_still_verify(editor_api):
    text = Source.objects.get(slug=SOURCE).current_text.text
    line = next(line for line in text.splitlines() if "’" in line and len(line.split()) > 8)
    words = line.split()
    at = next(i for i, word in enumerate(words) if "’" in word)
    quote = " ".join(words[max(at - 3, 0) : at + 4]).replace("’", "'")
    quote = quote.replace(" ", "\n", 1)
    response = editor_api.post(
        f"{API}citations/", {"source": SOURCE, "quote": quote, "issue": "rupee-trap"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_citations_sent_with_an_event_are_stored(editor_api, anon):
    quote = verbatim_quote()
    body = {
        "kind": "announced",
        "title": "Visit announced",
        "date": {"date": "2025-12-04", "precision": "day"},
        "delivery": "s-400-triumf",
        "citations": [{"source": SOURCE, "quote": quote, "locator": "para. 2"}],
    }
    response = editor_api.post(f"{API}events/", body, format="json")
    assert response.status_code == 201, response.content
    event = response.json()
    [citation] = event["citations"]
    assert citation["quote"] == quote and citation["location"]["paragraph"] >= 1
    assert TimelineEvent.objects.get(pk=event["id"]).citations.get().quote == quote
    # What a read returns is written back as it is; one left out is deleted.
    url = event["url"]
    read = anon.get(url).json()
    body = {"citations": read["citations"]}
    kept = editor_api.patch(url, body, format="json", HTTP_IF_MATCH=etag(anon, url))
    assert kept.status_code == 200, kept.content
    assert kept.json()["citations"] == read["citations"]
    emptied = editor_api.patch(url, {"citations": []}, format="json", HTTP_IF_MATCH=etag(anon, url))
    assert emptied.status_code == 200 and emptied.json()["citations"] == []


def test_a_bad_citation_sent_with_an_event_saves_nothing(editor_api):
    body = {
        "kind": "announced",
        "title": "Visit announced",
        "date": {"date": "2025-12-04", "precision": "day"},
        "citations": [{"source": SOURCE, "quote": "Words the source never printed"}],
    }
    response = editor_api.post(f"{API}events/", body, format="json")
    assert response.status_code == 400, response.content
    # The item is named by its index in the list.
    [message] = field_errors(response)["citations.0.quote"]
    assert "The closest passage: “" in message
    assert not TimelineEvent.objects.filter(title="Visit announced").exists()


def test_citations_sent_with_a_record_are_stored(editor_api):
    url = f"{API}issues/rupee-trap/"
    quote = verbatim_quote()
    current = editor_api.get(url).json()["citations"]
    body = {"citations": [*current, {"source": SOURCE, "quote": quote}]}
    response = editor_api.patch(url, body, format="json", HTTP_IF_MATCH=etag(editor_api, url))
    assert response.status_code == 200, response.content
    assert [c["quote"] for c in response.json()["citations"]][-1] == quote


def test_writing_a_citation_needs_the_right_to_change_what_it_cites(viewer_api, db):
    body = {"source": SOURCE, "quote": verbatim_quote(), "issue": "rupee-trap"}
    assert viewer_api.post(f"{API}citations/", body, format="json").status_code == 403
    changes_events_only = member_of("Editors", "narrow")
    changes_events_only.groups.clear()
    from django.contrib.auth.models import Permission

    changes_events_only.user_permissions.add(
        Permission.objects.get(codename="change_timelineevent")
    )
    narrow = token_client(changes_events_only)
    assert narrow.post(f"{API}citations/", body, format="json").status_code == 403


def test_a_source_without_archived_text_takes_citations_unverified(editor_api):
    book = editor_api.post(
        f"{API}sources/",
        {"slug": "printed-memoir", "title": "A printed memoir", "no_archived_text": True},
        format="json",
    )
    assert book.status_code == 201, book.content
    assert book.json()["archived_text"] is None
    response = editor_api.post(
        f"{API}citations/",
        {"source": "printed-memoir", "quote": "Words from page 12", "issue": "rupee-trap"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["location"] is None
    unverified = editor_api.get(f"{API}citations/?verified=false").json()["results"]
    assert [c["quote"] for c in unverified] == ["Words from page 12"]


def test_a_source_without_text_and_unmarked_refuses_citations(editor_api):
    Source.objects.create(slug="no-text", title="No text yet")
    response = editor_api.post(
        f"{API}citations/",
        {"source": "no-text", "quote": "Anything", "issue": "rupee-trap"},
        format="json",
    )
    assert response.status_code == 400
    [message] = field_errors(response)["source"]
    assert "has no archived text" in message


def test_the_source_text_is_served_and_a_new_version_uploaded(editor_api, anon):
    url = f"{API}sources/{SOURCE}/text/"
    served = anon.get(url).json()
    source = Source.objects.get(slug=SOURCE)
    assert served["text"] == source.current_text.text and served["version"] == 1
    assert (
        anon.get(f"{API}sources/{SOURCE}/").json()["archived_text"]["sha256"] == (served["sha256"])
    )
    corrected = served["text"] + "\nA correction appended by the editors."
    response = editor_api.post(url, {"text": corrected}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    assert anon.get(url).json()["text"] == corrected
    # Every citation of the source was located again in the new version.
    assert set(source.citations.values_list("text__version", flat=True)) == {2}


def test_a_new_version_missing_a_cited_quote_is_refused(editor_api):
    response = editor_api.post(
        f"{API}sources/{SOURCE}/text/", {"text": "A text that drops every quote."}, format="json"
    )
    assert response.status_code == 400
    assert "is not in this text" in field_errors(response)["text"][0]
    assert Source.objects.get(slug=SOURCE).current_text.version == 1


def test_a_file_is_uploaded_as_a_source_text(editor_api, viewer_api):
    editor_api.post(f"{API}sources/", {"slug": "leaflet", "title": "Leaflet"}, format="json")
    html = (
        b"<html><head><title>Leaflet</title></head><body><nav>Home | News | Contact</nav>"
        b"<article><h1>Leaflet</h1><p>The two ministers signed the logistics agreement in "
        b"Moscow on Friday, after three years of talks between the delegations.</p>"
        b"<p>Both sides said the agreement would enter into force after ratification by "
        b"their parliaments, expected next year.</p></article>"
        b"<footer>Copyright 2025. All rights reserved.</footer></body></html>"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("leaflet.html", html, content_type="text/html")
    url = f"{API}sources/leaflet/text/"
    assert viewer_api.post(url, {"file": upload}, format="multipart").status_code == 403
    upload.seek(0)
    response = editor_api.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    archived = response.json()
    assert archived["media_type"] == "text/html" and archived["file_name"] == "leaflet.html"
    assert "signed the logistics agreement in Moscow" in archived["text"]
    assert "All rights reserved" not in archived["text"]

"""Editors add a source in the admin by uploading or pasting its text, and cite it: every
quote is looked up in the text when saved, and shown marked in its paragraph."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.documents import (
    HTML_BOILERPLATE,
    HTML_QUOTE,
    PDF_QUOTE,
    html_page,
    pdf_document,
)
from tests.factories import make_delivery
from tracker.models import Citation, Source, SourceText

from .helpers import form_data

pytestmark = pytest.mark.django_db

ADD_SOURCE = reverse("admin:tracker_source_add")
ADD_CITATION = reverse("admin:tracker_citation_add")


def add_source(client, slug: str, **inputs):
    data = form_data(client.get(ADD_SOURCE))
    data.update(title=f"Source {slug}", slug=slug, **inputs)
    return client.post(ADD_SOURCE, data)


def cite(client, source: Source, quote: str, delivery):
    data = form_data(client.get(ADD_CITATION))
    data.update(source=str(source.pk), quote=quote, delivery=str(delivery.pk))
    return client.post(ADD_CITATION, data)


@pytest.mark.parametrize(
    ("name", "content", "media_type", "quote"),
    [
        ("pact.html", html_page(), "text/html", HTML_QUOTE),
        ("parts.pdf", pdf_document(), "application/pdf", PDF_QUOTE),
    ],
)
def test_an_uploaded_file_becomes_the_text_that_quotes_are_found_in(
    editor_client, name, content, media_type, quote
):
    response = add_source(editor_client, "upload", upload=SimpleUploadedFile(name, content))
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = Source.objects.get(slug="upload")
    archived = source.current_text
    assert (archived.version, archived.media_type, archived.file_name) == (1, media_type, name)
    assert HTML_BOILERPLATE not in archived.text
    delivery = make_delivery(1)
    response = cite(editor_client, source, quote, delivery)
    assert response.status_code == 302, response.context["adminform"].form.errors
    citation = Citation.objects.get(source=source)
    assert citation.text == archived and citation.paragraph >= 1
    page = editor_client.get(reverse("admin:tracker_citation_change", args=[citation.pk]))
    assert "<mark>" in page.content.decode()
    marked = page.content.decode().split("<mark>")[1].split("</mark>")[0]
    assert marked.replace("&quot;", '"').replace("&#x27;", "'") == " ".join(quote.split())


def test_a_quote_not_in_the_text_is_refused_on_its_field_with_the_closest_passage(
    editor_client,
):
    add_source(editor_client, "pact", upload=SimpleUploadedFile("pact.html", html_page()))
    source = Source.objects.get(slug="pact")
    response = cite(editor_client, source, "called the pact a force for good", make_delivery(1))
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["quote"]
    assert message.startswith("The quote is not in the archived text of “Source pact”")
    assert "The closest passage: “" in message and "called the logistics pact" in message
    assert not Citation.objects.exists()


def test_pasted_text_is_archived_and_a_correction_is_a_new_version(editor_client):
    add_source(editor_client, "pasted", paste_text="First line.\r\nThe S-400 arrived late.")
    source = Source.objects.get(slug="pasted")
    assert source.current_text.text == "First line.\nThe S-400 arrived late."
    cite(editor_client, source, "The S-400 arrived late.", make_delivery(1))
    change = reverse("admin:tracker_source_change", args=[source.pk])
    data = form_data(editor_client.get(change))
    data["paste_text"] = "The S-400 arrived late, in 2026."
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["paste_text"] == [
        f"citation #{Citation.objects.get().pk} “The S-400 arrived late.” is not in this text"
    ]
    data["paste_text"] = "Corrected first line.\nThe S-400 arrived late."
    assert editor_client.post(change, data).status_code == 302
    assert list(source.texts.values_list("version", flat=True)) == [1, 2]
    assert Citation.objects.get().text.version == 2
    assert "version 2: plain text" in editor_client.get(change).content.decode()


def test_an_archived_text_is_never_edited_in_place(editor_client):
    from django.db import DatabaseError, transaction

    add_source(editor_client, "fixed", paste_text="Words as archived.")
    archived = SourceText.objects.get(source__slug="fixed")
    archived.text = "Words changed."
    with pytest.raises(DatabaseError), transaction.atomic():
        archived.save()


def test_a_source_marked_without_text_takes_unverified_citations(editor_client):
    add_source(editor_client, "book", no_archived_text="on")
    source = Source.objects.get(slug="book")
    assert cite(editor_client, source, "Words on page 12", make_delivery(1)).status_code == 302
    page = editor_client.get(reverse("admin:tracker_citation_changelist") + "?verified=no")
    assert "unverified" in page.content.decode() and "Words on page 12" in page.content.decode()


def test_a_file_that_is_no_document_is_refused_on_its_field(editor_client):
    response = add_source(
        editor_client, "broken", upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 not really")
    )
    assert response.status_code == 200
    assert "upload" in response.context["adminform"].form.errors
    assert not Source.objects.filter(slug="broken").exists()

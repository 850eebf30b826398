"""An editor archives an HTML page and a PDF as new sources in the real admin and cites a
sentence of each: a quote typed with straight quotes, and one across the PDF's line breaks."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.documents import HTML_QUOTE, PDF_QUOTE, html_page, pdf_document
from tests.factories import make_delivery
from tracker.models import Citation, Source

from .test_admin import PASSWORD, add_inline, autocomplete, log_in, save

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def upload_source(page, title: str, name: str, mime_type: str, content: bytes) -> None:
    page.goto("/admin/tracker/source/add/")
    page.fill("#id_title", title)
    page.set_input_files(
        "#id_upload", files=[{"name": name, "mimeType": mime_type, "buffer": content}]
    )
    save(page)
    page.wait_for_selector(".messagelist .success")


def test_an_editor_uploads_an_html_page_and_a_pdf_and_cites_both(page, screenshot):
    User.objects.create_user("editor", password=PASSWORD, is_staff=True).groups.add(
        Group.objects.get(name="Editors")
    )
    delivery = make_delivery(1, title="Spare parts")
    log_in(page, "editor")

    upload_source(page, "Logistics pact ratified", "pact.html", "text/html", html_page())
    upload_source(page, "Spare parts report", "parts.pdf", "application/pdf", pdf_document())
    page.goto(f"/admin/tracker/source/{Source.objects.get(title='Spare parts report').pk}/change/")
    expect(page.locator(".field-archived")).to_contain_text("version 1: PDF")
    screenshot("pdf-source-archived")

    page.goto(f"/admin/tracker/delivery/{delivery.pk}/change/")
    rows = [add_inline(page, "citations"), add_inline(page, "citations")]
    autocomplete(page, f"id_citations-{rows[0]}-source", "Logistics pact ratified")
    page.fill(f"#id_citations-{rows[0]}-quote", "called the pact a force for good")
    autocomplete(page, f"id_citations-{rows[1]}-source", "Spare parts report")
    page.fill(f"#id_citations-{rows[1]}-quote", PDF_QUOTE)
    save(page)
    # The first quote is not in the page: refused on its field, with the closest passage.
    expect(page.locator(f"#citations-{rows[0]} .errorlist")).to_contain_text(
        "The closest passage: “called the logistics pact"
    )
    screenshot("quote-refused")
    assert not Citation.objects.exists()
    page.fill(f"#id_citations-{rows[0]}-quote", HTML_QUOTE)
    save(page)
    page.wait_for_selector(".messagelist .success")
    assert Citation.objects.count() == 2

    for citation in Citation.objects.order_by("pk"):
        page.goto(f"/admin/tracker/citation/{citation.pk}/change/")
        marked = page.locator(".quote-in-text mark")
        expect(marked).to_have_text(" ".join(citation.quote.split()))
        screenshot(f"citation-{citation.pk}-marked")

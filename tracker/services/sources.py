"""Archiving a source's text: extracting it from what an editor gives (pasted text, a plain
text, HTML or PDF file) and storing it as the source's new current version.

HTML is reduced to the article's text by ``trafilatura`` (navigation, adverts and other
boilerplate dropped), PDF to its pages' text by ``pypdf``. A new version becomes current only
when every citation of the source is found in it, and each is then located in it again; the
proposals read from the new text are stored with it (``services.proposals``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pypdf
import trafilatura
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from ..models import Citation, Source, SourceText
from ..quotes import locate
from ..text import printable
from .proposals import store_proposals

PLAIN, HTML, PDF = "text/plain", "text/html", "application/pdf"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Extracted:
    """A text ready to archive, and the format it came from."""

    text: str
    media_type: str
    file_name: str = ""


def media_type_of(data: bytes, file_name: str = "", content_type: str = "") -> str:
    """PDF by its signature, HTML by its name, declared type or opening tag, else plain."""
    if data.startswith(b"%PDF-"):
        return PDF
    head = data[:512].lstrip().lower()
    if (
        file_name.lower().endswith(HTML_SUFFIXES)
        or content_type.split(";")[0].strip() in (HTML, "application/xhtml+xml")
        or head.startswith((b"<!doctype html", b"<html"))
    ):
        return HTML
    return PLAIN


def extract(data: bytes, *, file_name: str = "", content_type: str = "") -> Extracted:
    """The text of an uploaded file; ValidationError when there is none to archive."""
    media_type = media_type_of(data, file_name, content_type)
    if media_type == PDF:
        text = _pdf_text(data)
    else:
        try:
            decoded = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("The file is not UTF-8 text, HTML or PDF.") from exc
        text = _html_text(decoded) if media_type == HTML else decoded
    return Extracted(_clean(text), media_type, Path(file_name).name)


def pasted(text: str) -> Extracted:
    return Extracted(_clean(text), PLAIN)


def _html_text(html: str) -> str:
    text = trafilatura.extract(html, include_comments=False, include_tables=True)
    if not text:
        raise ValidationError("No article text was found in this HTML.")
    return text


def _pdf_text(data: bytes) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except pypdf.errors.PyPdfError as exc:
        raise ValidationError(f"The PDF cannot be read: {exc}") from exc


def _clean(text: str) -> str:
    """Line breaks made LF, control characters (a PDF's form feeds) dropped, ends trimmed."""
    text = printable(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise ValidationError("There is no text to archive.")
    return text


def quotes_missing(source: Source, text: str) -> list[str]:
    """The citations of ``source`` whose quote is not in ``text``, as messages."""
    if source.pk is None:
        return []
    return [
        f"citation #{citation.pk} “{citation.quote}” is not in this text"
        for citation in source.citations.order_by("pk")
        if locate(citation.quote, text) is None
    ]


@transaction.atomic
def archive(source: Source, extracted: Extracted) -> SourceText:
    """Store ``extracted`` as the current text of ``source`` (unchanged when it is the current
    text already), and locate every citation of the source in it.

    ValidationError under ``text`` when a citation's quote is not in it: correct or remove
    those citations first, so that no citation points at words its source no longer has.
    """
    current = source.current_text
    if current is not None and current.text == extracted.text:
        return current
    missing = quotes_missing(source, extracted.text)
    if missing:
        raise ValidationError({"text": missing})
    latest = source.texts.aggregate(latest=Max("version"))["latest"] or 0
    archived = SourceText(
        source=source,
        version=latest + 1,
        text=extracted.text,
        media_type=extracted.media_type,
        file_name=extracted.file_name,
    )
    archived.save()
    source.current_text = archived
    source.no_archived_text = False
    source.save(update_fields=["current_text", "no_archived_text", "updated_at"])
    for citation in Citation.objects.filter(source=source).order_by("pk"):
        citation.save()
    store_proposals(archived)
    return archived

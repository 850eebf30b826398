"""Check that every quote in the database occurs in the archived text of its source, and that
every paragraph of every source is either cited or listed as reporting no fact.

Each save of a citation is verified already (``Citation.verify_quote``); this check runs the
same comparison (``tracker.quotes``) over the whole database, for data written before a text
was archived or around the models (raw SQL), and accounts for every paragraph.

A source's archived text is in the database (``SourceText``, the source's current version);
``source_text`` is the one place that reads it. The texts of the curated data set also ship in
``fixtures/sources/``, named as each source's ``archive_name``; given a folder, the check reads
the texts from there instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..models import Citation, Source
from ..models.sources import CITATION_TARGETS
from ..quotes import locate, normalise, normalise_with_offsets, paragraphs

SOURCES_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"
UNCITED_FILE = Path(settings.BASE_DIR) / "fixtures" / "uncited_paragraphs.json"


@dataclass(frozen=True)
class QuoteFailure:
    citation_id: int
    record: str
    source: str
    reason: str
    quote: str

    def __str__(self) -> str:
        return f'{self.record} — source {self.source}: {self.reason}: "{self.quote}"'


@dataclass(frozen=True)
class CitationCheck:
    checked: int
    failures: list[QuoteFailure]
    #: Citations of sources marked as having no archived text, accepted without a check.
    unverified: list[str]

    @property
    def ok(self) -> bool:
        return not self.failures


def citation_record_label(citation: Citation) -> str:
    """What a citation supports, as people name it: ``delivery s-400-triumf``."""
    kind = next(name for name in CITATION_TARGETS if getattr(citation, f"{name}_id"))
    target = getattr(citation, kind)
    if kind != "event":
        return f"{kind.replace('_', ' ')} {target.slug}"
    name = target.key or f"#{target.pk} “{target.title}”"
    owner = target.record
    on = f" on {target.record_type.replace('_', ' ')} {owner.slug}" if owner else ""
    return f"event {name}{on}"


def citations_verify(*, sources_dir: Path | None = None) -> CitationCheck:
    """Look up every citation's quote in the archived text of its source: the current version
    in the database, or the file in ``sources_dir`` when given."""
    texts: dict[int, str | None] = {}
    failures, unverified = [], []
    citations = Citation.objects.select_related(
        "source",
        "agreement",
        "delivery",
        "trade_record",
        "issue",
        "event__agreement",
        "event__delivery",
        "event__trade_record",
        "event__issue",
    ).order_by("pk")
    checked = 0
    for citation in citations:
        checked += 1
        if citation.source.no_archived_text and sources_dir is None:
            unverified.append(f"{citation_record_label(citation)} — source {citation.source.slug}")
            continue
        reason = _quote_problem(citation, sources_dir, texts)
        if reason:
            failures.append(
                QuoteFailure(
                    citation_id=citation.pk,
                    record=citation_record_label(citation),
                    source=citation.source.slug,
                    reason=reason,
                    quote=citation.quote,
                )
            )
    return CitationCheck(checked=checked, failures=failures, unverified=unverified)


def source_text(source: Source, sources_dir: Path | None = None) -> str | None:
    """The archived text of ``source`` (its current version), or None when there is none.

    With ``sources_dir``, the file there named as the source's ``archive_name`` instead.
    """
    if sources_dir is None:
        return source.current_text.text if source.current_text_id else None
    if not source.archive_name:
        return None
    path = sources_dir / source.archive_name
    return path.read_text("utf-8") if path.is_file() else None


def _quote_problem(citation: Citation, sources_dir: Path | None, texts: dict) -> str | None:
    source = citation.source
    if sources_dir is not None and not source.archive_name:
        return "the source has no archived text"
    if source.pk not in texts:
        texts[source.pk] = source_text(source, sources_dir)
    text = texts[source.pk]
    if text is None and sources_dir is not None:
        return f"archived text {source.archive_name} not found in {sources_dir}"
    if text is None:
        return "the source has no archived text"
    if locate(citation.quote, text) is None:
        return "quote not found"
    return None


# Why a paragraph reports no fact, as ``fixtures/uncited_paragraphs.json`` gives it.
UNCITED_REASONS = {
    "title": "the document's title, subtitle or address",
    "heading": "a heading or a question the next paragraphs answer",
    "byline": "the author, the date line or the author's description",
    "page": "page furniture: a table of contents, a form, a download link",
    "analysis": "the author's analysis, opinion or others' commentary, no fact reported",
    "overview": "a general description of an area, naming no agreement, step, figure or date",
    "recommendation": "what the author recommends, not what happened",
    "repeat": "repeats facts of other paragraphs of the same source (``repeats``)",
    "context": "a fact outside the India–Russia relationship that the data set tracks",
}


def uncited_paragraphs(path: Path = UNCITED_FILE) -> list[dict]:
    """The paragraphs listed as reporting no fact: ``{"source", "paragraph", "reason"}``."""
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ParagraphCoverage:
    """Which paragraphs of the sources are cited, which are listed as reporting no fact, and
    what is wrong with the list (a paragraph neither cited nor listed, or listed in error)."""

    paragraphs: int
    cited: frozenset[tuple[str, int]]
    listed: frozenset[tuple[str, int]]
    problems: list[str]

    @property
    def factual(self) -> int:
        return self.paragraphs - len(self.listed - self.cited)


def paragraph_coverage(
    uncited: list[dict], *, sources_dir: Path | None = None
) -> ParagraphCoverage:
    """Account for every paragraph of every source: a paragraph is cited when some citation's
    quote occurs in it (both normalised), and ``uncited`` lists the others with their reason."""
    quotes: dict[int, list[str]] = {}
    for source_id, quote in Citation.objects.values_list("source_id", "quote"):
        quotes.setdefault(source_id, []).append(normalise(quote))
    listed = {(entry["source"], entry["paragraph"]): entry for entry in uncited}
    problems, cited, total = [], set(), 0
    for source in Source.objects.select_related("current_text").order_by("slug"):
        if source.no_archived_text and sources_dir is None:
            continue
        text = source_text(source, sources_dir)
        if text is None:
            problems.append(f"{source.slug}: no archived text in {sources_dir or 'the database'}")
            continue
        numbered = list(enumerate(paragraphs(text), start=1))
        total += len(numbered)
        for number, paragraph in numbered:
            body = normalise(paragraph)
            if any(quote in body for quote in quotes.get(source.pk, ())):
                cited.add((source.slug, number))
            elif (source.slug, number) not in listed:
                problems.append(f"{source.slug} ¶{number} is neither cited nor listed: {body}")
        for slug, number in sorted(listed):
            if slug == source.slug and not 1 <= number <= len(numbered):
                problems.append(f"{slug} ¶{number} is listed but the source has no such paragraph")
    known = set(Source.objects.values_list("slug", flat=True))
    for (slug, number), entry in sorted(listed.items()):
        if slug not in known:
            problems.append(f"{slug} ¶{number} is listed but there is no such source")
        elif (slug, number) in cited:
            problems.append(f"{slug} ¶{number} is listed as reporting no fact but is cited")
        if entry.get("reason") not in UNCITED_REASONS:
            problems.append(f"{slug} ¶{number}: reason must be one of {sorted(UNCITED_REASONS)}")
        if (entry.get("reason") == "repeat") != bool(entry.get("repeats")):
            problems.append(f"{slug} ¶{number}: a repeat, and only a repeat, names what it repeats")
    return ParagraphCoverage(total, frozenset(cited), frozenset(listed), problems)


@dataclass(frozen=True)
class Passage:
    """A stretch of a source's archived text: plain, or the words some citations quote."""

    text: str
    citations: tuple = ()


def cited_passages(text: str, citations) -> list[list[Passage]]:
    """A source's paragraphs (``paragraphs``), each as passages: the words each citation
    quotes (found as ``citations_verify`` finds them, normalised) marked with the citations
    that quote them, the rest plain. Overlapping quotes are marked as one passage."""
    result = []
    for paragraph in paragraphs(text):
        normal, offsets = normalise_with_offsets(paragraph)
        spans = []
        for citation in citations:
            quote = normalise(citation.quote)
            at = normal.find(quote) if quote else -1
            if at >= 0:
                end = offsets[at + len(quote) - 1] + 1
                spans.append((offsets[at], end, citation))
        result.append(_split(paragraph, sorted(spans, key=lambda span: span[:2])))
    return result


def _split(paragraph: str, spans: list) -> list[Passage]:
    """The paragraph cut at the spans (sorted by start), overlapping spans merged."""
    passages, position = [], 0
    merged: list[list] = []
    for start, end, citation in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(citation)
        else:
            merged.append([start, end, [citation]])
    for start, end, cited in merged:
        if start > position:
            passages.append(Passage(paragraph[position:start]))
        passages.append(Passage(paragraph[start:end], tuple(cited)))
        position = end
    if position < len(paragraph):
        passages.append(Passage(paragraph[position:]))
    return passages

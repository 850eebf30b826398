"""Check that every quote in the database occurs in the archived text of its source.

Quotes are compared after normalising both sides the same way: Unicode NFKC, typographic
quotes and apostrophes made straight, dashes made hyphens, runs of whitespace made one space.
So “junior partner” matches "junior partner", and a line break in the archive matches a space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..models import Citation
from ..models.sources import CITATION_TARGETS

_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form in which quotes and archived texts are compared."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _WHITESPACE.sub(" ", text).strip()


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


def citations_verify(*, sources_dir: Path) -> CitationCheck:
    """Look up every citation's quote in the archived text of its source in ``sources_dir``."""
    texts: dict[str, str | None] = {}
    failures = []
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
    return CitationCheck(checked=checked, failures=failures)


def _quote_problem(citation: Citation, sources_dir: Path, texts: dict) -> str | None:
    archive_name = citation.source.archive_name
    if not archive_name:
        return "the source has no archived text"
    if archive_name not in texts:
        path = sources_dir / archive_name
        texts[archive_name] = normalise(path.read_text("utf-8")) if path.is_file() else None
    text = texts[archive_name]
    if text is None:
        return f"archived text {archive_name} not found in {sources_dir}"
    if normalise(citation.quote) not in text:
        return "quote not found"
    return None

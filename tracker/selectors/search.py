"""Full-text search over records' titles and summaries, sources' titles and citations' quotes,
with PostgreSQL's own ranking and highlighted snippets (``ts_rank``, ``ts_headline``).

Each kind of row is searched on its own, the best ``limit`` first: three queries per kind
(matches, their ranks, the best rows with their snippets), the first reading matches through
the GIN index on the same text (``search_index``, migration 0020). Ranking costs a
computation per match, so a word found in a tenth of 1,500,000 quotes is ranked among its
first ``CANDIDATES`` matches only, read first: the page then costs the same at any size of
the data.

Snippets mark the matched words between two control characters, which no stored text may hold
(``tracker.text``), so a page escapes the text and then marks them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Agreement, Citation, Delivery, Issue, Source, TradeRecord
from ..models.base import SEARCH_CONFIG as CONFIG
from .records import SUPPORTED

#: Each searched model, its text (as the GIN index of the model reads it) and the field its
#: snippet is cut from.
SEARCHED = {
    "agreement": (Agreement, ("title", "summary")),
    "delivery": (Delivery, ("title", "summary")),
    "trade_record": (TradeRecord, ("title", "summary")),
    "issue": (Issue, ("title", "summary")),
    "source": (Source, ("title",)),
    "quote": (Citation, ("quote",)),
}
START, STOP = "\x02", "\x03"
#: The most matches of one kind that are ranked.
CANDIDATES = 1000


def search_vector(fields: tuple[str, ...]) -> SearchVector:
    """The text searched, as the GIN indexes hold it: the same expression, or no index use."""
    return SearchVector(*fields, config=CONFIG)


@dataclass(frozen=True)
class Hit:
    kind: str
    row: object
    rank: float
    snippet: SafeString


def marked(headline: str) -> SafeString:
    """A snippet from ``ts_headline``, escaped, with its matches in ``<mark>``."""
    text = escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(text)


def search(terms: str, limit: int = 20) -> dict[str, list[Hit]]:
    """The best ``limit`` matches of each kind for ``terms`` (a web search: words, "quoted
    phrases", -excluded, or), by rank; an empty list for a kind with none."""
    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    results = {}
    for kind, (model, fields) in SEARCHED.items():
        matches = model.objects.annotate(found=search_vector(fields)).filter(found=query)
        # Read first, apart: inside the ranking query as a subquery, PostgreSQL may rank
        # every row of the table by the order it asks for and join the candidates last.
        candidates = list(matches.order_by().values_list("pk", flat=True)[:CANDIDATES])
        # Ranked narrow, then the best rows read whole: joined before the sort, each candidate
        # quote was joined to its source and records only for most of them to be dropped.
        best = dict(
            model.objects.annotate(found=search_vector(fields))
            .filter(pk__any=candidates)
            .annotate(rank=SearchRank(F("found"), query))
            .order_by("-rank", "id")
            .values_list("pk", "rank")[:limit]
        )
        rows = model.objects.filter(pk__any=list(best))
        if kind == "quote":
            rows = rows.select_related("source", *SUPPORTED)
        headline = SearchHeadline(
            fields[-1],
            query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=12,
            highlight_all=kind == "quote",
        )
        by_pk = {row.pk: row for row in rows.annotate(snippet=headline)}
        results[kind] = [
            Hit(kind, by_pk[pk], rank, marked(by_pk[pk].snippet)) for pk, rank in best.items()
        ]
    return results

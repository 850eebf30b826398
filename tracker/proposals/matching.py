"""Which records a sentence concerns.

Agreements, deliveries and issues are found by name — title, short name or designation, and
the aliases editors keep ("Triumf", "Reciprocal Exchange of Logistics Support") — in one query
for all the sentences of a text:

1. full-text search keeps the names whose every word (an English stem, so "Logistic" stands
   for "Logistics"; numbers too, so "Delivery 123" needs a 123) occurs in the text: a name
   sharing only common words with it ("naval", "oil") is not the text's subject, and the
   many records of a large tracker are sifted without scoring each against each sentence;
2. trigram word similarity (``pg_trgm``'s ``word_similarity(name, sentence)``: how much of
   the name appears, spelt nearly alike, in one stretch of the sentence) scores each name
   kept against each sentence, and a record scores as its best name; those at ``THRESHOLD``
   or above are kept, best first, ties broken by full-text rank.

A name spelt otherwise in a source ("defense" for "defence") is what aliases are for.

Trade records are too many to match by name, and their titles are generic: a sentence
concerns the trade records whose figure it states (``trade_records_by_value``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from ..models import TradeRecord
from .parsing import Amount

#: The least word similarity of a name to a sentence for the sentence to concern its record:
#: "S-400" in "the S-400 system" scores 1, "S-400 Triumf" there 0.46, RELOS's title against
#: "Reciprocal Exchange of Logistic Support (RELOS)" 0.95, an unrelated title below 0.3.
THRESHOLD = 0.45
#: How many records a sentence is matched to at most.
MOST = 5

#: Each kind of record matched by name, with the names it is known by and the figures a
#: proposal compares with what a sentence says (as text, so decimals stay exact).
NAMED = {
    "agreement": (
        "tracker_agreement",
        "ARRAY[r.title, r.short_name]",
        "'{}'::jsonb",
    ),
    "delivery": (
        "tracker_delivery",
        "ARRAY[r.title, r.designation]",
        "jsonb_build_object('value', r.value::text, 'value_currency', r.value_currency,"
        " 'value_unit', r.value_unit, 'quantity_ordered', r.quantity_ordered::text,"
        " 'quantity_unit', r.quantity_unit)",
    ),
    "issue": (
        "tracker_issue",
        "ARRAY[r.title]",
        "jsonb_build_object('people_affected', r.people_affected::text)",
    ),
}
_NAMES_SQL = " UNION ALL ".join(
    f"""SELECT '{record_type}' AS record_type, r.id, r.slug, r.title, n.name, {figures} AS figures
          FROM {table} r
         CROSS JOIN unnest({names} || r.aliases::text[]) AS n(name)
         CROSS JOIN LATERAL tsvector_to_array(to_tsvector('english', n.name)) AS words(stems)
         WHERE cardinality(words.stems) > 0 AND words.stems <@ (SELECT stems FROM text_words)"""
    for record_type, (table, names, figures) in NAMED.items()
)
MATCH_SQL = f"""
WITH sentence(body, ord) AS (SELECT * FROM unnest(%(sentences)s::text[]) WITH ORDINALITY),
text_words(stems) AS (SELECT tsvector_to_array(to_tsvector('english', %(text)s))),
name AS ({_NAMES_SQL})
SELECT DISTINCT ON (s.ord, n.record_type, n.id)
       s.ord, n.record_type, n.id, n.slug, n.title, n.name, n.figures, similarity.score,
       ts_rank(to_tsvector('english', n.name), plainto_tsquery('english', s.body)) AS rank
  FROM sentence s
 CROSS JOIN name n
 CROSS JOIN LATERAL (SELECT word_similarity(n.name, s.body) AS score) similarity
 WHERE similarity.score >= %(threshold)s
 ORDER BY s.ord, n.record_type, n.id, similarity.score DESC
"""


@dataclass(frozen=True)
class RecordMatch:
    """A record a sentence concerns: its type ("agreement", "delivery", "issue",
    "trade_record"), id, slug and title, the ``name`` the sentence matched, its ``score``
    (0 to 1) and the record's ``figures`` a proposal compares with the sentence's."""

    record_type: str
    id: int
    slug: str
    title: str
    name: str
    score: float
    figures: dict = field(default_factory=dict, compare=False, hash=False)


def match_records(sentences: list[str]) -> list[list[RecordMatch]]:
    """The records each of ``sentences`` concerns by name, best first (at most ``MOST``)."""
    if not sentences:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            MATCH_SQL,
            {"sentences": sentences, "text": "\n".join(sentences), "threshold": THRESHOLD},
        )
        rows = cursor.fetchall()
    found: dict[int, list[tuple]] = defaultdict(list)
    for ordinal, record_type, pk, slug, title, name, figures, score, rank in rows:
        # Django reads jsonb as text, for JSONField to decode.
        figures = json.loads(figures) if isinstance(figures, str) else figures
        match = RecordMatch(record_type, pk, slug, title, name, round(score, 3), figures)
        found[ordinal - 1].append((score, rank, match))
    return [
        [match for *_, match in sorted(found[i], key=lambda f: f[:2], reverse=True)[:MOST]]
        for i in range(len(sentences))
    ]


def trade_records_by_value(amounts: list[Amount]) -> dict[tuple, list[RecordMatch]]:
    """The trade records that state each of ``amounts`` (value, currency, unit and rate alike), by
    ``figure_key``; one query for them all, on the index of trade values."""
    keys = {figure_key(amount) for amount in amounts}
    if not keys:
        return {}
    rows = TradeRecord.objects.filter(value__in={key[0] for key in keys}).values_list(
        "id", "slug", "title", "value", "currency", "unit", "rate", "qualifier", "period_start"
    )
    found: dict[tuple, list[RecordMatch]] = defaultdict(list)
    for pk, slug, title, value, currency, unit, rate, qualifier, period_start in rows:
        key = (value.normalize(), currency, unit, rate)
        if key in keys:
            figures = {"qualifier": qualifier, "period_start": period_start.isoformat()}
            found[key].append(RecordMatch("trade_record", pk, slug, title, title, 1.0, figures))
    return found


def figure_key(amount: Amount) -> tuple[Decimal, str, str, str]:
    """What a figure must share with a stored one to be the same figure: value, currency, unit
    and rate."""
    return (amount.value.normalize(), amount.currency, amount.unit, amount.rate)

"""Acceptance: the proposer finds what the curated data set took from each source.

For each of the five source documents, the proposer runs on a database that holds the curated
records but none of their events and citations. Of the curated citations that support a date,
a sum, a percentage or a count, at least 90 % must be covered: a proposal's sentence contains
the quote, and one of the proposal's parsed values equals the curated one. Precision is the
share of the proposals carrying a value that cover some curated citation — a lower bound,
since the data set does not record everything the sources say.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tracker.choices import REVISION_KINDS
from tracker.dates import PreciseDate, Precision
from tracker.models import Citation, Source, TimelineEvent
from tracker.proposals.proposer import Proposal, propose
from tracker.services.citations import normalise

pytestmark = pytest.mark.usefixtures("curated")

#: The figures of records whose citations support a number or a date.
NUMERIC_FIGURES = {"value", "quantity_ordered", "people_affected", "tranches", "date"}


@dataclass(frozen=True)
class Expected:
    """A curated citation and the values (``values``, all of them) its quote supports."""

    source: str
    quote: str
    label: str
    values: frozenset
    #: The slug of the record the citation is about (an event's record), if any.
    record: str | None


def amount_values(value, value_high, qualifier, currency, unit, rate="") -> set:
    """How a sum or share compares: in full, and without its qualifier (a delivery's value
    has none, nor a rate)."""
    loose = ("amount", value.normalize(), currency, unit, rate)
    if qualifier is None:
        return {loose}
    high = value_high.normalize() if value_high is not None else None
    return {(*loose, qualifier, high)}


def proposal_values(proposal: Proposal) -> set:
    values = set()
    if proposal.amount:
        a = proposal.amount
        values |= amount_values(a.value, a.value_high, a.qualifier, a.currency, a.unit, a.rate)
        values |= amount_values(a.value, None, None, a.currency, a.unit)
    if proposal.quantity:
        values.add(("count", proposal.quantity.value.normalize()))
    for mention in (proposal.date, proposal.old_date, proposal.new_date):
        if mention:
            values.add(("date", mention.date))
    return values


def expected_values(citation: Citation) -> set:
    """What a curated citation supports, in the terms of ``proposal_values``; empty when it
    supports no number or date."""
    target = citation.target
    figure = citation.figure
    if citation.trade_record_id and figure == "value":
        r = target
        return amount_values(r.value, r.value_high, r.qualifier, r.currency, r.unit, r.rate)
    if citation.delivery_id and figure == "value":
        return amount_values(target.value, None, None, target.value_currency, target.value_unit)
    if figure in ("quantity_ordered", "people_affected"):
        return {("count", Decimal(getattr(target, figure)).normalize())}
    if figure == "tranches":
        tranches = target.tranches.all()
        return {("count", t.quantity.normalize()) for t in tranches} | {
            ("date", t.precise("planned_date")) for t in tranches if t.planned_date
        }
    if not citation.event_id:
        return set()
    event = target
    if figure == "date":
        return {("date", event.when)}
    if event.kind in REVISION_KINDS:
        return {("date", event.precise(name)) for name in ("old_date", "new_date")} - {
            ("date", None)
        }
    if not figure and states_date(citation.quote, event.when):
        return {("date", event.when)}
    return set()


def states_date(quote: str, when: PreciseDate) -> bool:
    """Whether ``quote`` writes the date ``when`` as precisely as it is kept: its year, and
    for a month or a day the month's name, and for a day the day's number. A quote that
    supports an event without giving its date ("In December 2025" for 4 December) supports
    no date."""
    day = when.date
    if str(day.year) not in quote:
        return False
    if when.precision in (Precision.MONTH, Precision.DAY) and not re.search(
        rf"\b(?:{calendar.month_name[day.month]}|{calendar.month_abbr[day.month]})\b", quote
    ):
        return False
    return when.precision != Precision.DAY or bool(re.search(rf"\b{day.day}\b", quote))


def curated_expectations() -> list[Expected]:
    citations = Citation.objects.select_related(
        "source", "agreement", "delivery", "trade_record", "issue", "event"
    ).order_by("id")
    found = []
    for citation in citations:
        if citation.figure and citation.figure not in NUMERIC_FIGURES:
            continue
        values = expected_values(citation)
        if values:
            label = f"{citation.target} [{citation.figure or 'event'}]"
            target = citation.event.record if citation.event_id else citation.target
            record = target.slug if target else None
            found.append(
                Expected(citation.source.slug, citation.quote, label, frozenset(values), record)
            )
    return found


def covers(proposal: Proposal, expected: Expected) -> bool:
    """The proposal's sentence holds the quote, and the proposal carries every value the
    citation supports (a tranche's count and planned date both)."""
    return normalise(expected.quote) in normalise(proposal.sentence.text) and (
        expected.values <= proposal_values(proposal)
    )


def share(part: list, whole: list) -> str:
    return f"{len(part)}/{len(whole)} = {len(part) / max(len(whole), 1):.0%}"


def test_the_proposer_finds_what_the_curated_citations_support(seeds_dir, capsys):
    expectations = curated_expectations()
    sources = {s.slug: s for s in Source.objects.all()}
    Citation.objects.all().delete()
    TimelineEvent.objects.all().delete()

    lines, recalls, total_covered, total = [], {}, 0, 0
    for slug, source in sources.items():
        expected = [e for e in expectations if e.source == slug]
        text = (seeds_dir / source.archive_name).read_text(encoding="utf-8")
        proposals = [p for p in propose(text, source.published_on) if proposal_values(p)]
        covered = [e for e in expected if any(covers(p, e) for p in proposals)]
        useful = [p for p in proposals if any(covers(p, e) for e in expected)]
        on_record = [
            e
            for e in covered
            if e.record
            and any(covers(p, e) and e.record in {r.slug for r in p.records} for p in proposals)
        ]
        total_covered, total = total_covered + len(covered), total + len(expected)
        recalls[source.archive_name] = len(covered) / len(expected)
        lines.append(
            f"{source.archive_name}: recall {share(covered, expected)},"
            f" precision {share(useful, proposals)};"
            f" record matched {share(on_record, [e for e in covered if e.record])}"
        )
        lines += [f"    missed: {e.label}: {e.quote!r}" for e in expected if e not in covered]
    lines.append(f"all: recall {total_covered}/{total} = {total_covered / total:.0%}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert total >= 40, "the data set's numeric citations were not all found"
    assert min(recalls.values()) >= 0.9, "\n".join(lines)

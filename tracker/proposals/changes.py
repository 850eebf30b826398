"""A proposal as it is stored: its matched records, parsed values and proposed change as JSON,
and the quote its citation would carry.

The change is written as the field values a form would hold (dates ISO, decimals as text, a
record as ``"delivery:12"``, a party by its code), so an editor corrects it field by field and
``services.proposals.accept`` validates it as any other write of those fields.
"""

from __future__ import annotations

import re

from django.utils.text import slugify

from ..choices import REVISION_KINDS, EventKind, PeriodType, Qualifier
from ..choices import ProposalAction as Action
from ..dates import PreciseDate, Precision, trade_period_end
from ..figures import number, stated_value
from .parsing import Amount, DateMention, Quantity
from .proposer import Proposal

#: The most words a proposed quote has: a citation quotes a few words, not a paragraph.
QUOTE_WORDS = 40
#: The most characters, as a citation allows (``models.sources.QUOTE_MAX_CHARS``).
QUOTE_CHARS = 400
#: The parties a trade figure is between unless the editor says otherwise.
REPORTER, PARTNER = "IND", "RUS"


def record_key(record_type: str, pk: int) -> str:
    return f"{record_type}:{pk}"


def records_json(proposal: Proposal) -> list[dict]:
    return [
        {
            "type": r.record_type,
            "id": r.id,
            "key": record_key(r.record_type, r.id),
            "slug": r.slug,
            "title": r.title,
            "name": r.name,
            "score": r.score,
        }
        for r in proposal.records
    ]


def date_json(mention: DateMention) -> dict:
    return {
        "text": mention.text,
        "date": mention.date.date.isoformat(),
        "precision": mention.date.precision,
        "shown": mention.date.display,
        "until": mention.until.date.isoformat() if mention.until else None,
        "is_estimate": mention.is_estimate,
        "by": mention.by,
        "fiscal_year": mention.fiscal_year,
    }


def amount_json(amount: Amount) -> dict:
    return {
        "text": amount.text,
        "value": str(amount.value),
        "value_high": None if amount.value_high is None else str(amount.value_high),
        "qualifier": amount.qualifier,
        "currency": amount.currency,
        "unit": amount.unit,
        "rate": amount.rate,
        "shown": stated_value(
            amount.value, amount.value_high, amount.qualifier, amount.currency, amount.unit
        ),
    }


def quantity_json(quantity: Quantity) -> dict:
    return {
        "text": quantity.text,
        "value": str(quantity.value),
        "unit": quantity.unit,
        "qualifier": quantity.qualifier,
        "shown": f"{number(quantity.value)} {quantity.unit}",
    }


def values_json(proposal: Proposal) -> dict:
    """What the proposal read, each with the words it read it from."""
    values = {
        name: date_json(getattr(proposal, name))
        for name in ("date", "old_date", "new_date")
        if getattr(proposal, name)
    }
    if proposal.amount:
        values["amount"] = amount_json(proposal.amount)
    if proposal.quantity:
        values["quantity"] = quantity_json(proposal.quantity)
    return values


def _date_fields(prefix: str, when: PreciseDate | None) -> dict:
    """``{"<prefix>date": …, "<prefix>precision": …}``, empty strings when unknown."""
    return {
        f"{prefix}date": when.date.isoformat() if when else "",
        f"{prefix}precision": when.precision if when else "",
    }


def _first_key(proposal: Proposal) -> str:
    best = proposal.records[0] if proposal.records else None
    return record_key(best.record_type, best.id) if best else ""


def event_change(proposal: Proposal, published: PreciseDate | None) -> dict:
    """A timeline event on the best record. A revision is dated when it was reported (the
    source's date, unless the sentence dates it) and gives the old and the new date."""
    kind = proposal.kind or EventKind.OTHER
    when = proposal.date.date if proposal.date else published
    best = proposal.records[0].title if proposal.records else ""
    label = EventKind(kind).label
    if kind in REVISION_KINDS and proposal.new_date:
        label = f"{label} to {proposal.new_date.date.display}"
    title = f"{best}: {label.lower()}" if best else label
    change = {
        "record": _first_key(proposal),
        "kind": kind,
        **_date_fields("", when),
        "date_is_estimate": bool(proposal.date and proposal.date.is_estimate),
        "party": proposal.party,
        "body": proposal.body,
        "title": title[:200],
    }
    if kind in REVISION_KINDS:
        change |= _date_fields("old_", proposal.old_date.date if proposal.old_date else None)
        change |= _date_fields("new_", proposal.new_date.date if proposal.new_date else None)
    return change


def _estimate(qualifier: str) -> bool:
    return qualifier != Qualifier.EXACT


def figure_change(proposal: Proposal) -> dict:
    """The fields of the record that the figure sets."""
    change = {"record": _first_key(proposal), "figure": proposal.figure}
    amount, quantity = proposal.amount, proposal.quantity
    if proposal.figure == "value" and amount:
        return change | {
            "value": str(amount.value),
            "value_currency": amount.currency,
            "value_unit": amount.unit,
            "value_is_estimate": _estimate(amount.qualifier),
        }
    if proposal.figure == "share_percent" and amount:
        return change | {"party": proposal.party, "share_percent": str(amount.value)}
    if proposal.figure == "tranche" and quantity:
        planned = proposal.date.date if proposal.date else None
        return change | {"quantity": str(quantity.value), **_date_fields("planned_", planned)}
    if proposal.figure == "quantity_ordered" and quantity:
        return change | {
            "quantity_ordered": str(quantity.value),
            "quantity_unit": quantity.unit[:40],
            "quantity_is_estimate": _estimate(quantity.qualifier),
        }
    if proposal.figure == "people_affected" and quantity:
        return change | {
            "people_affected": str(quantity.value),
            "people_affected_is_estimate": _estimate(quantity.qualifier),
        }
    return change


def trade_change(proposal: Proposal, source_slug: str) -> dict:
    """A new trade record: the figure, and its period from the date the sentence gives it."""
    amount = proposal.amount
    period = proposal.date
    title = f"{proposal.flow} {proposal.metric}".replace("_", " ").capitalize()
    if period:
        title += f", {period.text}"
    change = {
        "title": title[:200],
        "slug": slugify(f"{source_slug}-{title}")[:100],
        "reporter": REPORTER,
        "partner": PARTNER,
        "flow": proposal.flow,
        "metric": proposal.metric,
        "kind": proposal.trade_kind,
        "value": str(amount.value),
        "value_high": "" if amount.value_high is None else str(amount.value_high),
        "qualifier": amount.qualifier,
        "currency": amount.currency,
        "unit": amount.unit,
        "rate": amount.rate,
    }
    return change | trade_period(period)


def trade_period(period: DateMention | None) -> dict:
    """A trade figure's period: a fiscal year, a calendar year, a quarter or a month."""
    if period is None:
        return {"period_type": "", "period_start": "", "period_end": ""}
    kinds = {
        Precision.YEAR: PeriodType.CALENDAR_YEAR,
        Precision.QUARTER: PeriodType.QUARTER,
        Precision.MONTH: PeriodType.MONTH,
    }
    if period.fiscal_year:
        kind = PeriodType.FISCAL_YEAR
    else:
        kind = kinds.get(period.date.precision, PeriodType.MONTH)
    start = period.date.date
    return {
        "period_type": kind,
        "period_start": start.isoformat(),
        "period_end": trade_period_end(kind, start).isoformat(),
    }


def proposed_change(proposal: Proposal, source_slug: str, published: PreciseDate | None) -> dict:
    if proposal.action == Action.EVENT:
        return event_change(proposal, published)
    if proposal.action == Action.FIGURE:
        return figure_change(proposal)
    if proposal.action == Action.TRADE_FIGURE:
        return trade_change(proposal, source_slug)
    return {"record": _first_key(proposal), "figure": proposal.figure}


_WORD = re.compile(r"\S+")


def default_quote(proposal: Proposal) -> str:
    """The words the citation quotes: the sentence, or its clause when the sentence is too
    long, cut to ``QUOTE_WORDS`` words and ``QUOTE_CHARS`` characters (a run of the text's
    own words, so it is found verbatim)."""
    text = proposal.sentence.text
    if len(_WORD.findall(text)) > QUOTE_WORDS or len(text) > QUOTE_CHARS:
        text = text[proposal.part[0] : proposal.part[1]]
    words = list(_WORD.finditer(text))[:QUOTE_WORDS]
    while words and words[-1].end() - words[0].start() > QUOTE_CHARS:
        words.pop()
    quote = text[words[0].start() : words[-1].end()] if words else text
    return quote.rstrip(",;:")

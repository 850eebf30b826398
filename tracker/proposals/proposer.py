"""From a source's text to proposals: for each sentence that reports something the tracker
keeps, what an editor could do with it.

``propose(text)`` splits the text into sentences (``sentences``), reads their dates, sums,
percentages and counts (``parsing``), finds the records they concern (``matching``, two
queries for the whole text) and guesses, sentence by sentence:

- a **timeline event** — its kind from the verbs ("ratified", "postponed", "pushed back"),
  the party and acting body where named ("Russia's State Duma"), its date; a postponement
  or forecast revision gives the new date and, when the sentence has both ("originally due
  by end-2023, now 2026"), the old one;
- a **figure** of a record — a delivery's value or quantity ordered, the quantity and
  planned date of a tranche ("the remaining two regiments … postponed until 2026"), the
  people an issue affects, an agreement party's share;
- a **trade figure** — a sum or share with its flow, period and kind (a target);
- a **citation** where the record already holds the figure the sentence states.

Nothing is written: the proposals are plain values for the inbox to show and an editor to
accept through the ordinary write paths.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

from ..choices import (
    REVISION_KINDS,
    ActingBody,
    EventKind,
    Rate,
    TradeFlow,
    TradeKind,
    TradeMetric,
    Unit,
)
from ..choices import ProposalAction as Action
from .matching import RecordMatch, figure_key, match_records, trade_records_by_value
from .parsing import Amount, DateMention, Facts, Quantity, number_value, parse_facts
from .sentences import Sentence, split_sentences

#: The kind of event a sentence reports, from its words; the first kind whose words occur
#: wins, so the more telling kinds come first.
EVENT_WORDS = [
    (
        EventKind.FORECAST_REVISED,
        r"\b(?:originally|initially|earlier)\b.*\b(?:now|revised|moved|rescheduled)\b"
        r"|\brevised\b|\brescheduled\b|\bnow (?:due|expected|scheduled|slated)\b",
    ),
    (
        EventKind.POSTPONED,
        r"\bpostpone[ds]?\b|\bpushed back\b|\bdelayed (?:to|until|till)\b|\bdeferred\b"
        r"|\bslipped to\b",
    ),
    (EventKind.RATIFIED, r"\bratif(?:ied|ies|y|ication)\b"),
    (EventKind.ENTERED_INTO_FORCE, r"\b(?:entered|enters|came|comes|come) into force\b"),
    (
        EventKind.ENTERED_SERVICE,
        r"\b(?:put|pressed|entered|inducted) into (?:service|operation)\b|\bcommissioned\b"
        r"|\binducted\b",
    ),
    (EventKind.CANCELLED, r"\bcancel+(?:ed|s)?\b|\bscrapped\b|\bterminated\b"),
    (EventKind.SIGNED, r"\bsign(?:ed|s|ing)\b|\binked\b"),
    (EventKind.DELIVERED, r"\b(?:was|were|been|is|are) delivered\b|\bhanded over\b|\barrived\b"),
    (EventKind.ORDERED, r"\bordered\b|\bplaced an order\b|\bcontracted\b"),
    (EventKind.APPROVED, r"\bapprov(?:ed|es|al)\b|\badopt(?:ed|ion|s)\b|\bcleared\b"),
    (EventKind.ESCALATED, r"\bescalat\w*\b"),
    (EventKind.EASED, r"\beas(?:ed|ing)\b"),
    (EventKind.NEGOTIATED, r"\bnegotiat\w*\b|\bdiscuss\w*\b|\btalks?\b"),
    (EventKind.PROPOSED, r"\boffer(?:ed|s)?\b|\bproposed\b"),
    (EventKind.MEETING, r"\bsummit\b|\bvisit(?:ed|s|ing)?\b|\bmet\b|\bmeeting\b"),
    (
        EventKind.ANNOUNCED,
        r"\bannounce[ds]?\b|\bunveil\w*\b|\bagreed\b|\bcommit\w*\b"
        r"|\b(?:agreements?|deal|accord|consensus) (?:was |were )?reached\b"
        r"|\breached (?:an? |the )?(?:agreement|deal|accord|consensus)\b"
        r"|\b(?:intends?|plans?) to\b",
    ),
    (EventKind.RAISED, r"\braised\b|\bconcerns?\b|\bwarn\w*\b"),
    (
        EventKind.REPORTED,
        r"\breported\b|\baccording to\b|\bas of\b|\breached\b|\btotall?ed\b|\bstood at\b"
        r"|\bamounted to\b|\brecord high\b",
    ),
]
_EVENT_WORDS = [(kind, re.compile(words, re.IGNORECASE)) for kind, words in EVENT_WORDS]
#: Acting bodies a sentence names, with the party each acts for (``""``: either).
BODY_WORDS = [
    (ActingBody.STATE_DUMA, "RUS", r"\bState Duma\b|\bDuma\b"),
    (ActingBody.FEDERATION_COUNCIL, "RUS", r"\bFederation Council\b"),
    (ActingBody.GOVERNMENT_OF_RUSSIA, "RUS", r"\bRussian government\b|\bKremlin\b"),
    (ActingBody.PRESIDENT_OF_RUSSIA, "RUS", r"\bPresident (?:Vladimir )?Putin\b"),
    (ActingBody.UNION_CABINET, "IND", r"\b(?:Union )?Cabinet\b"),
    (ActingBody.PARLIAMENT_OF_INDIA, "IND", r"\bParliament of India\b|\bIndian Parliament\b"),
    (ActingBody.PRESIDENT_OF_INDIA, "IND", r"\bPresident of India\b|\bRashtrapati\b"),
    (ActingBody.PRIME_MINISTER_OF_INDIA, "IND", r"\bPrime Minister (?:Narendra )?Modi\b"),
    (ActingBody.MINISTRY, "", r"\bMinistry\b|\bMEA\b|\bMoD\b"),
]
_BODY_WORDS = [(body, party, re.compile(words)) for body, party, words in BODY_WORDS]
#: How a sentence names each party.
PARTY_WORDS = {"RUS": r"\bRussia(?:n|'s|’s)?\b|\bMoscow\b", "IND": r"\bIndia(?:n|'s|’s)?\b"}
_PARTY_WORDS = {code: re.compile(words) for code, words in PARTY_WORDS.items()}

_OLD_DATE = re.compile(
    r"\b(?:originally|initially|earlier|first|previously|was|were)\b[\w\s-]*$", re.IGNORECASE
)
_NEW_DATE = re.compile(
    r"\b(?:to|until|till|now|into|for|in)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?$",
    re.IGNORECASE,
)
_TRADE = re.compile(
    r"\btrade\b|\bimport|\bexport|\bcommerce\b|\bturnover\b|\btransactions?\b|\bsavings?\b"
    r"|\bsaved\b|\bdiscount|\bcrude\b|\boil\b",
    re.IGNORECASE,
)
_SHARE = re.compile(r"\bshares?\b|\bstakes?\b|\bequity\b", re.IGNORECASE)
_TARGET = re.compile(r"\btarget|\bgoal\b|\bobjective\b|\baim(?:s|ed)? to\b", re.IGNORECASE)
_PEOPLE = re.compile(
    r"\b(?:Indians?|nationals|citizens|people|persons|workers|soldiers|students|recruits)$",
    re.IGNORECASE,
)
_TRANCHE = re.compile(r"\bremaining\b|\bfirst\b|\bsecond\b|\bnext\b|\blast\b", re.IGNORECASE)
_FLOWS = [
    (TradeFlow.IMPORT, re.compile(r"\bimport", re.IGNORECASE)),
    (TradeFlow.EXPORT, re.compile(r"\bexport", re.IGNORECASE)),
]


@dataclass(frozen=True)
class Proposal:
    """One thing a sentence reports, and what to do with it (``action``).

    ``records`` are those it concerns, best first. An event has its ``kind``, ``party``
    (a party code), ``body`` (an ``ActingBody``) and ``date`` — and, for a revision, the
    ``old_date`` where given and the ``new_date``. A figure names the ``figure`` it sets (a
    field: ``value``, ``quantity_ordered``, ``people_affected``, ``share_percent``, or
    ``tranche`` for a tranche's quantity and planned ``date``) and its ``amount`` or
    ``quantity``; a share names the ``party`` that holds it. A trade figure has its
    ``amount``, ``flow``, ``metric``, ``trade_kind`` and period (``date``; for a target, the
    date it is due).
    """

    sentence: Sentence
    action: str
    records: tuple[RecordMatch, ...] = ()
    kind: str = ""
    party: str = ""
    body: str = ""
    date: DateMention | None = None
    old_date: DateMention | None = None
    new_date: DateMention | None = None
    figure: str = ""
    amount: Amount | None = None
    quantity: Quantity | None = None
    flow: str = ""
    metric: str = ""
    trade_kind: str = ""
    #: Where in the sentence the words it reads are: the clause (start, end).
    part: tuple[int, int] = (0, 0)


def propose(text: str, today: dt.date | None = None) -> list[Proposal]:
    """The proposals for ``text``, in reading order. ``today`` is the source's date (or the
    current day): it places words such as "the end of the decade"."""
    reporting = []
    for sentence in split_sentences(text):
        facts = parse_facts(sentence.text, today)
        for start, end in clauses(sentence.text):
            found = facts.within(start, end)
            if found or event_kind(sentence.text[start:end]):
                reporting.append((sentence, (start, end), found))
    matches = match_records([sentence.text[start:end] for sentence, (start, end), _ in reporting])
    by_value = trade_records_by_value([a for *_, found in reporting for a in found.amounts])
    proposals = []
    for (sentence, part, found), records in zip(reporting, matches, strict=True):
        proposals.extend(sentence_proposals(sentence, part, found, records, by_value))
    return proposals


#: Where a sentence joins two reports: "… pushed back to 2028, and the remaining two
#: regiments … postponed until 2026".
_CLAUSE_JOIN = re.compile(r",\s+(?=(?:and|while|but|whereas|whilst)\s)|;\s+")


def clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each clause of a sentence, split where it joins two reports."""
    bounds = [0, *(m.end() for m in _CLAUSE_JOIN.finditer(text)), len(text)]
    return list(pairwise(bounds))


def event_kind(text: str) -> str:
    """The kind of event ``text`` reports, by its words; ``""`` if none."""
    return next((kind for kind, words in _EVENT_WORDS if words.search(text)), "")


def acting(text: str) -> tuple[str, str]:
    """The party (a code) and the acting body that ``text`` names: the body's party, or the
    one party the sentence names."""
    for body, party, words in _BODY_WORDS:
        if words.search(text):
            return party or only_party(text), body
    return only_party(text), ""


def only_party(text: str) -> str:
    named = [code for code, words in _PARTY_WORDS.items() if words.search(text)]
    return named[0] if len(named) == 1 else ""


def sentence_proposals(
    sentence: Sentence,
    part: tuple[int, int],
    facts: Facts,
    records: list[RecordMatch],
    by_value: dict,
) -> list[Proposal]:
    """What one clause (``part``) of a sentence reports: an event, and a figure, trade figure
    or citation for each sum, share and count it states. The clause's words say what kind of
    report it is; the offsets of ``facts`` count from the sentence's start."""
    text = sentence.text
    clause = text[part[0] : part[1]]
    make = partial(Proposal, sentence, part=part)
    kind = event_kind(clause)
    proposals = []
    revision = kind in REVISION_KINDS
    old_date, new_date = revision_dates(text, facts.dates) if revision else (None, None)
    # A fiscal year is the period of a figure, not the day of an event.
    dated = [d for d in facts.dates if d not in (old_date, new_date) and d.fiscal_year is None]
    # An event is on a record or at a date: a verb alone ("concerns were raised") is none.
    # Without a verb that says what happened, a date says that something did: a day or a
    # month, or a year next to a record's name ("the 2025 agreement for RD-191M").
    told = kind and (dated or records or new_date)
    if told or any(d.date.precision in ("day", "month") for d in dated) or (dated and records):
        party, body = acting(clause)
        event_records = fitting(records, EVENT_RECORD_TYPES.get(kind))
        proposals.append(
            make(
                Action.EVENT,
                tuple(event_records),
                kind=kind or EventKind.OTHER,
                party=party,
                body=body,
                date=next((d for d in dated if not d.by), None),
                old_date=old_date,
                new_date=new_date,
            )
        )
    for amount in facts.amounts:
        proposals.append(amount_proposal(make, text, part, amount, facts, records, by_value))
    for quantity in facts.quantities:
        proposals.append(quantity_proposal(make, text, quantity, records, new_date))
    return [proposal for proposal in proposals if proposal]


#: The records an event of each kind can be on (any, for kinds not listed).
EVENT_RECORD_TYPES = {
    EventKind.POSTPONED: {"delivery"},
    EventKind.FORECAST_REVISED: {"delivery"},
    EventKind.DELIVERED: {"delivery"},
    EventKind.ORDERED: {"delivery"},
    EventKind.RATIFIED: {"agreement"},
    EventKind.SIGNED: {"agreement"},
    EventKind.APPROVED: {"agreement"},
    EventKind.ENTERED_INTO_FORCE: {"agreement"},
    EventKind.ESCALATED: {"issue"},
    EventKind.EASED: {"issue"},
    EventKind.RAISED: {"issue"},
}


def fitting(records: list[RecordMatch], types: set[str] | None) -> list[RecordMatch]:
    """``records`` of ``types`` first (all of them when ``types`` is ``None``)."""
    if types is None:
        return records
    return sorted(records, key=lambda r: r.record_type not in types)


def revision_dates(
    text: str, dates: tuple[DateMention, ...]
) -> tuple[DateMention | None, DateMention | None]:
    """The old and the new date of a revision: the old one after "originally", "initially" …
    ("originally due by end-2023"), the new one after "to", "until", "now" … ("postponed until
    2026"), else the last date the sentence gives."""
    old = next((d for d in dates if _OLD_DATE.search(text[: d.start])), None)
    rest = [d for d in dates if d is not old]
    new = next((d for d in rest if _NEW_DATE.search(text[: d.start])), None)
    if new is None and rest:
        new = rest[-1]
    return old, new


def amount_proposal(
    make,
    text: str,
    part: tuple[int, int],
    amount: Amount,
    facts: Facts,
    records: list[RecordMatch],
    by_value: dict,
) -> Proposal | None:
    """A sum or a share in ``text``: a citation for a record that already states it, a
    delivery's value or an agreement party's share, or else a trade figure; none for a share
    of something else ("cut the transit time by 40 %")."""
    stated = by_value.get(figure_key(amount), [])
    same = [r for r in records if stated_figure(r) == figure_key(amount)]
    # Of the trade records stating the figure, those that qualify it alike first.
    stated = sorted(stated, key=lambda r: r.figures["qualifier"] != amount.qualifier)
    if same or stated:
        return make(
            Action.CITATION,
            tuple(same + stated),
            figure="value",
            amount=amount,
            date=nearest_date(amount, facts.dates),
        )
    clause = text[part[0] : part[1]]
    delivery = [r for r in records if r.record_type == "delivery"]
    agreement = [r for r in records if r.record_type == "agreement"]
    trade = _TRADE.search(clause)
    if amount.is_percentage and _SHARE.search(clause) and (agreement or not trade):
        return make(
            Action.FIGURE,
            tuple(agreement),
            figure="share_percent",
            amount=amount,
            party=only_party(text[amount.end : amount.end + 20]),
        )
    if amount.is_percentage and not trade:
        return None
    if amount.currency and delivery and not trade:
        return make(Action.FIGURE, tuple(delivery), figure="value", amount=amount)
    target = _TARGET.search(clause)
    period = nearest_date(amount, facts.dates)
    return make(
        Action.TRADE_FIGURE,
        (),
        date=period,
        amount=amount,
        flow=trade_flow(text, part, amount),
        metric=trade_metric(clause, amount),
        trade_kind=TradeKind.TARGET if target else TradeKind.REPORTED,
    )


def stated_figure(record: RecordMatch) -> tuple | None:
    """The value a delivery record states, as ``figure_key`` gives a parsed one (a delivery's
    value is a total, never a rate)."""
    figures = record.figures or {}
    if not figures.get("value"):
        return None
    value = number_value(figures["value"]).normalize()
    return (value, figures["value_currency"], figures["value_unit"], Rate.NONE)


def trade_flow(text: str, part: tuple[int, int], amount: Amount) -> str:
    """Imports or exports, by the word of the clause ``part`` nearest to ``amount``
    ("imports of $63.84 billion, compared to $4.88 billion in exports"); total trade
    otherwise."""
    found = [
        (min(abs(m.start() - amount.end), abs(amount.start - m.end())), flow)
        for flow, words in _FLOWS
        for m in words.finditer(text, *part)
    ]
    return min(found)[1] if found else TradeFlow.TOTAL


def trade_metric(text: str, amount: Amount) -> str:
    if amount.is_percentage:
        return TradeMetric.SHARE
    if re.search(r"\bsav(?:ed|ings?)\b", text, re.IGNORECASE):
        return TradeMetric.SAVINGS
    if amount.unit == Unit.PER_BARREL or re.search(r"\bdiscount\b", text, re.IGNORECASE):
        return TradeMetric.PRICE
    return TradeMetric.VALUE


def nearest_date(amount: Amount, dates: tuple[DateMention, ...]) -> DateMention | None:
    """The date a figure is for: the nearest one after it, else the nearest before."""
    after = [d for d in dates if d.start >= amount.end]
    if after:
        return min(after, key=lambda d: d.start)
    before = [d for d in dates if d.end <= amount.start]
    return max(before, key=lambda d: d.end) if before else None


def quantity_proposal(
    make,
    text: str,
    quantity: Quantity,
    records: list[RecordMatch],
    planned: DateMention | None,
) -> Proposal | None:
    """A count: the people an issue affects, a tranche ("the remaining two regiments"), or a
    delivery's quantity ordered; none where the sentence concerns no delivery or issue."""
    if _PEOPLE.search(quantity.unit):
        issues = tuple(r for r in records if r.record_type == "issue")
        return _count(make, issues, "people_affected", quantity)
    deliveries = tuple(r for r in records if r.record_type == "delivery")
    if not deliveries:
        return None
    before = text[max(0, quantity.start - 20) : quantity.start]
    if planned is not None or _TRANCHE.search(before):
        return make(Action.FIGURE, deliveries, figure="tranche", quantity=quantity, date=planned)
    return _count(make, deliveries, "quantity_ordered", quantity)


def _count(make, records: tuple[RecordMatch, ...], figure: str, quantity: Quantity) -> Proposal:
    """A count for ``figure`` of ``records``: a citation where the best record holds it."""
    held = records and (records[0].figures or {}).get(figure)
    action = Action.CITATION if held and number_value(held) == quantity.value else Action.FIGURE
    return make(action, records, figure=figure, quantity=quantity)

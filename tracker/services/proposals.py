"""Storing a source's proposals, and accepting or rejecting them.

``store_proposals`` runs when a source's text is archived (``services.sources.archive``): the
pending proposals of earlier versions give way to those of the new text, while accepted and
rejected ones stay, and a sentence already handled is not proposed again.

``accept`` writes what a proposal proposes, as corrected by the editor, the way every other
write does: each object is built from the change's fields, checked by ``full_clean`` (field
errors keyed by the field's name) and saved, its citation verified against the source's text
— all in one transaction, so a refusal leaves nothing behind. Saving a forecast revision
refreshes its delivery's schedule and slippage (``TimelineEvent.save``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from ..choices import ProposalAction, ProposalStatus
from ..models import (
    Agreement,
    AgreementParty,
    Citation,
    Delivery,
    Issue,
    Party,
    Proposal,
    SourceText,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from ..models.proposals import REASON_REQUIRED
from ..proposals.changes import (
    QUOTE_WORDS,
    default_quote,
    proposed_change,
    records_json,
    values_json,
)
from ..proposals.proposer import propose

#: The records a change may name, by the type the matcher gives them.
RECORD_TYPES = {
    "agreement": Agreement,
    "delivery": Delivery,
    "issue": Issue,
    "trade_record": TradeRecord,
}
#: The fields of a record each figure sets (``tranche`` and ``share_percent`` are rows of
#: their own).
FIGURE_FIELDS = {
    "value": ("value", "value_currency", "value_unit", "value_is_estimate"),
    "quantity_ordered": ("quantity_ordered", "quantity_unit", "quantity_is_estimate"),
    "people_affected": ("people_affected", "people_affected_is_estimate"),
}
#: Fields naming a party, given by its code.
PARTY_FIELDS = ("party", "reporter", "partner")
ALREADY_HANDLED = "This proposal was {status} already."


def store_proposals(archived: SourceText) -> list[Proposal]:
    """The proposals of ``archived`` stored in place of the source's pending ones; a sentence
    already accepted or rejected for the same action is not proposed again."""
    source = archived.source
    source.proposals.filter(status=ProposalStatus.PENDING).delete()
    handled = set(
        source.proposals.exclude(status=ProposalStatus.PENDING).values_list("sentence", "action")
    )
    published = source.precise("published_on")
    found = propose(archived.text, source.published_on)
    return Proposal.objects.bulk_create(
        [
            stored(archived, proposal, published)
            for proposal in found
            if (proposal.sentence.text, proposal.action) not in handled
        ]
    )


def stored(archived: SourceText, proposal, published) -> Proposal:
    sentence = proposal.sentence
    return Proposal(
        source_id=archived.source_id,
        text=archived,
        position=sentence.index,
        sentence=sentence.text,
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        paragraph_start=sentence.paragraph_start,
        paragraph_end=sentence.paragraph_end,
        part_start=proposal.part[0],
        part_end=proposal.part[1],
        action=proposal.action,
        records=records_json(proposal),
        values=values_json(proposal),
        change=proposed_change(proposal, archived.source.slug, published),
        quote=default_quote(proposal),
    )


# --- accepting ------------------------------------------------------------------------------


@dataclass
class Written:
    """What accepting wrote: the citation's target and, for an event, the event."""

    target: models.Model
    figure: str = ""
    event: TimelineEvent | None = None


@transaction.atomic
def accept(
    proposal: Proposal, user, change: dict | None = None, quote: str | None = None
) -> Proposal:
    """Write what ``proposal`` proposes, with the editor's corrections (``change``: fields
    of the proposed change; ``quote``: the words kept) and a citation quoting the source.

    ValidationError keyed by field when a value is invalid or the quote is not in the text.
    """
    proposal = Proposal.objects.select_for_update().select_related("source").get(pk=proposal.pk)
    if not proposal.is_pending:
        raise ValidationError({"status": ALREADY_HANDLED.format(status=proposal.status)})
    fields = corrected(proposal, change)
    citation = Citation(source=proposal.source, quote=(proposal.quote if quote is None else quote))
    errors = quote_errors(citation)
    try:
        written = WRITERS[proposal.action](fields)
    except ValidationError as exc:
        raise ValidationError(exc.update_error_dict(errors)) from exc
    if errors:
        raise ValidationError(errors)
    setattr(citation, cited_as(written.target), written.target)
    citation.figure = written.figure
    checked_save(citation)
    proposal.status = ProposalStatus.ACCEPTED
    proposal.change = {**proposal.change, **fields}
    proposal.quote = citation.quote
    proposal.event, proposal.citation = written.event, citation
    handled(proposal, user)
    return proposal


def reject(proposal: Proposal, user, reason: str) -> Proposal:
    """Mark ``proposal`` rejected, keeping why."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_pending:
            raise ValidationError({"status": ALREADY_HANDLED.format(status=proposal.status)})
        if not (reason or "").strip():
            raise ValidationError({"reason": REASON_REQUIRED})
        proposal.status, proposal.reason = ProposalStatus.REJECTED, reason.strip()
        handled(proposal, user)
    return proposal


def handled(proposal: Proposal, user) -> None:
    proposal.handled_by = user if user and user.is_authenticated else None
    proposal.handled_at = timezone.now()
    proposal.full_clean()
    proposal.save()


def corrected(proposal: Proposal, change: dict | None) -> dict:
    """The proposed change with the editor's corrections; a correction of a field the change
    does not have is refused by name."""
    change = change or {}
    unknown = [name for name in change if name not in proposal.change]
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This proposal has no such field."))
    return {**proposal.change, **change}


def quote_errors(citation: Citation) -> dict:
    """The citation's errors (its quote's length, and where it is not in the source's text),
    before its target exists; at most ``QUOTE_WORDS`` words kept."""
    citation.quote = (citation.quote or "").strip()
    if len(re.findall(r"\S+", citation.quote)) > QUOTE_WORDS:
        return {"quote": [f"Keep at most {QUOTE_WORDS} words of the sentence."]}
    try:
        # What it supports is written next; the rule that it supports one thing is checked
        # once it is set.
        citation.full_clean(validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def cited_as(target: models.Model) -> str:
    """The citation field that points at ``target``."""
    if isinstance(target, TimelineEvent):
        return "event"
    return next(name for name, model in RECORD_TYPES.items() if isinstance(target, model))


def record_of(key: str, *, required: bool = True) -> models.Model | None:
    """The record a change names (``"delivery:12"``), locked for the write."""
    if not key:
        if required:
            raise ValidationError({"record": "Choose the record this concerns."})
        return None
    record_type, _, pk = str(key).partition(":")
    model = RECORD_TYPES.get(record_type)
    found = model and pk.isdigit() and model.objects.select_for_update().filter(pk=pk).first()
    if not found:
        raise ValidationError({"record": f"No record “{key}”."})
    return found


def assign(instance: models.Model, fields: dict, names) -> None:
    """Set ``names`` of ``instance`` from ``fields``, each converted as its model field
    converts a form's value; every value that does not convert is refused by name."""
    errors = {}
    for name in names:
        if name not in fields:
            continue
        try:
            setattr(instance, *converted(instance, name, fields[name]))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def converted(instance: models.Model, name: str, value) -> tuple[str, object]:
    """(attribute, value): a party by its code, an empty value as the field's empty one."""
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValidationError("This field cannot be set here.") from None
    if name in PARTY_FIELDS:
        party = Party.objects.filter(code=value).first() if value else None
        if value and party is None:
            raise ValidationError(f"No party has the code “{value}”.")
        return name, party
    if value in ("", None):
        return name, None if field.null else ("" if not field.has_default() else field.default)
    return name, field.to_python(value)


def checked_save(instance: models.Model) -> models.Model:
    instance.full_clean()
    instance.save()
    return instance


def write_event(fields: dict) -> Written:
    record = record_of(fields.get("record", ""), required=False)
    event = TimelineEvent()
    if record is not None:
        setattr(event, cited_as(record), record)
    assign(event, fields, [name for name in fields if name != "record"])
    checked_save(event)
    return Written(event, event=event)


def write_figure(fields: dict) -> Written:
    record = record_of(fields.get("record", ""))
    figure = fields.get("figure", "")
    if figure == "tranche" and isinstance(record, Delivery):
        sequence = (record.tranches.aggregate(last=Max("sequence"))["last"] or 0) + 1
        tranche = Tranche(delivery=record, sequence=sequence)
        assign(tranche, fields, ("quantity", "planned_date", "planned_precision"))
        checked_save(tranche)
    elif figure == "share_percent" and isinstance(record, Agreement):
        party = fields.get("party") or ""
        share = AgreementParty.objects.filter(agreement=record, party__code=party).first()
        if share is None:
            raise ValidationError({"party": "Give the code of a party to the agreement."})
        assign(share, fields, ("share_percent",))
        checked_save(share)
    elif figure in FIGURE_FIELDS and hasattr(record, FIGURE_FIELDS[figure][0]):
        assign(record, fields, FIGURE_FIELDS[figure])
        checked_save(record)
    else:
        raise ValidationError({"figure": f"A {type(record).__name__} has no figure “{figure}”."})
    return Written(record, figure=figure)


def write_trade_figure(fields: dict) -> Written:
    record = TradeRecord()
    assign(record, fields, list(fields))
    checked_save(record)
    return Written(record, figure="value")


def write_citation(fields: dict) -> Written:
    return Written(record_of(fields.get("record", "")), figure=fields.get("figure", ""))


WRITERS = {
    ProposalAction.EVENT: write_event,
    ProposalAction.FIGURE: write_figure,
    ProposalAction.TRADE_FIGURE: write_trade_figure,
    ProposalAction.CITATION: write_citation,
}

"""The inbox: a source's proposals in reading order, each with its sentence highlighted in its
paragraph, the records it matched, the values it read, and a form prefilled with the proposed
change to correct and accept, or to reject with a reason (``services.proposals``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ..choices import ActingBody, EventKind, ProposalAction, TradeFlow, TradeKind, TradeMetric, Unit
from ..dates import Precision
from ..links import admin_path
from ..models import Proposal, Source, SourceText
from ..selectors.proposals import inbox, progress
from ..services.proposals import accept, reject

#: Fields of a change that take one of a vocabulary, by name (``kind`` by the action).
VOCABULARIES = {
    "precision": Precision,
    "old_precision": Precision,
    "new_precision": Precision,
    "planned_precision": Precision,
    "body": ActingBody,
    "value_unit": Unit,
    "unit": Unit,
    "flow": TradeFlow,
    "metric": TradeMetric,
}
KINDS = {ProposalAction.EVENT: EventKind, ProposalAction.TRADE_FIGURE: TradeKind}
#: The order fields are shown in (the database keeps a change's keys sorted); others follow.
FIELD_ORDER = [
    "record",
    "figure",
    "kind",
    "title",
    "date",
    "precision",
    "date_is_estimate",
    "old_date",
    "old_precision",
    "new_date",
    "new_precision",
    "party",
    "body",
]


class ProposalForm(forms.Form):
    """The proposed change of one proposal, field by field, its quote and a reason to reject
    it; prefixed by the proposal's id, so a page holds one per proposal."""

    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="The words of the sentence the citation quotes: at most 40, verbatim.",
    )
    reason = forms.CharField(required=False, label="Reason to reject")

    def __init__(self, proposal: Proposal, *args, **kwargs):
        super().__init__(*args, prefix=f"proposal-{proposal.pk}", **kwargs)
        self.proposal = proposal
        self.initial = {**proposal.change, "quote": proposal.quote}
        self.fields.update(
            (name, change_field(proposal, name, value)) for name, value in proposal.change.items()
        )
        self.order_fields([*FIELD_ORDER, *sorted(proposal.change), "quote", "reason"])

    def change(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.proposal.change}

    def refused(self, error: ValidationError) -> None:
        """Show the service's refusal on the fields it names."""
        for name, messages_ in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages_)


def change_field(proposal: Proposal, name: str, value) -> forms.Field:
    """A form field for one field of a change: a choice of the matched records, of a
    vocabulary, a checkbox for a yes or no, else text."""
    if isinstance(value, bool):
        return forms.BooleanField(required=False)
    if name == "record":
        choices = [
            (r["key"], f"{r['title']} ({r['type']}, {r['score']})") for r in proposal.records
        ]
        return forms.ChoiceField(choices=[("", "—"), *choices], required=False)
    vocabulary = KINDS.get(proposal.action) if name == "kind" else VOCABULARIES.get(name)
    if vocabulary is not None:
        return forms.ChoiceField(choices=[("", "—"), *vocabulary.choices], required=False)
    return forms.CharField(required=False, strip=True)


def heading(proposal: Proposal) -> str:
    """What the proposal would do: "Add a timeline event: Forecast revised"."""
    kinds = KINDS.get(proposal.action)
    kind = proposal.change.get("kind")
    if kinds is None or kind not in kinds.values:
        return proposal.get_action_display()
    return f"{proposal.get_action_display()}: {kinds(kind).label}"


def highlighted(proposal: Proposal, text: str):
    """The proposal's paragraph with its sentence marked."""
    return format_html(
        "{}<mark>{}</mark>{}",
        text[proposal.paragraph_start : proposal.sentence_start],
        text[proposal.sentence_start : proposal.sentence_end],
        text[proposal.sentence_end : proposal.paragraph_end],
    )


def created_link(proposal: Proposal):
    """A link to what an accepted proposal created: its event, else its citation."""
    created = proposal.event or proposal.citation
    if created is None:
        return ""
    return format_html('<a href="{}">{}</a>', admin_path(created, created.pk), created)


class ProposalInboxMixin:
    """A source's inbox at ``<source>/proposals/``, linked from its page."""

    def get_urls(self):
        inbox_url = path(
            "<path:object_id>/proposals/",
            self.admin_site.admin_view(self.inbox_view),
            name="tracker_source_proposals",
        )
        return [inbox_url, *super().get_urls()]

    @admin.display(description="proposals")
    def proposal_inbox(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:tracker_source_proposals", args=[obj.pk])
        return format_html('<a href="{}" class="proposal-inbox">{}</a>', url, progress(obj))

    def inbox_view(self, request, object_id):
        source = get_object_or_404(Source, pk=object_id) if object_id.isdigit() else None
        if source is None or not self.has_view_permission(request, source):
            raise Http404
        proposals = list(inbox(source))
        may_handle = request.user.has_perm("tracker.change_proposal")
        forms_ = {p.pk: ProposalForm(p) for p in proposals if p.is_pending}
        if request.method == "POST":
            if not may_handle:
                raise PermissionDenied
            handled = self.handle(request, proposals, forms_)
            if handled is not None:
                return HttpResponseRedirect(f"{request.path}#proposal-{handled.pk}")
        texts = dict(
            SourceText.objects.filter(pk__in={p.text_id for p in proposals}).values_list(
                "pk", "text"
            )
        )
        rows = [
            {
                "proposal": p,
                "heading": heading(p),
                "paragraph": highlighted(p, texts[p.text_id]),
                "form": forms_.get(p.pk),
                "created": created_link(p),
            }
            for p in proposals
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": source,
            "title": f"Proposals from “{source}”",
            "progress": progress(source),
            "rows": rows,
            "may_handle": may_handle,
        }
        return TemplateResponse(request, "admin/tracker/source/proposals.html", context)

    def handle(self, request, proposals: list[Proposal], forms_: dict) -> Proposal | None:
        """Accept or reject the proposal the form posted names; the proposal when done, None
        when refused (its form then shows why)."""
        chosen = request.POST.get("proposal", "")
        proposal = next((p for p in proposals if str(p.pk) == chosen and p.is_pending), None)
        if proposal is None:
            messages.error(request, "That proposal was handled already.")
            return None
        form = forms_[proposal.pk] = ProposalForm(proposal, request.POST)
        if not form.is_valid():
            return None
        try:
            if "reject" in request.POST:
                done = reject(proposal, request.user, form.cleaned_data["reason"])
            else:
                done = accept(
                    proposal, request.user, change=form.change(), quote=form.cleaned_data["quote"]
                )
        except ValidationError as error:
            form.refused(error)
            return None
        messages.success(request, f"{done.get_status_display()}: “{done.sentence[:80]}”")
        return done

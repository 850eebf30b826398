"""What the editors' dashboard shows, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, When

from ..choices import (
    COLOURS,
    REVISION_KINDS,
    AgreementStatus,
    PeriodType,
    Severity,
    TradeFlow,
    TradeKind,
    TradeMetric,
    Unit,
)
from ..dates import PreciseDate
from ..db import PeriodEnd
from ..models import (
    Agreement,
    Citation,
    Delivery,
    Issue,
    Party,
    Source,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from ..models.agreements import step_events
from ..models.issues import TO_WATCH
from .api import (
    SummaryGroup,
    agreement_parties_prefetch,
    citations_prefetch,
    revisions_prefetch,
    trade_summary,
)

#: Record types whose status the dashboard counts, with the field that holds it.
STATUS_FIELDS = [(Agreement, "status"), (Delivery, "status"), (Issue, "status")]
#: Models whose recent changes the dashboard lists.
CHANGE_LOGGED = [Agreement, Delivery, TradeRecord, Issue, TimelineEvent, Tranche, Source, Citation]
#: Multipliers that bring trade values to billions.
IN_BILLIONS = {
    Unit.BILLION: Decimal(1),
    Unit.MILLION: Decimal("0.001"),
    Unit.THOUSAND: Decimal("0.000001"),
    Unit.ONE: Decimal("0.000000001"),
}
INDIA, RUSSIA = "IND", "RUS"


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class StatusSummary:
    model: type
    counts: list[StatusCount]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


def status_counts() -> list[StatusSummary]:
    """For each record type, how many records have each status (one query per type)."""
    summaries = []
    for model, field in STATUS_FIELDS:
        found = dict(model.objects.order_by().values_list(field).annotate(n=Count("pk")))
        choices = model._meta.get_field(field).choices
        counts = [
            StatusCount(value, label, COLOURS.get(value, "grey"), found[value])
            for value, label in choices
            if found.get(value)
        ]
        summaries.append(StatusSummary(model, counts))
    return summaries


@dataclass(frozen=True)
class FirstOf:
    """The first rows of a list that a page shows, and how many the whole list holds."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        """How many the page leaves out."""
        return self.total - len(self.rows)


def first_of(queryset, limit: int = 10) -> FirstOf:
    """The first ``limit`` rows of ``queryset`` and its length; counted by the database only
    when the rows fill the limit, so a short list costs no extra statement."""
    rows = list(queryset[:limit])
    return FirstOf(rows, len(rows) if len(rows) < limit else queryset.count())


def late_deliveries(today: dt.date):
    """Deliveries known to be late (``DeliveryQuerySet.late``), the most slipped first."""
    return (
        Delivery.objects.late(today)
        .select_related("supplier", "recipient")
        .order_by(F("slippage_months").desc(nulls_last=True), "title")
    )


def late_deliveries_with_sources(today: dt.date):
    """``late_deliveries``, each with its forecast revisions and their citations."""
    return late_deliveries(today).prefetch_related(revisions_prefetch())


def agreements_awaiting_ratification():
    """Agreements whose ratification is pending, with each party's steps and their citations
    (for ``Agreement.party_steps``)."""
    cited_steps = step_events().prefetch_related(citations_prefetch())
    return (
        Agreement.objects.filter(status=AgreementStatus.RATIFICATION_PENDING)
        .prefetch_related(
            agreement_parties_prefetch(),
            Prefetch("events", queryset=cited_steps, to_attr="step_events"),
        )
        .order_by("title")
    )


@dataclass(frozen=True)
class Milestone:
    when: PreciseDate
    title: str
    record: object
    kind: str


def upcoming_milestones(today: dt.date, limit: int = 10) -> list[Milestone]:
    """Planned events and delivery forecasts whose period has not ended yet, soonest first."""
    events = (
        TimelineEvent.objects.filter(is_planned=True)
        .annotate(ends=PeriodEnd(F("date"), F("precision")))
        .filter(ends__gte=today)
        .select_related("agreement", "delivery", "trade_record", "issue")
        .order_by("date", "precision")[:limit]
    )
    forecasts = (
        Delivery.objects.filter(actual_date__isnull=True, forecast_date__isnull=False)
        .annotate(ends=PeriodEnd(F("forecast_date"), F("forecast_precision")))
        .filter(ends__gte=today)
        .order_by("forecast_date")[:limit]
    )
    milestones = [Milestone(e.when, e.title, e.record, e.get_kind_display()) for e in events]
    milestones += [Milestone(d.forecast, d.title, d, "Delivery forecast") for d in forecasts]
    return sorted(milestones, key=lambda m: (m.when.date, m.when.end))[:limit]


@dataclass(frozen=True)
class Change:
    model: type
    object_id: int
    label: str
    when: dt.datetime
    user: object
    action: str

    @property
    def kind(self) -> str:
        return str(self.model._meta.verbose_name)


def _change_label(row) -> str:
    """A readable name for a history row without loading related rows."""
    for name in ("title", "quote", "name"):
        text = getattr(row, name, None)
        if text:
            return text if len(text) <= 80 else f"{text[:77]}…"
    return f"{row.instance_type._meta.verbose_name} #{row.id}"


def recent_changes(limit: int = 12) -> list[Change]:
    """The latest changes to any record, whatever made them (one query per model)."""
    changes = []
    for model in CHANGE_LOGGED:
        rows = model.history.select_related("history_user").order_by("-history_date")[:limit]
        changes += [
            Change(
                model,
                row.id,
                _change_label(row),
                row.history_date,
                row.history_user,
                row.get_history_type_display(),
            )
            for row in rows
        ]
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]


@dataclass(frozen=True)
class TradePoint:
    """India's trade with Russia in one period, in billions of US dollars."""

    period: TradeRecord
    imports: Decimal | None
    exports: Decimal | None
    total: Decimal | None

    @property
    def balance(self) -> Decimal | None:
        if self.imports is None or self.exports is None:
            return None
        return self.exports - self.imports


def _india_flow(record: TradeRecord) -> str:
    """The flow seen from India, whichever side reported it."""
    if record.reporter.code == INDIA or record.flow == TradeFlow.TOTAL:
        return record.flow
    return TradeFlow.IMPORT if record.flow == TradeFlow.EXPORT else TradeFlow.EXPORT


def trade_by_year() -> list[TradePoint]:
    """Reported yearly totals of India–Russia goods trade, imports and exports.

    Uses the claim of each figure that counts toward totals, in US dollars, for whole goods
    trade (no commodity), leaving out targets.
    """
    pair = Q(reporter__code=INDIA, partner__code=RUSSIA) | Q(
        reporter__code=RUSSIA, partner__code=INDIA
    )
    records = (
        TradeRecord.objects.filter(
            pair,
            metric=TradeMetric.VALUE,
            counts_toward_totals=True,
            currency="USD",
            commodity="",
            hs_code="",
            unit__in=IN_BILLIONS,
            period_type__in=[PeriodType.FISCAL_YEAR, PeriodType.CALENDAR_YEAR],
        )
        .exclude(kind=TradeKind.TARGET)
        .select_related("reporter")
        .order_by("period_start", "period_type")
    )
    points = []
    for _, group in groupby(records, key=lambda r: (r.period_start, r.period_type)):
        rows = list(group)
        flows = {_india_flow(r): r.value * IN_BILLIONS[r.unit] for r in rows}
        points.append(
            TradePoint(
                rows[0],
                flows.get(TradeFlow.IMPORT),
                flows.get(TradeFlow.EXPORT),
                flows.get(TradeFlow.TOTAL),
            )
        )
    return points


@dataclass
class TradeGlance:
    """The latest period of India–Russia trade with a total: its counted figures and the
    other sources' claims (``group``), each claim's citations by trade record slug, the
    targets between the two with the share reached (``_target_progress``) and ``citations``,
    and the periods with a total before it (``earlier``)."""

    group: SummaryGroup
    citations: dict[str, list[Citation]]
    targets: list[dict]
    #: The names of the group's reporter and partner ("India", "Russia").
    reporter: str
    partner: str
    #: Earlier periods with a total, newest first: at most ``EARLIER_PERIODS``.
    earlier: list[SummaryGroup]

    @property
    def counted_claims(self) -> list[tuple[dict, list[Citation]]]:
        """The claims the figures come from, each with its citations."""
        return self._cited(self.group.counted)

    @property
    def other_claims(self) -> list[tuple[dict, list[Citation]]]:
        """The other sources' claims of the same figures, not counted, with their citations."""
        return self._cited(self.group.not_counted)

    @property
    def earlier_totals(self) -> list[tuple[SummaryGroup, list[tuple[dict, list[Citation]]]]]:
        """Each earlier period with the counted claims its total comes from."""
        return [(group, self._cited(group.counted)) for group in self.earlier]

    def _cited(self, records: list[dict]) -> list[tuple[dict, list[Citation]]]:
        return [(record, self.citations.get(record["slug"], [])) for record in records]


#: How many periods before the latest the front page gives the totals of.
EARLIER_PERIODS = 2


def trade_at_a_glance() -> TradeGlance | None:
    """``TradeGlance`` from the trade summary, or None when no period between India and Russia
    has a total. Three queries: the summary's figures, the citations of those shown, and the
    two parties' names."""
    groups, targets = trade_summary()
    pair = {INDIA, RUSSIA}
    bilateral = [g for g in groups if {g.reporter, g.partner} == pair and g.total is not None]
    if not bilateral:
        return None
    bilateral.sort(key=lambda g: (g.period_end, g.period_start), reverse=True)
    latest, earlier = bilateral[0], bilateral[1 : EARLIER_PERIODS + 1]
    targets = [
        t for t in targets if {t["target"]["reporter__code"], t["target"]["partner__code"]} == pair
    ]
    slugs = [r["slug"] for r in (*latest.counted, *latest.not_counted)]
    slugs += [t["target"]["slug"] for t in targets]
    slugs += [r["slug"] for group in earlier for r in group.counted]
    citations: dict[str, list[Citation]] = {}
    cited = Citation.objects.filter(trade_record__slug__in=slugs).select_related("source")
    for citation in cited.annotate(record_slug=F("trade_record__slug")).order_by("id"):
        citations.setdefault(citation.record_slug, []).append(citation)
    for target in targets:
        target["citations"] = citations.get(target["target"]["slug"], [])
    names = dict(Party.objects.filter(code__in=pair).values_list("code", "name"))
    reporter, partner = names[latest.reporter], names[latest.partner]
    return TradeGlance(latest, citations, targets, reporter, partner, earlier)


def issues_to_watch():
    """Issues ``TO_WATCH``, the most severe first, each with its citations and its latest
    event (``latest_events``, one or none) with the event's: four queries, whatever the length
    of the timelines."""
    severity_rank = Case(
        *(When(severity=value, then=rank) for rank, value in enumerate(Severity.values)),
        output_field=IntegerField(),
    )
    newest_first = TimelineEvent.objects.order_by("-date", "precision", "-id")
    return (
        Issue.objects.filter(TO_WATCH)
        .prefetch_related(
            citations_prefetch(),
            Prefetch(
                "events",
                queryset=newest_first.prefetch_related(citations_prefetch())[:1],
                to_attr="latest_events",
            ),
        )
        .order_by(severity_rank.desc(), "title")
    )


def delivery_schedules(limit: int = 15):
    """Deliveries with a known baseline, forecast or actual date, most slipped first."""
    known = Q(baseline_date__isnull=False) | Q(forecast_date__isnull=False)
    return Delivery.objects.filter(known | Q(actual_date__isnull=False)).order_by(
        F("slippage_months").desc(nulls_last=True), "title"
    )[:limit]


def forecast_revisions(delivery: Delivery) -> list[TimelineEvent]:
    """A delivery's postponements and forecast revisions, in the order the schedule reads
    them (``derive_schedule``): by date, then precision, then id."""
    return list(
        TimelineEvent.objects.filter(delivery=delivery, kind__in=REVISION_KINDS).order_by(
            "date", "precision", "id"
        )
    )

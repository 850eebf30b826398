"""Trade figures: one summary by period and flow, which the API, the dashboard's chart and
the front page all read, and the trade records' list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, QuerySet

from ..choices import PeriodType, TradeFlow, TradeKind, TradeMetric, Unit
from ..models import Citation, Party, TradeObservation, TradeRecord
from .citations import citations_prefetch

BILLION = Decimal(10) ** 9
#: Progress towards a target is a ratio given to four places (0.687 = 68.7 %).
PLACES = Decimal("0.0001")
#: How many billions one unit of each scale is.
IN_BILLIONS = {
    Unit.ONE: 1 / BILLION,
    Unit.THOUSAND: Decimal(10) ** 3 / BILLION,
    Unit.MILLION: Decimal(10) ** 6 / BILLION,
    Unit.BILLION: Decimal(1),
}
INDIA, RUSSIA = "IND", "RUS"
YEARLY = (PeriodType.FISCAL_YEAR, PeriodType.CALENDAR_YEAR)
#: What each flow is when the other party reports it.
MIRRORED_FLOWS = {
    TradeFlow.IMPORT: TradeFlow.EXPORT,
    TradeFlow.EXPORT: TradeFlow.IMPORT,
    TradeFlow.TOTAL: TradeFlow.TOTAL,
}

#: What the summary reads of each trade record (rows, not model instances: there are many).
SUMMARY_COLUMNS = [
    "id",
    "slug",
    "period_type",
    "period_start",
    "period_end",
    "reporter__code",
    "partner__code",
    "currency",
    "flow",
    "value",
    "value_high",
    "unit",
    "kind",
    "qualifier",
    "counts_toward_totals",
    "target_date",
    "target_precision",
]


def trade_record_list() -> QuerySet[TradeRecord]:
    """Trade records with everything their representation reads."""
    return TradeRecord.objects.select_related("sector", "reporter", "partner").prefetch_related(
        citations_prefetch()
    )


def in_billions(record: dict) -> Decimal:
    return record["value"] * IN_BILLIONS[record["unit"]]


def summary_records(filters: dict) -> QuerySet:
    """Whole-trade value figures (no commodity) in a money scale, for these filters
    (reporter, partner, period type)."""
    return (
        TradeRecord.objects.filter(
            metric=TradeMetric.VALUE,
            commodity__blank=True,
            hs_code__blank=True,
            unit__in=list(IN_BILLIONS),
            **filters,
        )
        .exclude(currency__blank=True)
        .order_by("-period_start", "period_end", "flow", "id")
        .values(*SUMMARY_COLUMNS)
    )


@dataclass
class SummaryGroup:
    """One period of trade between a reporter and a partner, in one currency. A total whose
    source does not say whose statistics it is has no reporter: its group is its own, never
    one of the reporter's, and never India–Russia trade."""

    period_type: str
    period_start: dt.date
    period_end: dt.date
    reporter: str | None
    partner: str
    currency: str
    figures: dict
    counted: list
    not_counted: list
    #: ``claims`` (curated trade records) or ``official`` (the current figures of releases).
    series: str = "claims"
    #: For official figures, the slugs of the releases they come from.
    releases: list[str] = field(default_factory=list)

    @property
    def imports(self) -> Decimal | None:
        return self.figures.get(TradeFlow.IMPORT)

    @property
    def exports(self) -> Decimal | None:
        return self.figures.get(TradeFlow.EXPORT)

    @property
    def total_is_reported(self) -> bool:
        return TradeFlow.TOTAL in self.figures

    @property
    def total(self) -> Decimal | None:
        if self.total_is_reported:
            return self.figures[TradeFlow.TOTAL]
        if self.imports is None or self.exports is None:
            return None
        return self.imports + self.exports

    @property
    def balance(self) -> Decimal | None:
        """Exports minus imports, from the reporter's side: negative is a deficit."""
        if self.imports is None or self.exports is None:
            return None
        return self.exports - self.imports

    def seen_from(self, code: str) -> SummaryGroup:
        """The same figures from the side of party ``code``: the partner's exports are its
        imports."""
        if code == self.reporter:
            return self
        figures = {MIRRORED_FLOWS[flow]: value for flow, value in self.figures.items()}
        return dataclasses.replace(
            self, reporter=self.partner, partner=self.reporter, figures=figures
        )


CLAIMS, OFFICIAL = "claims", "official"


def trade_summary(filters: dict | None = None) -> tuple[list[SummaryGroup], list[dict]]:
    """Trade by period and flow, and progress against targets, in billions.

    Curated claims and official statistics are listed side by side, each group saying which
    it shows (``series``). Of the claims, only the one of each figure that
    ``counts_toward_totals`` is used, so a figure that two sources state differently ("$4.88 B"
    and "about $4.9 B") is never added twice; the other claims are listed with each group as
    ``not_counted``. The total is the reported total where a source gives one, otherwise
    imports plus exports.
    """
    groups: dict[tuple, SummaryGroup] = {}
    targets = []
    for record in summary_records(filters or {}):
        if record["kind"] == TradeKind.TARGET:
            targets.append(record)
            continue
        key = (
            record["period_type"],
            record["period_start"],
            record["period_end"],
            record["reporter__code"],
            record["partner__code"],
            record["currency"],
        )
        group = groups.get(key) or groups.setdefault(key, SummaryGroup(*key, {}, [], []))
        if record["counts_toward_totals"]:
            group.figures[record["flow"]] = in_billions(record)
            group.counted.append(record)
        else:
            group.not_counted.append(record)
    ordered = sorted(
        [*official_groups(filters or {}), *groups.values()],
        key=lambda g: (-g.period_start.toordinal(), g.period_end, g.series != OFFICIAL),
    )
    return ordered, [_target_progress(target, ordered) for target in targets]


#: The summary's filters (on trade records) as they read on official observations.
OFFICIAL_FILTER_FIELDS = {
    "period_type": "period__period_type",
    "period_start": "period__period_start",
    "period_end": "period__period_end",
    "reporter": "reporter",
    "partner": "partner",
    "currency": "currency",
}


def official_figures(filters: dict) -> QuerySet:
    """The current value of each whole-goods figure of the official statistics: the latest
    release's (by release date) among the releases not withdrawn, so a revision replaces the
    figures it covers and withdrawing it restores the earlier ones."""
    official = {}
    for name, value in filters.items():
        field_name, _, lookup = name.partition("__")
        mapped = OFFICIAL_FILTER_FIELDS[field_name] + (f"__{lookup}" if lookup else "")
        official[mapped] = value.code if isinstance(value, Party) else value
    figure = ["period_id", "reporter", "partner", "currency", "flow"]
    return (
        TradeObservation.objects.filter(
            hs_code__blank=True, release__withdrawn_at__isnull=True, **official
        )
        .order_by(*figure, "-release__released_on", "-release_id")
        .distinct(*figure)
        .values(
            *figure,
            "value",
            "period__period_type",
            "period__period_start",
            "period__period_end",
            "release__slug",
        )
    )


def official_groups(filters: dict) -> list[SummaryGroup]:
    groups: dict[tuple, SummaryGroup] = {}
    for row in official_figures(filters):
        key = (
            row["period__period_type"],
            row["period__period_start"],
            row["period__period_end"],
            row["reporter"],
            row["partner"],
            row["currency"],
        )
        group = groups.get(key) or groups.setdefault(
            key, SummaryGroup(*key, {}, [], [], series=OFFICIAL)
        )
        group.figures[row["flow"]] = row["value"] / BILLION
        group.counted.append(row)
        if row["release__slug"] not in group.releases:
            group.releases.append(row["release__slug"])
    return list(groups.values())


def _target_progress(target: dict, groups: list[SummaryGroup]) -> dict:
    """A target with the latest yearly figure of its flow and the share of the target it
    reaches (a target is of a year's trade: a month's figure never measures it)."""
    pair = {target["reporter__code"], target["partner__code"]}
    candidates = [
        g
        for g in groups
        if {g.reporter, g.partner} == pair
        and g.period_type in YEARLY
        and g.currency == target["currency"]
        and _flow_value(g, target["flow"]) is not None
    ]
    latest = max(candidates, key=lambda g: (g.period_end, g.period_start), default=None)
    value = in_billions(target)
    reached = _flow_value(latest, target["flow"]) if latest else None
    progress = None if reached is None or not value else (reached / value).quantize(PLACES)
    return {
        "target": target,
        "value": value,
        "latest": latest,
        "reached": reached,
        "progress": progress,
    }


def _flow_value(group: SummaryGroup, flow: str) -> Decimal | None:
    return {
        TradeFlow.TOTAL: group.total,
        TradeFlow.IMPORT: group.imports,
        TradeFlow.EXPORT: group.exports,
    }[flow]


def _between_india_and_russia(group: SummaryGroup) -> bool:
    return {group.reporter, group.partner} == {INDIA, RUSSIA}


# --- the dashboard's chart -----------------------------------------------------------------


@dataclass(frozen=True)
class TradePoint:
    """India's trade with Russia in one period, in billions of US dollars: the summary's
    group of that period, seen from India (``period``)."""

    period: SummaryGroup

    @property
    def imports(self) -> Decimal | None:
        return self.period.imports

    @property
    def exports(self) -> Decimal | None:
        return self.period.exports

    @property
    def total(self) -> Decimal | None:
        """The total only where a source reports one."""
        return self.period.figures.get(TradeFlow.TOTAL)

    @property
    def balance(self) -> Decimal | None:
        return self.period.balance


def trade_by_year() -> list[TradePoint]:
    """Yearly India–Russia trade in US dollars, from the trade summary, oldest first.

    Each year is one series and one reporter's figures, as the summary groups them: the
    official statistics where a release covers the year, else the curated claims; India's
    where India reports the year, else Russia's seen from India. Figures of two reporters or
    two series are never mixed into one bar group: the summary lists them apart.
    """
    groups, _targets = trade_summary({"period_type__in": YEARLY, "currency": "USD"})
    by_period: dict[tuple, SummaryGroup] = {}
    for group in groups:
        if not _between_india_and_russia(group) or not group.counted:
            continue
        key = (group.period_start, group.period_type, group.period_end)
        if key not in by_period or _preference(group) < _preference(by_period[key]):
            by_period[key] = group
    return [TradePoint(by_period[key].seen_from(INDIA)) for key in sorted(by_period)]


def _preference(group: SummaryGroup) -> tuple[bool, bool]:
    """Official statistics before claims, then India's figures before Russia's."""
    return group.series != OFFICIAL, group.reporter != INDIA


# --- the front page ------------------------------------------------------------------------


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
    bilateral = [
        g
        for g in groups
        if g.series == CLAIMS and _between_india_and_russia(g) and g.total is not None
    ]
    if not bilateral:
        return None
    bilateral.sort(key=lambda g: (g.period_end, g.period_start), reverse=True)
    latest, earlier = bilateral[0], bilateral[1 : EARLIER_PERIODS + 1]
    pair = {INDIA, RUSSIA}
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

"""A deterministic, realistic synthetic data set for benchmarks and scale tests.

At scale 1: about 2,000 agreements, 20,000 deliveries with their tranches and forecast
revisions, 1,000 issues, 500,000 timeline events each with a citation, 1,000,000 monthly
trade records by HS code as sources claim them (both reporters, both flows, with revisions),
and 1,000,000 observations of official statistics in two releases, the second revising part
of the first. The same scale and seed give the same data.

Everything is validated on the way in, as user input is, but written in bulk:

- every row passes the model's field validation (``clean_fields``) and, where it reads no other
  row, the model's own ``clean()``; tranches and events, whose ``clean()`` looks at sibling
  rows, pass the precise-date checks there and meet their cross-row rules in the database
  triggers, which fire for every row of a bulk write;
- check constraints and foreign keys hold for every row;
- the official statistics go through the release importer (``import_release``), as a
  published file would;
- each row gets a "created" history entry, written in bulk.

Rows go in with ``COPY`` on PostgreSQL and batched ``bulk_create`` elsewhere. Deliveries' cached
schedule columns are computed here from the generated tranches and revisions, by the rules of
``Delivery.compute_schedule``.
"""

import csv
import dataclasses
import datetime as dt
import itertools
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.db.models import ForeignKey, Model
from django.utils import timezone

from tracker.choices import (
    ActingBody,
    AgreementKind,
    AgreementStatus,
    DeliveryKind,
    DeliveryStatus,
    EventKind,
    IssueCategory,
    IssueStatus,
    PeriodType,
    Severity,
    Unit,
)
from tracker.dates import PreciseDate, Precision, months_after, period_start, trade_period_end
from tracker.models import (
    Agreement,
    AgreementParty,
    Citation,
    Delivery,
    Issue,
    Party,
    Sector,
    Source,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from tracker.models.base import PreciseDatesMixin
from tracker.models.deliveries import derive_schedule
from tracker.services.bulk import advance_id_sequence, copy_rows, max_id, record_history
from tracker.services.trade_releases import COLUMNS as RELEASE_COLUMNS
from tracker.services.trade_releases import ReleaseDescription, import_release

#: Row counts at scale 1.
AT_SCALE_1 = {
    "agreements": 2_000,
    "deliveries": 20_000,
    "issues": 1_000,
    "sources": 5_000,
    "events": 500_000,
    "trade_records": 1_000_000,
    "observations": 1_000_000,
}
SLUG_PREFIX = "syn"
FIRST_YEAR, LAST_YEAR = 1995, 2025
TRADE_MONTHS = [(year, month) for year in range(2015, 2025) for month in range(1, 13)]
#: The months the official releases cover: claims alone cover the years before.
RELEASE_MONTHS = [(year, month) for year, month in TRADE_MONTHS if year >= 2020]
#: Share of monthly figures revised in a later release.
REVISED_SHARE = 0.2
FILLER_KINDS = [EventKind.MEETING, EventKind.ANNOUNCED, EventKind.OTHER, EventKind.REPORTED]
UNITS = ["regiments", "aircraft", "rifles", "helicopters", "tanks", "engines", "tonnes", "units"]
WORDS = ["joint", "naval", "engine", "missile", "fuel", "reactor", "rupee", "payment", "corridor"]
WORDS += ["fertiliser", "satellite", "frigate", "submarine", "radar", "training", "oil", "port"]
BATCH = 20_000
PUBLISHERS = {"IND": "Ministry of Commerce", "RUS": "Federal Customs Service"}

Progress = Callable[[str, int], None]


class SyntheticDataExists(Exception):
    """The database already holds synthetic data with these slugs."""


#: The parties that ratify a generated agreement, and the body that acts for each.
RATIFIERS = (("RUS", ActingBody.STATE_DUMA), ("IND", ActingBody.UNION_CABINET))


@dataclass
class Sizes:
    agreements: int
    deliveries: int
    issues: int
    sources: int
    events: int
    trade_records: int
    observations: int = 1

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        return cls(**{name: max(1, round(n * scale)) for name, n in AT_SCALE_1.items()})


class Loader:
    """Validates rows, gives them ids, and writes them in bulk with their history."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.first_ids: dict[type[Model], int] = {}
        self.next_ids: dict[type[Model], int] = {}
        self.pending: dict[type[Model], list[Model]] = {}
        self.now = timezone.now()

    def add(self, obj: Model) -> Model:
        model = type(obj)
        validate(obj)
        if model not in self.next_ids:
            self.first_ids[model] = self.next_ids[model] = max_id(model) + 1
            self.pending[model] = []
        obj.pk = self.next_ids[model]
        self.next_ids[model] += 1
        if hasattr(obj, "created_at"):
            obj.created_at = obj.updated_at = self.now
        self.pending[model].append(obj)
        if len(self.pending[model]) >= BATCH:
            self.flush(model)
        return obj

    def flush(self, model: type[Model]) -> None:
        """Write ``model``'s pending rows, and before them those of every model first seen
        earlier: triggers read parent rows (a tranche's delivery), so parents go first."""
        for earlier in list(self.pending):
            self.write(earlier)
            if earlier is model:
                return

    def write(self, model: type[Model]) -> None:
        rows = self.pending[model]
        if not rows:
            return
        fields = model._meta.concrete_fields
        copy_rows(
            model,
            [f.column for f in fields],
            ([getattr(obj, f.attname) for f in fields] for obj in rows),
        )
        # The table's statistics grow with it: the triggers' statements, planned when it was
        # empty, would otherwise scan the whole table for each row of the next batches.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if self.progress:
            self.progress(model._meta.verbose_name_plural, len(rows))
        self.pending[model] = []

    def finish(self, reason: str) -> dict[str, int]:
        """Write what is pending, then the history rows; return the rows written per table."""
        for model in list(self.pending):
            self.write(model)
        counts = {}
        for model, first in self.first_ids.items():
            advance_id_sequence(model)
            counts[model._meta.verbose_name_plural] = record_history(
                model, "id >= %s", [first], "+", reason
            )
        return counts


#: Models whose ``clean()`` reads no other row (for an unsaved instance). A citation's reads
#: its source's archived text; the synthetic sources have none.
ROW_LOCAL_CLEAN = {Agreement, AgreementParty, Delivery, Issue, Source}


def validate(obj: Model) -> None:
    """The model's own validation, short of the checks that query other rows.

    Foreign keys are left to the database (``ForeignKey.validate`` queries the target), and
    so are the cross-row rules of tranches and events (the triggers state them).
    """
    foreign_keys = [f.name for f in obj._meta.concrete_fields if isinstance(f, ForeignKey)]
    obj.clean_fields(exclude=foreign_keys)
    if type(obj) in ROW_LOCAL_CLEAN:
        obj.clean()
    elif isinstance(obj, PreciseDatesMixin):
        PreciseDatesMixin.clean(obj)


# --- the generator ----------------------------------------------------------------------------


@dataclass
class Generator:
    sizes: Sizes
    seed: int
    loader: Loader
    rng: random.Random = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.parties = dict(Party.objects.values_list("code", "id"))
        self.sectors = list(Sector.objects.order_by("slug").values_list("id", flat=True))
        self.events_written = 0

    # helpers

    def day(self, start_year=FIRST_YEAR, end_year=LAST_YEAR) -> dt.date:
        first = dt.date(start_year, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randint(first, dt.date(end_year, 12, 31).toordinal()))

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), dt.date(2030, 12, 31))

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def cite(self, **target) -> None:
        self.loader.add(
            Citation(
                source_id=self.rng.choice(self.source_ids),
                quote=f"Officials said the {self.words(6)} would proceed as agreed.",
                **target,
            )
        )

    def event(self, **values) -> TimelineEvent:
        event = self.loader.add(TimelineEvent(**values))
        self.cite(event_id=event.pk)
        self.events_written += 1
        return event

    # records

    def sources(self) -> None:
        self.source_ids = [
            self.loader.add(
                Source(
                    slug=f"{SLUG_PREFIX}-source-{n}",
                    title=f"Report {n} on {self.words(3)}",
                    publisher=self.rng.choice(["PIB", "TASS", "The Hindu", "Reuters", "MEA"]),
                    published_on=self.day(),
                    published_precision=Precision.DAY,
                    # Made up: no text to archive, so the made-up quotes go unverified.
                    no_archived_text=True,
                )
            ).pk
            for n in range(1, self.sizes.sources + 1)
        ]

    def agreements(self) -> None:
        self.agreement_ids = []
        for n in range(1, self.sizes.agreements + 1):
            signed = self.day()
            ratifying = [(code, body) for code, body in RATIFIERS if self.rng.random() < 0.7]
            agreement = self.loader.add(
                Agreement(
                    slug=f"{SLUG_PREFIX}-agreement-{n}",
                    title=f"Agreement {n} on {self.words(3)}",
                    kind=self.rng.choice(AgreementKind.values),
                    status=self.status_after(ratifying),
                    sector_id=self.rng.choice(self.sectors),
                )
            )
            self.agreement_ids.append(agreement.pk)
            for code in ("IND", "RUS"):
                self.loader.add(
                    AgreementParty(agreement_id=agreement.pk, party_id=self.parties[code])
                )
            self.cite(agreement_id=agreement.pk)
            self.agreement_steps(agreement.pk, signed, ratifying)

    def status_after(self, ratifying: list) -> str:
        """A status that the steps bear out: in force once both parties ratified; otherwise
        signed, or awaiting the ratifications still missing."""
        if len(ratifying) == len(RATIFIERS):
            return AgreementStatus.IN_FORCE
        return self.rng.choice([AgreementStatus.SIGNED, AgreementStatus.RATIFICATION_PENDING])

    def agreement_steps(self, agreement_id: int, signed: dt.date, ratifying: list) -> None:
        on = {"agreement_id": agreement_id}
        self.event(
            kind=EventKind.SIGNED, date=signed, precision=Precision.DAY, title="Signed", **on
        )
        for code, body in ratifying:
            self.event(
                kind=EventKind.RATIFIED,
                date=self.later(signed, 30, 700),
                precision=Precision.DAY,
                party_id=self.parties[code],
                body=body,
                title=f"Ratified by {code}",
                **on,
            )

    def deliveries(self) -> None:
        self.delivery_ids = []
        for n in range(1, self.sizes.deliveries + 1):
            self.delivery(n)

    def delivery(self, n: int) -> None:
        ordered = self.day(FIRST_YEAR, 2023)
        quantity = Decimal(self.rng.randint(2, 400))
        delivery = Delivery(
            slug=f"{SLUG_PREFIX}-delivery-{n}",
            title=f"Delivery {n}: {self.words(2)}",
            kind=self.rng.choice(DeliveryKind.values),
            status=DeliveryStatus.CONTRACTED,
            agreement_id=self.rng.choice(self.agreement_ids) if self.rng.random() < 0.6 else None,
            supplier_id=self.parties["RUS"],
            recipient_id=self.parties["IND"],
            ordered_on=ordered,
            ordered_precision=Precision.DAY,
            quantity_ordered=quantity,
            quantity_unit=self.rng.choice(UNITS),
            value=Decimal(self.rng.randint(5, 5000)),
            value_currency="USD",
            value_unit="million",
            sector_id=self.rng.choice(self.sectors),
        )
        tranches = self.plan_tranches(delivery, ordered, quantity)
        revisions = self.plan_revisions(tranches, ordered)
        delivery.__dict__.update(
            derive_schedule(
                quantity_ordered=delivery.quantity_ordered,
                tranches=tranches,
                revisions=revisions,
                completion=None,  # no "delivered" events are generated
            )
        )
        delivery.status = status_of(delivery)
        self.loader.add(delivery)
        self.delivery_ids.append(delivery.pk)
        self.cite(delivery_id=delivery.pk, figure="quantity_ordered")
        self.event(
            kind=EventKind.ORDERED,
            date=ordered,
            precision=Precision.DAY,
            title="Ordered",
            delivery_id=delivery.pk,
        )
        for tranche in tranches:
            self.write_tranche(delivery, tranche)
        for revision in revisions:
            revision.delivery_id = delivery.pk
            self.event(**{f.attname: getattr(revision, f.attname) for f in EVENT_FIELDS})

    def plan_tranches(self, delivery: Delivery, ordered: dt.date, quantity: Decimal) -> list:
        count = min(self.rng.randint(1, 5), int(quantity))
        share = quantity // count
        planned = period_start(self.later(ordered, 200, 900), Precision.MONTH)
        tranches = []
        for sequence in range(1, count + 1):
            arrived = planned <= dt.date(2025, 6, 1) and self.rng.random() < 0.7
            tranches.append(
                Tranche(
                    sequence=sequence,
                    quantity=share if sequence < count else quantity - share * (count - 1),
                    planned_date=planned,
                    planned_precision=Precision.MONTH,
                    actual_date=period_start(self.later(planned, 0, 400), "month")
                    if arrived
                    else None,
                    actual_precision=Precision.MONTH if arrived else None,
                )
            )
            planned = period_start(self.later(planned, 60, 400), Precision.MONTH)
        return tranches

    def plan_revisions(self, tranches: list, ordered: dt.date) -> list:
        """Forecast revisions: each moves the date the previous one gave; the first moves the
        plan's end. Announced on increasing days, after the order."""
        old = max(
            (PreciseDate(t.planned_date, t.planned_precision) for t in tranches),
            key=lambda d: d.end,
        )
        announced = ordered
        revisions = []
        for _ in range(self.rng.choice([0, 0, 1, 1, 2, 3])):
            announced = self.later(announced, 30, 500)
            new_precision = self.rng.choice([Precision.MONTH, Precision.QUARTER, Precision.YEAR])
            new = PreciseDate(
                period_start(self.later(old.date, 90, 900), new_precision), new_precision
            )
            revisions.append(
                TimelineEvent(
                    kind=self.rng.choice([EventKind.POSTPONED, EventKind.FORECAST_REVISED]),
                    date=announced,
                    precision=Precision.DAY,
                    old_date=old.date,
                    old_precision=old.precision,
                    new_date=new.date,
                    new_precision=new.precision,
                    title=f"Forecast moved to {new.display}",
                )
            )
            old = new
        return revisions

    def write_tranche(self, delivery: Delivery, tranche: Tranche) -> None:
        tranche.delivery_id = delivery.pk
        self.loader.add(tranche)
        if tranche.actual_date:
            self.event(
                kind=EventKind.DELIVERED_IN_PART,
                date=tranche.actual_date,
                precision=tranche.actual_precision,
                delivery_id=delivery.pk,
                tranche_id=tranche.pk,
                title=tranche.delivered_title(delivery.quantity_unit),
            )

    def issues(self) -> None:
        self.issue_ids = []
        for n in range(1, self.sizes.issues + 1):
            opened = self.day(2005, 2024)
            resolved = self.later(opened, 30, 2000) if self.rng.random() < 0.3 else None
            issue = self.loader.add(
                Issue(
                    slug=f"{SLUG_PREFIX}-issue-{n}",
                    title=f"Issue {n}: {self.words(3)}",
                    category=self.rng.choice(IssueCategory.values),
                    severity=self.rng.choice(Severity.values),
                    status=IssueStatus.RESOLVED
                    if resolved
                    else self.rng.choice(
                        [IssueStatus.WATCHING, IssueStatus.ACTIVE, IssueStatus.ESCALATING]
                    ),
                    opened_on=opened,
                    opened_precision=Precision.DAY,
                    resolved_on=resolved,
                    resolved_precision=Precision.DAY if resolved else None,
                )
            )
            self.issue_ids.append(issue.pk)
            self.cite(issue_id=issue.pk)
            on = {"issue_id": issue.pk}
            self.event(
                kind=EventKind.RAISED, date=opened, precision=Precision.DAY, title="Raised", **on
            )
            if resolved:
                self.event(
                    kind=EventKind.RESOLVED,
                    date=resolved,
                    precision=Precision.DAY,
                    title="Resolved",
                    **on,
                )

    def filler_events(self) -> None:
        """Meetings, announcements and reports on records (or on none) up to the event count."""
        targets = [
            ("delivery_id", self.delivery_ids, 0.70),
            ("agreement_id", self.agreement_ids, 0.20),
            ("issue_id", self.issue_ids, 0.08),
            (None, [None], 0.02),
        ]
        weights = [weight for *_, weight in targets]
        for _ in range(max(0, self.sizes.events - self.events_written)):
            name, ids, _weight = self.rng.choices(targets, weights)[0]
            on = {name: self.rng.choice(ids)} if name else {}
            precision = self.rng.choice(
                [Precision.DAY, Precision.DAY, Precision.MONTH, Precision.YEAR]
            )
            kind = self.rng.choice(FILLER_KINDS)
            self.event(
                kind=kind,
                date=period_start(self.day(), precision),
                precision=precision,
                title=f"{kind.label}: {self.words(4)}",
                **on,
            )

    def trade_claims(self) -> None:
        """Monthly figures by HS code, as sources claim them: each claim cited, and of each
        figure the latest claim counts (a revision takes over from the first report)."""
        sources = self.trade_sources()
        for row in trade_rows(self.sizes.trade_records, self.rng):
            year, month = int(row.period[:4]), int(row.period[5:])
            source_id = sources[(row.reporter, *release_after(year, month, row.months_later))]
            record = self.loader.add(
                TradeRecord(
                    slug=f"{row.key}-{row.kind}-s{source_id}".lower(),
                    title=f"{row.reporter} {row.flow}s, {row.hs_code or 'all goods'}, "
                    f"{row.period} ({row.kind})",
                    period_type=PeriodType.MONTH,
                    period_start=dt.date(year, month, 1),
                    period_end=trade_period_end(PeriodType.MONTH, dt.date(year, month, 1)),
                    reporter_id=self.parties[row.reporter],
                    partner_id=self.parties[row.partner],
                    flow=row.flow,
                    hs_code=row.hs_code,
                    value=row.value,
                    currency="USD",
                    unit=Unit.ONE,
                    kind=row.kind,
                    counts_toward_totals=row.counts,
                )
            )
            self.loader.add(
                Citation(
                    source_id=source_id,
                    quote=row.quote,
                    figure="value",
                    trade_record_id=record.pk,
                )
            )

    def trade_sources(self) -> dict[tuple[str, int, int], int]:
        """One statistics release per reporter and month, from 2015 to 2025, as a source."""
        ids = {}
        for code in ("IND", "RUS"):
            for year in range(2015, 2026):
                for month in range(1, 13):
                    ids[(code, year, month)] = self.loader.add(
                        Source(
                            slug=f"{SLUG_PREFIX}-{code.lower()}-release-{year}-{month:02d}",
                            title=f"{code} trade statistics, release of {year}-{month:02d}",
                            publisher=PUBLISHERS[code],
                            published_on=dt.date(year, month, 1),
                            published_precision=Precision.MONTH,
                            # A data release: its rows are cited unverified.
                            no_archived_text=True,
                        )
                    ).pk
        return ids

    def trade_releases(self, folder: Path) -> int:
        """The official statistics: one release of monthly figures by HS code and for all
        goods, and a later release revising some of them. Returns the observations stored."""
        source = Source.objects.create(
            slug=f"{SLUG_PREFIX}-trade-data-bank",
            title="Export Import Data Bank",
            publisher=PUBLISHERS["IND"],
        )
        first_path, revision_path = folder / "release.csv", folder / "revision.csv"
        write_release_files(first_path, revision_path, self.sizes.observations, self.rng)
        first = import_release(first_path, release_description("monthly", source))
        revision = import_release(
            revision_path, release_description("monthly-revised", source, revises=first.release)
        )
        return first.rows + revision.rows


EVENT_FIELDS = [f for f in TimelineEvent._meta.concrete_fields if not f.primary_key]


def status_of(delivery: Delivery) -> str:
    if delivery.actual_date:
        return DeliveryStatus.DELIVERED
    if delivery.quantity_delivered:
        return DeliveryStatus.IN_PROGRESS
    return DeliveryStatus.CONTRACTED


# --- trade statistics as a file ---------------------------------------------------------------


def hs_codes(count: int, rng: random.Random) -> list[str]:
    chapters = [f"{n:02d}" for n in range(1, 98) if n != 77]
    codes = set()
    while len(codes) < count:
        codes.add(f"{rng.choice(chapters)}{rng.randint(1, 99):02d}{rng.randint(0, 99):02d}")
    return sorted(codes)


def release_after(year: int, month: int, months: int) -> tuple[int, int]:
    release = months_after(dt.date(year, month, 1), months)
    return release.year, release.month


@dataclass(frozen=True)
class TradeRow:
    """One figure of a month as a statistics office publishes it, first or revised."""

    period: str
    reporter: str
    partner: str
    flow: str
    hs_code: str
    value: Decimal
    quantity: int | None
    kind: str
    #: Whether this is the claim of its figure that counts (the last one published).
    counts: bool
    #: How many months after its month the figure is published.
    months_later: int

    @property
    def key(self) -> str:
        return f"{self.reporter}-{self.partner}-{self.flow}-{self.hs_code or 'all'}-{self.period}"

    @property
    def quote(self) -> str:
        """The row as published: the verbatim support of a claim."""
        unit = "t" if self.quantity is not None else ""
        quantity = "" if self.quantity is None else str(self.quantity)
        head = [self.period, self.reporter, self.partner, self.flow, self.hs_code]
        return ", ".join([*head, str(self.value), "USD", quantity, unit])

    @property
    def fields(self) -> list:
        """The row in the columns of a statistics release (``trade_releases.COLUMNS``)."""
        flag = "" if self.kind == "reported" else self.kind
        quantity, unit = ("", "") if self.quantity is None else (self.quantity, "t")
        head = [self.period, self.reporter, self.partner, self.flow, self.hs_code]
        return [*head, self.value, "USD", quantity, unit, flag]


def trade_rows(rows: int, rng: random.Random, months=TRADE_MONTHS) -> Iterator[TradeRow]:
    """About ``rows`` monthly figures by HS code and for all goods over ``months``, each
    month's first reports and then the revisions of some of them (a revision always follows
    its figure)."""
    series = 2 * 2 * len(months)  # reporters × flows × months, one all-goods row each
    codes = hs_codes(max(1, round((rows - series) / (series * (1 + REVISED_SHARE)))), rng)
    for year, month in months:
        period = f"{year}-{month:02d}"
        for code in ("IND", "RUS"):
            partner = "RUS" if code == "IND" else "IND"
            for flow in ("export", "import"):
                month_total = Decimal(0)
                revisions = []
                for hs in codes:
                    value = Decimal(f"{rng.lognormvariate(12, 2):.2f}")
                    month_total += value
                    quantity = rng.randint(1, 90_000)
                    revised = rng.random() < REVISED_SHARE
                    row = TradeRow(
                        period, code, partner, flow, hs, value, quantity, "reported", not revised, 2
                    )
                    yield row
                    if revised:
                        factor = Decimal(rng.uniform(0.9, 1.1)).quantize(Decimal("0.01"))
                        later = 2 + rng.randint(1, 3)
                        revisions.append(
                            dataclasses.replace(
                                row,
                                value=(value * factor).quantize(Decimal("0.01")),
                                kind="revised",
                                counts=True,
                                months_later=later,
                            )
                        )
                yield TradeRow(
                    period, code, partner, flow, "", month_total, None, "reported", True, 2
                )
                yield from revisions


def write_release_files(first: Path, revision: Path, rows: int, rng: random.Random) -> None:
    """A release of about ``rows`` monthly figures, and one revising a share of them."""
    with first.open("w", newline="") as first_file, revision.open("w", newline="") as later_file:
        first_rows, later_rows = csv.writer(first_file), csv.writer(later_file)
        first_rows.writerow(RELEASE_COLUMNS)
        later_rows.writerow(RELEASE_COLUMNS)
        for row in trade_rows(rows, rng, RELEASE_MONTHS):
            (first_rows if row.kind == "reported" else later_rows).writerow(row.fields)


def write_trade_csv(path: Path, rows: int, rng: random.Random) -> int:
    """One release file of ``rows`` figures (first reports only); returns its rows."""
    first_reports = (
        row
        for row in trade_rows(round(rows * (1 + REVISED_SHARE)) + 1, rng, RELEASE_MONTHS)
        if row.kind == "reported"
    )
    written = 0
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(RELEASE_COLUMNS)
        for row in itertools.islice(first_reports, rows):
            writer.writerow(row.fields)
            written += 1
    return written


def release_description(name: str, source: Source, revises=None) -> ReleaseDescription:
    return ReleaseDescription(
        slug=f"{SLUG_PREFIX}-{name}",
        publisher=PUBLISHERS["IND"],
        dataset="Monthly trade by HS code",
        released_on=dt.date(2026, 1, 15) if revises else dt.date(2025, 6, 15),
        source=source,
        revises=revises,
    )


# --- entry point ------------------------------------------------------------------------------


def generate(scale: float, seed: int, progress: Progress | None = None) -> dict[str, int]:
    """Generate and store the data set at ``scale``; return the rows written per table."""
    if Source.objects.filter(slug=f"{SLUG_PREFIX}-source-1").exists():
        raise SyntheticDataExists("Synthetic data is already loaded in this database.")
    loader = Loader(progress)
    generator = Generator(Sizes.at(scale), seed, loader)
    with transaction.atomic():
        generator.sources()
        generator.agreements()
        generator.deliveries()
        generator.issues()
        generator.filler_events()
        with tempfile.TemporaryDirectory() as folder:
            generator.trade_claims()
            counts = loader.finish(reason=f"Synthetic data, scale {scale}, seed {seed}")
            counts["trade observations"] = generator.trade_releases(Path(folder))
    return counts

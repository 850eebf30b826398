"""Load the curated data set in ``fixtures/`` into the database.

Each fixture file is a JSON list of records keyed by slug (sources, agreements, deliveries,
trade records, issues) or by ``key`` (relationship-wide events). Tranches, parties, related
agreements, timeline events and citations nest under the record they belong to; references to
other rows use their natural keys (a source's slug, a party's code, a sector's slug).

Every row goes through ``full_clean()`` and ``save()``, so model rules apply and
django-simple-history records the change. Rows whose values already match are not saved, so a
second load writes nothing. The whole load runs in one transaction and one unit of work
(``one_write_per_delivery``: a delivery is written once, with the schedule its tranches and
events give it): the first invalid item stops it, nothing is kept, and the error names the
file, the record and the field.

Once loaded, the database is the truth. Loading adds what is missing and updates a row only
while no one has changed it since it was loaded; a row an editor changed, or deleted, is left
as it is and reported (``LoadReport.kept``). "Changed since loaded" is a comparison of values,
not of who wrote last: the load's own history rows (change reason ``CHANGE_REASON``) are the
stamp of what each row was loaded with, and a row whose fields named by its fixture item
differ from its latest stamp was changed by someone else. So a change reverted by hand counts
as no change, a save that changed nothing or a schedule recomputed from an editor's new event
does not hide a record from the load, and a database loaded before this rule has its stamps
already. The stamps are read once per model, with one query (the latest load's row of each
record: ``DISTINCT ON (id)``), and found by the item's natural key as it was loaded. A row with
no stamp that differs from its item (an editor made it before the fixture named it) is kept
too.

Loading only adds and updates: an item removed from a fixture stays in the database until an
editor deletes it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models

from ..dates import Precision, quarter_of, quarter_start
from ..models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    Citation,
    Delivery,
    Issue,
    Party,
    Sector,
    Source,
    SourceText,
    TimelineEvent,
    TradeRecord,
    Tranche,
)
from ..models.deliveries import one_write_per_delivery
from .sources import PLAIN as PLAIN_TEXT
from .sources import Extracted, archive

CHANGE_REASON = "Curated data set (fixtures/)"

# How a fixture value becomes a model value.
PLAIN = "plain"  # copied as it is (text, number, true/false, null)
DAY = "day"  # an ISO date, "2025-12-05"
PRECISE = "precise"  # "2026", "2025-Q4", "2024-11" or "2025-12-01": a date and its precision


@dataclass(frozen=True)
class Ref:
    """A reference to another row by its natural key, e.g. a party by its code."""

    model: type[models.Model]
    key: str


SECTOR = Ref(Sector, "slug")
PARTY = Ref(Party, "code")
SOURCE = Ref(Source, "slug")

# The fields of each fixture item, in the order ``export_curated`` writes them. A field left
# out of an item holds its default (``missing``): an item states its whole row.
SPECS: dict[type[models.Model], dict[str, Any]] = {
    Source: {
        **dict.fromkeys(["slug", "title", "publisher", "author"], PLAIN),
        "published_on": PRECISE,
        **dict.fromkeys(["url", "archive_name", "notes"], PLAIN),
    },
    Agreement: {
        **dict.fromkeys(["slug", "title", "short_name", "kind", "status"], PLAIN),
        "sector": SECTOR,
        "is_binding": PLAIN,
        "aliases": PLAIN,
        "summary": PLAIN,
    },
    Delivery: {
        **dict.fromkeys(["slug", "title", "designation", "kind", "status"], PLAIN),
        "sector": SECTOR,
        "agreement": Ref(Agreement, "slug"),
        "supplier": PARTY,
        "recipient": PARTY,
        "ordered_on": PRECISE,
        **dict.fromkeys(
            [
                "quantity_ordered",
                "quantity_unit",
                "quantity_is_estimate",
                "value",
                "value_currency",
                "value_unit",
                "value_is_estimate",
                "aliases",
                "summary",
            ],
            PLAIN,
        ),
    },
    TradeRecord: {
        **dict.fromkeys(["slug", "title", "summary"], PLAIN),
        "sector": SECTOR,
        "period_type": PLAIN,
        "period_start": DAY,
        "period_end": DAY,
        **dict.fromkeys(["period_is_approximate", "period_note"], PLAIN),
        "reporter": PARTY,
        "partner": PARTY,
        **dict.fromkeys(
            [
                "flow",
                "metric",
                "commodity",
                "hs_code",
                "value",
                "value_high",
                "qualifier",
                "currency",
                "unit",
                "rate",
                "kind",
                "is_estimate",
                "counts_toward_totals",
            ],
            PLAIN,
        ),
        "target_date": PRECISE,
    },
    Issue: {
        **dict.fromkeys(["slug", "title", "category", "severity", "status"], PLAIN),
        "sector": SECTOR,
        "opened_on": PRECISE,
        "resolved_on": PRECISE,
        **dict.fromkeys(
            ["people_affected", "people_affected_is_estimate", "aliases", "summary"], PLAIN
        ),
    },
    TimelineEvent: {
        "key": PLAIN,
        "kind": PLAIN,
        "date": PRECISE,
        "date_is_estimate": PLAIN,
        "end_date": DAY,
        "is_planned": PLAIN,
        "old_date": PRECISE,
        "new_date": PRECISE,
        "party": PARTY,
        **dict.fromkeys(["body", "title", "description"], PLAIN),
    },
    Tranche: {
        **dict.fromkeys(["sequence", "quantity", "quantity_is_estimate"], PLAIN),
        "planned_date": PRECISE,
        "actual_date": PRECISE,
        "note": PLAIN,
    },
    AgreementParty: {"party": PARTY, "share_percent": PLAIN, "role": PLAIN},
    Citation: {"source": SOURCE, "quote": PLAIN, "figure": PLAIN, "locator": PLAIN},
}

# Items nested under a record, by fixture key, and the record types that may have them, in
# the order ``export_curated`` writes them.
NESTED = {
    "parties": (Agreement,),
    "related": (Agreement,),
    "citations": (Agreement, Delivery, TradeRecord, Issue, TimelineEvent),
    "tranches": (Delivery,),
    "events": (Agreement, Delivery, TradeRecord, Issue),
}
# Fixture files in load order: later files refer to rows that earlier ones create.
FILES: tuple[tuple[str, type[models.Model]], ...] = (
    ("sources.json", Source),
    ("agreements.json", Agreement),
    ("deliveries.json", Delivery),
    ("trade_records.json", TradeRecord),
    ("issues.json", Issue),
    ("events.json", TimelineEvent),
)
# The foreign key of a citation or an event that points at each record type.
TARGET_FIELD = {
    Agreement: "agreement",
    Delivery: "delivery",
    TradeRecord: "trade_record",
    Issue: "issue",
    TimelineEvent: "event",
}

# Rows without a slug; a citation is found by its source, what it cites and its quote.
NATURAL_KEYS = {
    TimelineEvent: ("key",),
    Tranche: ("delivery_id", "sequence"),
    AgreementParty: ("agreement_id", "party_id"),
    AgreementRelation: ("from_agreement_id", "to_agreement_id", "kind"),
}

_PRECISE_PATTERNS = (
    (re.compile(r"(\d{4})"), Precision.YEAR),
    (re.compile(r"(\d{4})-Q([1-4])"), Precision.QUARTER),
    (re.compile(r"(\d{4})-(\d{2})"), Precision.MONTH),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), Precision.DAY),
)


@dataclass(frozen=True)
class Location:
    """Where an item sits: ``deliveries.json › s-400-triumf › tranches[1]``."""

    parts: tuple[str, ...]

    def child(self, part: str) -> Location:
        return Location((*self.parts, part))

    def __str__(self) -> str:
        return " › ".join(self.parts)


class FixtureError(Exception):
    """A fixture item was refused; the message names the file, the record and the field."""

    def __init__(self, where: Location, errors: dict[str, list[str]]):
        self.where = where
        self.errors = errors
        super().__init__(
            "; ".join(
                f"{where} › {name}: {' '.join(messages)}" for name, messages in errors.items()
            )
        )


@dataclass
class LoadReport:
    """How many rows of each model the load created, updated, left unchanged and kept as
    editors changed them; ``kept`` names the kept items (``deliveries.json › s-400-triumf``)."""

    counts: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    def keep(self, model: type[models.Model], where: Location, *, deleted: bool = False) -> None:
        self.add(model, "kept")
        self.kept.append(f"{where} (deleted)" if deleted else str(where))

    def lines(self) -> list[str]:
        names = sorted({name for name, _ in self.counts})
        lines = [
            f"{name}: {self.counts[(name, 'created')]} created, "
            f"{self.counts[(name, 'updated')]} updated, "
            f"{self.counts[(name, 'unchanged')]} unchanged"
            + (f", {self.counts[(name, 'kept')]} kept" if self.counts[(name, "kept")] else "")
            for name in names
        ]
        if self.kept:
            records = "record" if len(self.kept) == 1 else "records"
            lines.append(
                f"kept {len(self.kept)} {records} changed by editors: {', '.join(self.kept)}"
            )
        return lines

    @property
    def written(self) -> int:
        return sum(
            n for (_, outcome), n in self.counts.items() if outcome in ("created", "updated")
        )


def missing(model, name: str) -> Any:
    """What a field left out of a fixture item holds: the model's default for a plain value
    (``""``, ``False``, ``[]``, or ``None``), ``None`` for a date or a reference."""
    if SPECS[model][name] == PLAIN:
        return model._meta.get_field(name).get_default()
    return None


def precise_text(day: dt.date, precision: str) -> str:
    """A date at its precision as fixtures write it, ``parse_precise``'s inverse."""
    if precision == Precision.YEAR:
        return f"{day.year}"
    if precision == Precision.QUARTER:
        return f"{day.year}-Q{quarter_of(day)}"
    if precision == Precision.MONTH:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def parse_precise(text: Any) -> tuple[dt.date, str]:
    """``"2026"`` → (2026-01-01, year); ``"2025-Q4"``, ``"2024-11"``, ``"2025-12-01"`` alike."""
    for pattern, precision in _PRECISE_PATTERNS:
        match = pattern.fullmatch(text) if isinstance(text, str) else None
        if not match:
            continue
        year, *rest = (int(part) for part in match.groups())
        if precision == Precision.QUARTER:
            rest = [quarter_start(year, rest[0]).month]
        try:
            return dt.date(year, *[*rest, 1, 1][:2]), precision
        except ValueError:
            break
    raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD.")


def curated_load(*, fixtures_dir: Path) -> LoadReport:
    """Load every fixture file in ``fixtures_dir``, all or nothing; see the module docstring."""
    files = {name: _read(fixtures_dir / name) for name, _ in FILES}
    loader = _Loader(fixtures_dir)
    with one_write_per_delivery():
        for name, model in FILES:
            loader.load_file(name=name, model=model, items=files[name])
    return loader.report


def _read(path: Path) -> list[dict]:
    where = Location((path.name,))
    try:
        items = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError) as exc:
        raise FixtureError(where, {"file": [f"not valid JSON: {exc}"]}) from exc
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise FixtureError(where, {"file": ["must be a JSON list of objects."]})
    return items


class _Loader:
    def __init__(self, fixtures_dir: Path) -> None:
        self.fixtures_dir = fixtures_dir
        self.report = LoadReport()
        self._ids: dict[tuple[type[models.Model], str], int] = {}
        self._stamps: dict[type[models.Model], dict[frozenset, models.Model]] = {}

    def load_file(self, *, name: str, model: type[models.Model], items: list[dict]) -> None:
        # Records first, nested items second, so that related agreements can point forwards.
        loaded = []
        for index, item in enumerate(items):
            natural_key = item.get("key" if model is TimelineEvent else "slug") or f"[{index}]"
            where = Location((name, str(natural_key)))
            own, nested = _split(item, model, where)
            loaded.append((self._upsert(model, own, where), nested, where))
        for record, nested, where in loaded:
            if record is None:
                continue
            if model is Source:
                self._archive(record, where)
            self._load_nested(record, nested, where)

    def _load_nested(self, record: models.Model, nested: dict, where: Location) -> None:
        for index, item in enumerate(nested.get("parties", [])):
            self._child(AgreementParty, item, where.child(f"parties[{index}]"), agreement=record)
        for index, item in enumerate(nested.get("related", [])):
            self._relation(record, item, where.child(f"related[{index}]"))
        for index, item in enumerate(nested.get("tranches", [])):
            self._child(Tranche, item, where.child(f"tranches[{index}]"), delivery=record)
        for index, item in enumerate(nested.get("citations", [])):
            self._child(
                Citation, item, where.child(f"citations[{index}]"), **{_target(record): record}
            )
        for index, item in enumerate(nested.get("events", [])):
            event_where = where.child(f"events[{index}]")
            own, children = _split(item, TimelineEvent, event_where)
            event = self._upsert(TimelineEvent, {**own, _target(record): record}, event_where)
            if event is not None:
                self._load_nested(event, children, event_where)

    def _archive(self, source: Source, where: Location) -> None:
        """The text shipped in ``sources/`` as the source's current archived text."""
        if not source.archive_name:
            return
        path = self.fixtures_dir / "sources" / source.archive_name
        if not path.is_file():
            raise FixtureError(where, {"archive_name": [f"no file {path.name} in sources/."]})
        current = source.current_text_id
        text = path.read_text(encoding="utf-8")
        try:
            archived = archive(source, Extracted(text, PLAIN_TEXT, path.name))
        except ValidationError as exc:
            raise FixtureError(where, _fixture_errors(SourceText, exc)) from exc
        self.report.add(SourceText, "unchanged" if archived.pk == current else "created")

    def _child(self, model, item: dict, where: Location, **parent) -> models.Model:
        own, _ = _split(item, model, where)
        return self._upsert(model, {**own, **parent}, where)

    def _relation(self, record: Agreement, item: dict, where: Location) -> None:
        unknown = set(item) - {"to", "kind"}
        if unknown:
            raise FixtureError(where, {name: ["unknown field."] for name in sorted(unknown)})
        target_id = self._resolve(Ref(Agreement, "slug"), item.get("to"), where, "to")
        values = {"from_agreement": record, "to_agreement_id": target_id, "kind": item.get("kind")}
        self._upsert(AgreementRelation, values, where)

    # --- one row ----------------------------------------------------------------------------

    def _upsert(self, model, item: dict, where: Location) -> models.Model | None:
        """Create, update or leave the item's row; ``None`` when an editor deleted it."""
        values = self._values(model, item, where)
        lookup = {name: values.pop(name, None) for name in _natural_key(model, values)}
        if any(value is None for value in lookup.values()):
            missing = [name for name, value in lookup.items() if value is None]
            raise FixtureError(where, {name.removesuffix("_id"): ["required."] for name in missing})
        stamp = self._stamps_of(model).get(_stamp_key(lookup))
        if stamp is not None:
            obj = model.objects.filter(pk=getattr(stamp, model._meta.pk.attname)).first()
            if obj is None:
                self.report.keep(model, where, deleted=True)
                return None
            edited = not all(_same(getattr(obj, k), getattr(stamp, k)) for k in [*values, *lookup])
        else:
            obj = model.objects.filter(**lookup).first()
            edited = False
        if obj is not None and all(
            _same(getattr(obj, k), v) for k, v in [*lookup.items(), *values.items()]
        ):
            self.report.add(model, "unchanged")
            return obj
        if edited or (obj is not None and stamp is None):
            self.report.keep(model, where)
            return obj
        outcome = "updated" if obj is not None else "created"
        obj = obj or model()
        for name, value in [*lookup.items(), *values.items()]:
            setattr(obj, name, value)
        self._save(obj, where)
        self.report.add(model, outcome)
        return obj

    def _stamps_of(self, model) -> dict[frozenset, models.Model]:
        """The latest row this load's history wrote for each record of ``model``, by the
        natural key it had then (see the module docstring): one query per model."""
        if model not in self._stamps:
            latest = (
                model.history.filter(history_change_reason=CHANGE_REASON)
                .order_by("id", "-history_date", "-history_id")
                .distinct("id")
            )
            names = _stamp_fields(model)
            stamps = sorted(latest, key=lambda row: (row.history_date, row.history_id))
            self._stamps[model] = {
                _stamp_key({name: getattr(row, name) for name in names}): row for row in stamps
            }
        return self._stamps[model]

    def _values(self, model, item: dict, where: Location) -> dict[str, Any]:
        """Model attribute values from a fixture item (its parent already resolved)."""
        spec = SPECS.get(model, {})
        precisions = dict(getattr(model, "PRECISE_DATES", ()))
        values: dict[str, Any] = {}
        item = {**{name: missing(model, name) for name in spec}, **item}
        for name, raw in item.items():
            kind = spec.get(name, PLAIN)
            if isinstance(raw, models.Model):
                values[f"{name}_id"] = raw.pk
            elif isinstance(kind, Ref):
                values[f"{name}_id"] = self._resolve(kind, raw, where, name)
            elif raw is None or kind == PLAIN:
                values[name] = raw
                if kind == PRECISE:
                    values[precisions[name]] = None
            elif kind == DAY:
                values[name] = _parse(dt.date.fromisoformat, raw, where, name)
            else:
                values[name], values[precisions[name]] = _parse(parse_precise, raw, where, name)
        return values

    def _resolve(self, ref: Ref, key: Any, where: Location, name: str) -> int | None:
        if key is None:
            return None
        if (ref.model, key) not in self._ids:
            pk = ref.model.objects.filter(**{ref.key: key}).values_list("pk", flat=True).first()
            if pk is None:
                label = ref.model._meta.verbose_name
                raise FixtureError(where, {name: [f"there is no {label} with {ref.key} {key!r}."]})
            self._ids[(ref.model, key)] = pk
        return self._ids[(ref.model, key)]

    def _save(self, obj: models.Model, where: Location) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise FixtureError(where, _fixture_errors(type(obj), exc)) from exc
        obj._change_reason = CHANGE_REASON
        try:
            obj.save()
        except DatabaseError as exc:
            raise FixtureError(where, {"record": [str(exc).strip().splitlines()[0]]}) from exc


def _split(item: Any, model, where: Location) -> tuple[dict, dict]:
    """An item's own fields and its nested lists; refuses fields the model does not have."""
    if not isinstance(item, dict):
        raise FixtureError(where, {"item": ["must be a JSON object."]})
    nested_names = {name for name, owners in NESTED.items() if model in owners}
    unknown = set(item) - set(SPECS[model]) - nested_names
    if unknown:
        raise FixtureError(where, {name: ["unknown field."] for name in sorted(unknown)})
    nested = {name: item[name] for name in nested_names & set(item)}
    for name, value in nested.items():
        if not isinstance(value, list):
            raise FixtureError(where, {name: ["must be a JSON list."]})
    return {k: v for k, v in item.items() if k not in nested}, nested


def _natural_key(model, values: dict) -> tuple[str, ...]:
    """The fields that find a fixture item's row again, so that loading twice updates it."""
    if model is Citation:
        targets = [f"{name}_id" for name in TARGET_FIELD.values() if f"{name}_id" in values]
        return ("source_id", *targets, "quote")
    return NATURAL_KEYS.get(model, ("slug",))


def _stamp_fields(model) -> tuple[str, ...]:
    """Every field that can be part of the model's natural key (a citation's is its source,
    whichever one thing it cites, and its quote)."""
    if model is Citation:
        return ("source_id", *(f"{name}_id" for name in TARGET_FIELD.values()), "quote")
    return NATURAL_KEYS.get(model, ("slug",))


def _stamp_key(values: dict) -> frozenset:
    """A natural key as a set of (field, value), without the fields left empty."""
    return frozenset((name, value) for name, value in values.items() if value is not None)


def _target(record: models.Model) -> str:
    return TARGET_FIELD[type(record)]


def _parse(parser, raw: Any, where: Location, name: str):
    try:
        return parser(raw)
    except (TypeError, ValueError) as exc:
        raise FixtureError(where, {name: [str(exc)]}) from exc


def _same(current: Any, new: Any) -> bool:
    """Whether a stored value equals a fixture value (``Decimal("5.4300")`` equals ``5.43``)."""
    if isinstance(current, Decimal) and isinstance(new, int | float | str | Decimal):
        try:
            return current == Decimal(str(new))
        except ArithmeticError:
            return False
    return current == new


def _fixture_errors(model, exc: ValidationError) -> dict[str, list[str]]:
    """Validation errors keyed by the fixture's field names (a precision is part of its date)."""
    to_date = {precision: date for date, precision in getattr(model, "PRECISE_DATES", ())}
    errors: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        label = "record" if name == NON_FIELD_ERRORS else to_date.get(name, name)
        errors.setdefault(label, []).extend(messages)
    return errors

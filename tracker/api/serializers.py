"""Representations of the records, and validation of what editors send.

Every write is validated by the model's own ``full_clean()`` (field rules, ``clean()``, unique
and check constraints), so the API refuses exactly what the admin and the database refuse,
with the same messages, each under the API name of the field it concerns.
"""

import copy
import datetime as dt
import functools
import operator
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings

from ..choices import REVISION_KINDS, ActingBody
from ..integrity import rule_error
from ..links import api_path, api_view, key_path, path_around_key
from ..models import (
    Agreement,
    AgreementParty,
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
from ..models.deliveries import LATENESS_COLUMNS, ways_late
from ..models.events import EVENT_RECORDS
from ..models.sources import CITATION_TARGETS
from ..selectors.citations import CITATION_COLUMNS, citation_rows
from ..selectors.rows import rows_by_id
from ..services import sources as source_texts
from .fields import KnownFieldsMixin, LatenessField, PreciseDateField, date_data

#: Text fields without a length limit in the model still have one here.
TEXT_MAX_LENGTH = 20_000


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


def api_url(request, name: str, **kwargs) -> str:
    """The absolute URL of an API view."""
    if list(kwargs) == ["key"]:
        return absolute_url(request, f"api:{name}", kwargs["key"])
    return absolute(request, reverse(f"api:{name}", kwargs=kwargs or None))


def record_url(request, record_type: str, key) -> str:
    return absolute(request, api_path(record_type, key))


def absolute_url(request, view_name: str, key) -> str:
    """The URL of a view that takes a record's ``key``."""
    return absolute(request, key_path(view_name, key))


class LinkField(serializers.HyperlinkedIdentityField):
    """A record's own URL; unlike DRF's, it does not carry ``?format=csv`` into a CSV's links."""

    def get_url(self, obj, view_name, request, format):
        return absolute_url(request, view_name, getattr(obj, self.lookup_field))


def detail_url(record_type: str, lookup_field: str = "slug") -> LinkField:
    return LinkField(
        view_name=api_view(record_type),
        lookup_field=lookup_field,
        lookup_url_kwarg="key",
    )


#: Fields whose representation is the attribute's value itself.
PLAIN_FIELDS = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
)
#: Fields whose representation is the field's of the attribute's value, or null.
CONVERTED_FIELDS = (
    serializers.DecimalField,
    serializers.DateTimeField,
    serializers.DateField,
)


def field_reader(field: serializers.Field):
    """How to read one field of an instance: (attribute, function of its value), or None
    where the field reads the instance itself (DRF's ``get_attribute``).

    A field of a plain column is read as DRF reads it, without the calls DRF makes for any
    field (a page of 100 deliveries runs several thousand); every other field is DRF's.
    """
    if field.source == "*" or len(field.source_attrs) != 1:
        return None
    attribute = field.source_attrs[0]
    if isinstance(field, PLAIN_FIELDS) and type(field).to_representation in PLAIN_CONVERSIONS:
        return attribute, None
    if isinstance(field, CONVERTED_FIELDS):
        return attribute, field.to_representation
    if isinstance(field, serializers.SlugRelatedField):
        return attribute, operator.attrgetter(field.slug_field)
    return None


#: ``to_representation`` of the fields whose value is shown as it is stored.
PLAIN_CONVERSIONS = {
    serializers.CharField.to_representation,
    serializers.IntegerField.to_representation,
    serializers.BooleanField.to_representation,
    serializers.ChoiceField.to_representation,
}


class ReadMixin:
    """The representation of the serializer's fields, as DRF gives it, built with a reader
    per field worked out once per serializer (``field_reader``)."""

    @functools.cached_property
    def readers(self) -> list[tuple]:
        return [
            (name, field, field_reader(field))
            for name, field in self.fields.items()
            if not field.write_only
        ]

    def to_representation(self, instance):
        data = {}
        for name, field, reader in self.readers:
            if reader is None:
                value = field.get_attribute(instance)
                data[name] = None if value is None else field.to_representation(value)
                continue
            attribute, convert = reader
            value = getattr(instance, attribute)
            data[name] = value if convert is None or value is None else convert(value)
        return data


#: The project's time zone: no view activates another.
ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def time_text(value: dt.datetime | None) -> str | None:
    """A time as DRF's ``DateTimeField`` writes it (ISO 8601 in the project's time zone, "Z"
    for UTC), without the field's per-value look-ups: a page writes two for each row."""
    if value is None:
        return None
    text = value.astimezone(ZONE).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


def decimal_writer(model, name: str):
    """The text of a decimal column's values, as the model serializer's ``DecimalField``
    writes them (its decimal places, as a string; None stays None), without the field's copy
    of the decimal context for each value."""
    places = Decimal(1).scaleb(-model._meta.get_field(name).decimal_places)

    def text(value: Decimal | None) -> str | None:
        return None if value is None else f"{value.quantize(places):f}"

    return text


def slug_or_none(record, field: str = "slug"):
    return None if record is None else getattr(record, field)


def request_of(serializer):
    return serializer.context.get("request")


class Links:
    """Absolute URLs of the views that take a record's key, for one request: its origin and
    each view's path looked up once, not for each of the page's links."""

    def __init__(self, request):
        self.origin = request.build_absolute_uri("/").removesuffix("/") if request else ""
        self.around_key: dict[str, tuple[str, str]] = {}

    def url(self, view_name: str, key) -> str:
        around = self.around_key.get(view_name)
        if around is None:
            head, tail = path_around_key(view_name)
            around = self.around_key[view_name] = (f"{self.origin}{head}", tail)
        return f"{around[0]}{key}{around[1]}"


class LinksMixin:
    @functools.cached_property
    def links(self) -> Links:
        return Links(request_of(self))


def row_of(instance, columns) -> dict:
    """An instance's values under the names ``.values(*columns)`` gives them (``sector__slug``
    follows the relation; a missing related record gives None), so that one instance and a page
    of rows go through the same representation."""
    row = {}
    for column in columns:
        value = instance
        for name in column.split("__"):
            value = None if value is None else getattr(value, name)
        row[column] = value
    return row


def grouped(rows, key: str) -> dict:
    """Rows by the value of ``key``, each group in the rows' order."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


def location_data(row) -> dict | None:
    """Where a citation's quote sits in its source's current archived text, or None when the
    source has none (the citation is unverified)."""
    if row["paragraph"] is None:
        return None
    return {"paragraph": row["paragraph"], "start": row["quote_start"], "end": row["quote_end"]}


def citation_data(row) -> dict:
    """A citation as ``CitationSerializer`` shows it, with its source."""
    return {
        "id": row["id"],
        "source": {
            "slug": row["source__slug"],
            "title": row["source__title"],
            "publisher": row["source__publisher"],
            "address": row["source__url"],
            "published": date_data(row["source__published_on"], row["source__published_precision"]),
        },
        "quote": row["quote"],
        "figure": row["figure"],
        "locator": row["locator"],
        "location": location_data(row),
    }


def citations_data(citations) -> list[dict]:
    """Citation instances (a prefetched ``cited`` list) as ``citation_data`` shows them."""
    return [citation_data(row_of(citation, CITATION_COLUMNS)) for citation in citations]


def citations_of(target: str, ids: list[int]) -> dict[int, list[dict]]:
    """The citations of the ``target`` records (or events) ``ids``, in one query, by id."""
    rows = citation_rows(target, ids)
    return {
        key: [citation_data(row) for row in group] for key, group in grouped(rows, target).items()
    }


class RowsListSerializer(serializers.ListSerializer):
    """A page represented in one batch (``RowsMixin.rows_data``): its rows' related data is
    read for the whole page at once, a query per kind of related data."""

    def to_representation(self, data):
        columns = self.child.columns
        rows = [item if isinstance(item, dict) else row_of(item, columns) for item in data]
        return self.child.rows_data(rows)


class RowsMixin:
    """A representation built from rows (``.values(*columns)``), for a page in one batch or for
    one instance: one function per record type (``rows_data``) builds both. The views page
    such serializers' querysets as rows (``tracker.api.views.RowsPageMixin``)."""

    #: The values each row carries (``.values(*columns)``).
    columns: tuple[str, ...] = ()

    def rows_data(self, rows: list[dict]) -> list[dict]:
        raise NotImplementedError

    @classmethod
    def rows_by_id(cls, ids: list[int]) -> list[dict]:
        """The rows of ``columns`` of these ids, in their order (a page)."""
        return rows_by_id(cls.Meta.model, cls.columns, ids)

    def to_representation(self, instance):
        [data] = self.rows_data([row_of(instance, self.columns)])
        return data


class ModelCleanSerializer(ReadMixin, KnownFieldsMixin, serializers.ModelSerializer):
    """A model serializer whose writes pass the model's ``full_clean()`` first.

    Model errors are reported under the API's field names: a precise date's ``…_precision``
    error under the date object's name, and errors on the whole record under
    ``non_field_errors``.
    """

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField):
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        return field_class, kwargs

    def validate(self, attrs):
        candidate = copy.copy(self.instance) if self.instance else self.Meta.model()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(self._api_errors(exc)) from exc
        # full_clean() normalises values (a month-precision date moves to the 1st): keep them.
        return {name: getattr(candidate, name) for name in attrs}

    def save(self, **kwargs):
        """Save; a rule that only the database could see (a race for a slug, a trigger's rule
        across rows) is refused as validation would: the rule's message on its field."""
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError as error:
            refusal = rule_error(error, self.Meta.model)
            raise serializers.ValidationError(self._api_errors(refusal)) from None

    def _api_errors(self, exc: DjangoValidationError) -> dict:
        names = {"__all__": api_settings.NON_FIELD_ERRORS_KEY}
        for name, field in self.fields.items():
            for model_field in getattr(field, "model_fields", ()):
                names[model_field] = name
            if field.source and field.source != "*":
                names[field.source] = name
        errors: dict[str, list] = {}
        for model_name, messages in exc.message_dict.items():
            errors.setdefault(names.get(model_name, model_name), []).extend(messages)
        return errors


class SlugRelatedField(serializers.SlugRelatedField):
    """Refuses a NUL byte before the lookup: PostgreSQL cannot even compare with one."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def slug_of(model, field: str = "slug", **kwargs) -> SlugRelatedField:
    return SlugRelatedField(slug_field=field, queryset=model.objects.all(), **kwargs)


def party_field(**kwargs) -> SlugRelatedField:
    return slug_of(
        Party,
        "code",
        help_text="A state's ISO 3166-1 alpha-3 code (IND) or a bloc's acronym (EAEU).",
        **kwargs,
    )


def sector_field() -> SlugRelatedField:
    return slug_of(Sector, allow_null=True, required=False, help_text="Sector slug, e.g. defence.")


class SourceBriefSerializer(ReadMixin, serializers.ModelSerializer):
    address = serializers.CharField(source="url", read_only=True, help_text="Web address, if any.")
    published = PreciseDateField("published_on", "published_precision", read_only=True)

    class Meta:
        model = Source
        fields = ["slug", "title", "publisher", "address", "published"]


class SourceKeyField(SlugRelatedField):
    """A source named by its slug; the source object a read shows (``{"slug": …}``) is taken
    too, so that a citation read can be written back as it is."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("slug")
        return super().to_internal_value(data)

    def to_representation(self, value):
        return SourceBriefSerializer(value).data


class LocationSerializer(serializers.Serializer):
    """Where the quote sits in the source's current archived text, normalised (typographic
    quotes made straight, each run of whitespace one space): character offsets, end
    exclusive, and the number of the paragraph (non-blank line) it starts in."""

    paragraph = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class CitationSerializer(KnownFieldsMixin, ReadMixin, serializers.ModelSerializer):
    """A source and the short verbatim quote from it that supports a record, event or figure.

    Written inside a record or an event (its ``citations``), each is verified: the quote
    must occur in the source's current archived text. ``location`` is null when the source is
    marked as having no archived text (the citation is unverified).
    """

    id = serializers.IntegerField(
        required=False, help_text="Send it back to keep or change a citation; omit it to add one."
    )
    source = SourceKeyField(
        slug_field="slug", queryset=Source.objects.all(), help_text="The source's slug."
    )
    location = LocationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Citation
        fields = ["id", "source", "quote", "figure", "locator", "location"]

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField):
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        return field_class, kwargs

    def to_representation(self, instance):
        return citation_data(row_of(instance, CITATION_COLUMNS))

    def validate(self, attrs):
        """The model's rules, the quote's verification among them (the record it will cite
        is saved with it)."""
        candidate = Citation(**{k: v for k, v in attrs.items() if k != "id"})
        try:
            candidate.full_clean(validate_constraints=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class CitationsWriteMixin:
    """A record's or an event's ``citations`` written with it: when sent, they become the
    record's citations — those sent with their ``id`` are kept (and changed), those without
    are added, the others are deleted — in the transaction that saves the record."""

    #: The citation's foreign key to this serializer's model.
    citation_target = ""

    def validate(self, attrs):
        items = attrs.pop("cited", None)
        attrs = super().validate(attrs)
        if items is not None:
            attrs["cited"] = items
        return attrs

    def create(self, validated_data):
        items = validated_data.pop("cited", None)
        instance = super().create(validated_data)
        if items is not None:
            self.save_citations(instance, items)
        return instance

    def update(self, instance, validated_data):
        items = validated_data.pop("cited", None)
        instance = super().update(instance, validated_data)
        if items is not None:
            self.save_citations(instance, items)
        return instance

    def save_citations(self, instance, items: list[dict]) -> None:
        existing = {c.pk: c for c in Citation.objects.filter(**{self.citation_target: instance})}
        unknown = [item["id"] for item in items if item.get("id", None) not in (None, *existing)]
        if unknown:
            raise serializers.ValidationError(
                {
                    "citations": [
                        f"Not a citation of this record: id {', '.join(map(str, unknown))}."
                    ]
                }
            )
        kept = []
        for item in items:
            values = {k: v for k, v in item.items() if k != "id"}
            citation = existing.get(item.get("id")) or Citation(**{self.citation_target: instance})
            for name, value in values.items():
                setattr(citation, name, value)
            citation.save()
            kept.append(citation.pk)
        Citation.objects.filter(**{self.citation_target: instance}).exclude(pk__in=kept).delete()


class RecordLinkSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=EVENT_RECORDS)
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class RecordSerializer(CitationsWriteMixin, ModelCleanSerializer):
    """What every record type shows: identity, status, citations and a link to its timeline."""

    sector = sector_field()
    citations = CitationSerializer(source="cited", many=True, required=False)
    timeline = serializers.SerializerMethodField()

    RECORD_FIELDS = ["id", "url", "slug", "title", "summary", "sector"]
    TRAILING_FIELDS = ["citations", "timeline", "created_at", "updated_at"]

    #: The record type's name in ``BASENAMES``; set by each subclass.
    record_type = ""

    @property
    def citation_target(self) -> str:
        return self.record_type

    def get_timeline(self, record) -> str:
        return absolute(
            self.context.get("request"),
            reverse(api_view(self.record_type, "timeline"), kwargs={"key": record.slug}),
        )


class AgreementPartySerializer(ReadMixin, serializers.ModelSerializer):
    party = serializers.CharField(source="party.code", read_only=True)
    name = serializers.CharField(source="party.name", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["party", "name", "share_percent", "role"]
        read_only_fields = fields


class StepSerializer(ReadMixin, serializers.ModelSerializer):
    """A step a party took: when, through which body, and the timeline event recording it."""

    url = detail_url("event", "pk")
    date = PreciseDateField("date", "precision", read_only=True)
    # Declared: a read-only model field loses ``allow_blank``, and the schema would refuse "".
    body = serializers.ChoiceField(choices=ActingBody.choices, allow_blank=True, read_only=True)

    class Meta:
        model = TimelineEvent
        fields = ["url", "date", "body"]
        read_only_fields = fields


class PartyStepsSerializer(ReadMixin, serializers.Serializer):
    """One party's latest step of each kind (null: none recorded) and what is awaited from it.

    A step taken jointly (no party named, "both signed") counts for each party.
    """

    party = serializers.CharField(source="party.code", read_only=True)
    name = serializers.CharField(source="party.name", read_only=True)
    signed = StepSerializer(read_only=True, allow_null=True)
    approved = StepSerializer(read_only=True, allow_null=True)
    ratified = StepSerializer(read_only=True, allow_null=True)
    entered_into_force = StepSerializer(read_only=True, allow_null=True)
    denounced = StepSerializer(read_only=True, allow_null=True)
    pending = serializers.CharField(
        read_only=True,
        help_text='The step the agreement awaits from this party: "ratified" while '
        "ratification is pending and this party has not ratified; otherwise empty.",
    )


class AgreementSerializer(RecordSerializer):
    """An agreement; ``steps`` gives each party's signature, ratification, entry into force …
    as recorded on the timeline (RELOS: Russia ratified on 2025-12-01, India pending)."""

    record_type = "agreement"
    url = detail_url("agreement")
    parties = AgreementPartySerializer(source="agreement_parties", many=True, read_only=True)
    steps = PartyStepsSerializer(source="party_steps", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            *RecordSerializer.RECORD_FIELDS,
            "short_name",
            "kind",
            "status",
            "is_binding",
            "parties",
            "steps",
            *RecordSerializer.TRAILING_FIELDS,
        ]


class TrancheSerializer(ReadMixin, serializers.ModelSerializer):
    planned = PreciseDateField("planned_date", "planned_precision", read_only=True)
    actual = PreciseDateField("actual_date", "actual_precision", read_only=True)

    class Meta:
        model = Tranche
        fields = ["sequence", "quantity", "quantity_is_estimate", "planned", "actual", "note"]
        read_only_fields = fields

    def to_representation(self, tranche):
        return tranche_data(row_of(tranche, TRANCHE_COLUMNS))


tranche_quantity = decimal_writer(Tranche, "quantity")
TRANCHE_COLUMNS = (
    "sequence",
    "quantity",
    "quantity_is_estimate",
    "planned_date",
    "planned_precision",
    "actual_date",
    "actual_precision",
    "note",
)


def tranche_data(row) -> dict:
    return {
        "sequence": row["sequence"],
        "quantity": tranche_quantity(row["quantity"]),
        "quantity_is_estimate": row["quantity_is_estimate"],
        "planned": date_data(row["planned_date"], row["planned_precision"]),
        "actual": date_data(row["actual_date"], row["actual_precision"]),
        "note": row["note"],
    }


class RevisionSerializer(LinksMixin, ReadMixin, serializers.ModelSerializer):
    """One move of a delivery's forecast: from which date to which, announced when, by whom."""

    url = detail_url("event", "pk")
    announced = PreciseDateField("date", "precision", read_only=True)
    old_date = PreciseDateField("old_date", "old_precision", read_only=True)
    new_date = PreciseDateField("new_date", "new_precision", read_only=True)
    citations = CitationSerializer(source="cited", many=True, read_only=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "url", "kind", "title", "announced", "old_date", "new_date", "citations"]
        read_only_fields = fields

    def to_representation(self, revision):
        row = row_of(revision, REVISION_COLUMNS)
        return revision_data(row, citations_data(revision.cited), self.links)


REVISION_COLUMNS = (
    "id",
    "kind",
    "title",
    "date",
    "precision",
    "old_date",
    "old_precision",
    "new_date",
    "new_precision",
)


def revision_data(row, citations: list[dict], links: Links) -> dict:
    return {
        "id": row["id"],
        "url": links.url("api:event-detail", row["id"]),
        "kind": row["kind"],
        "title": row["title"],
        "announced": date_data(row["date"], row["precision"]),
        "old_date": date_data(row["old_date"], row["old_precision"]),
        "new_date": date_data(row["new_date"], row["new_precision"]),
        "citations": citations,
    }


def revisions_of(ids: list[int], links: Links) -> dict[int, list[dict]]:
    """The forecast revisions of the deliveries ``ids``, oldest first, with their citations:
    two queries for any number of deliveries."""
    rows = list(
        TimelineEvent.objects.filter(delivery__any=ids, kind__in=REVISION_KINDS)
        .order_by("date", "precision", "id")
        .values("delivery", *REVISION_COLUMNS)
    )
    citations = citations_of("event", [row["id"] for row in rows])
    return {
        delivery: [revision_data(row, citations.get(row["id"], []), links) for row in group]
        for delivery, group in grouped(rows, "delivery").items()
    }


def tranches_of(ids: list[int]) -> dict[int, list[dict]]:
    """The tranches of the deliveries ``ids`` in order, in one query."""
    rows = (
        Tranche.objects.filter(delivery__any=ids)
        .order_by("delivery", "sequence")
        .values("delivery", *TRANCHE_COLUMNS)
    )
    return {
        delivery: [tranche_data(row) for row in group]
        for delivery, group in grouped(rows, "delivery").items()
    }


class DeliverySerializer(RowsMixin, LinksMixin, RecordSerializer):
    """A delivery, its figures with their units, and its schedule.

    ``baseline``, ``forecast``, ``actual`` and ``slippage_months`` are derived from the
    tranches and the forecast revisions (listed in ``revisions``) and cannot be written.
    ``slippage_months`` is (actual or forecast) − baseline at the coarser precision of the
    two, signed, and null when the baseline is unknown. ``late`` says how the delivery is late
    today: ``slipped`` past its baseline, ``postponed`` from a date the sources do not give,
    ``overdue`` (contracted or in progress, its forecast passed, not complete); empty when it
    is not known to be late.
    """

    record_type = "delivery"
    url = detail_url("delivery")
    agreement = slug_of(Agreement, allow_null=True, required=False)
    supplier = party_field()
    recipient = party_field()
    ordered = PreciseDateField("ordered_on", "ordered_precision", required=False)
    baseline = PreciseDateField("baseline_date", "baseline_precision", read_only=True)
    forecast = PreciseDateField("forecast_date", "forecast_precision", read_only=True)
    actual = PreciseDateField("actual_date", "actual_precision", read_only=True)
    late = LatenessField(
        help_text=(
            "How the delivery is late today: slipped past its baseline, postponed from a date "
            "the sources do not give, overdue (its forecast passed, not complete); empty when "
            "it is not known to be late. late=true lists the deliveries where it is not empty."
        )
    )
    revisions = RevisionSerializer(many=True, read_only=True)
    tranches = TrancheSerializer(source="tranche_list", many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            *RecordSerializer.RECORD_FIELDS,
            "designation",
            "kind",
            "status",
            "agreement",
            "supplier",
            "recipient",
            "ordered",
            "quantity_ordered",
            "quantity_delivered",
            "quantity_unit",
            "quantity_is_estimate",
            "value",
            "value_currency",
            "value_unit",
            "value_is_estimate",
            "baseline",
            "forecast",
            "actual",
            "slippage_months",
            "late",
            "revisions",
            "tranches",
            *RecordSerializer.TRAILING_FIELDS,
        ]
        list_serializer_class = RowsListSerializer

    columns = (
        "id",
        "slug",
        "title",
        "summary",
        "sector__slug",
        "designation",
        "kind",
        "status",
        "agreement__slug",
        "supplier__code",
        "recipient__code",
        "ordered_on",
        "ordered_precision",
        "quantity_ordered",
        "quantity_delivered",
        "quantity_unit",
        "quantity_is_estimate",
        "value",
        "value_currency",
        "value_unit",
        "value_is_estimate",
        "baseline_date",
        "baseline_precision",
        "forecast_date",
        "forecast_precision",
        "actual_date",
        "actual_precision",
        "slippage_months",
        "postponed_from_unknown",
        "created_at",
        "updated_at",
    )

    def rows_data(self, rows):
        links = self.links
        ids = [row["id"] for row in rows]
        citations = citations_of("delivery", ids)
        revisions = revisions_of(ids, links)
        tranches = tranches_of(ids)
        today = timezone.localdate()
        return [
            {
                "id": row["id"],
                "url": links.url("api:delivery-detail", row["slug"]),
                "slug": row["slug"],
                "title": row["title"],
                "summary": row["summary"],
                "sector": row["sector__slug"],
                "designation": row["designation"],
                "kind": row["kind"],
                "status": row["status"],
                "agreement": row["agreement__slug"],
                "supplier": row["supplier__code"],
                "recipient": row["recipient__code"],
                "ordered": date_data(row["ordered_on"], row["ordered_precision"]),
                "quantity_ordered": delivery_quantity(row["quantity_ordered"]),
                "quantity_delivered": delivery_quantity(row["quantity_delivered"]),
                "quantity_unit": row["quantity_unit"],
                "quantity_is_estimate": row["quantity_is_estimate"],
                "value": delivery_value(row["value"]),
                "value_currency": row["value_currency"],
                "value_unit": row["value_unit"],
                "value_is_estimate": row["value_is_estimate"],
                "baseline": date_data(row["baseline_date"], row["baseline_precision"]),
                "forecast": date_data(row["forecast_date"], row["forecast_precision"]),
                "actual": date_data(row["actual_date"], row["actual_precision"]),
                "slippage_months": row["slippage_months"],
                "late": ways_late(today, *(row[name] for name in LATENESS_COLUMNS)),
                "revisions": revisions.get(row["id"], []),
                "tranches": tranches.get(row["id"], []),
                "citations": citations.get(row["id"], []),
                "timeline": links.url("api:delivery-timeline", row["slug"]),
                "created_at": time_text(row["created_at"]),
                "updated_at": time_text(row["updated_at"]),
            }
            for row in rows
        ]


delivery_quantity = decimal_writer(Delivery, "quantity_ordered")
delivery_value = decimal_writer(Delivery, "value")


class TradeRecordSerializer(RecordSerializer):
    """One source's claim about one trade figure, with its unit, currency and claim status."""

    record_type = "trade_record"
    url = detail_url("trade_record")
    reporter = party_field(allow_null=True)
    partner = party_field()
    target = PreciseDateField("target_date", "target_precision", required=False)

    class Meta:
        model = TradeRecord
        fields = [
            *RecordSerializer.RECORD_FIELDS,
            "period_type",
            "period_start",
            "period_end",
            "period_is_approximate",
            "period_note",
            "reporter",
            "partner",
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
            "target",
            "is_estimate",
            "counts_toward_totals",
            *RecordSerializer.TRAILING_FIELDS,
        ]


class IssueSerializer(RecordSerializer):
    record_type = "issue"
    url = detail_url("issue")
    opened = PreciseDateField("opened_on", "opened_precision", required=False)
    resolved = PreciseDateField("resolved_on", "resolved_precision", required=False)

    class Meta:
        model = Issue
        fields = [
            *RecordSerializer.RECORD_FIELDS,
            "category",
            "severity",
            "status",
            "opened",
            "resolved",
            "people_affected",
            "people_affected_is_estimate",
            *RecordSerializer.TRAILING_FIELDS,
        ]


class ArchivedTextSerializer(ReadMixin, serializers.ModelSerializer):
    """A version of a source's archived text: never edited, a correction is a new version."""

    media_type = serializers.CharField(
        read_only=True,
        help_text="The format it was extracted from: text/plain, text/html, application/pdf.",
    )

    class Meta:
        model = SourceText
        fields = ["version", "sha256", "media_type", "file_name", "archived_at", "text"]
        read_only_fields = fields


class ArchivedTextBriefSerializer(ArchivedTextSerializer):
    """The source's current archived text, without the text (at ``text_url``)."""

    class Meta(ArchivedTextSerializer.Meta):
        fields = ["version", "sha256", "media_type", "file_name", "archived_at"]
        read_only_fields = fields


#: The largest file or text accepted as a source's text (a long report as PDF).
TEXT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024


class TextUploadSerializer(KnownFieldsMixin, serializers.Serializer):
    """A new version of a source's text: ``text`` (JSON) or ``file`` (multipart form: plain
    text, HTML or PDF, whose text is extracted)."""

    text = serializers.CharField(required=False, trim_whitespace=False, max_length=2_000_000)
    file = serializers.FileField(required=False)

    def validate(self, attrs):
        if ("text" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Send either text or file."]}
            )
        name = "text" if "text" in attrs else "file"
        try:
            if name == "text":
                return {"extracted": source_texts.pasted(attrs["text"])}
            upload = attrs["file"]
            if upload.size > TEXT_UPLOAD_MAX_BYTES:
                raise DjangoValidationError(
                    f"The file is larger than {TEXT_UPLOAD_MAX_BYTES // 2**20} MB."
                )
            return {
                "extracted": source_texts.extract(
                    upload.read(), file_name=upload.name, content_type=upload.content_type or ""
                )
            }
        except DjangoValidationError as exc:
            raise serializers.ValidationError({name: exc.messages}) from exc


class SourceSerializer(ModelCleanSerializer):
    url = detail_url("source")
    address = serializers.CharField(
        source="url",
        max_length=500,
        allow_blank=True,
        required=False,
        validators=[URLValidator()],
        help_text="Web address of the source; empty when unknown.",
    )
    published = PreciseDateField("published_on", "published_precision", required=False)
    archived_text = ArchivedTextBriefSerializer(
        source="current_text", read_only=True, allow_null=True
    )
    text_url = serializers.SerializerMethodField(
        help_text="Its archived text: GET reads it, POST adds a new version."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "slug",
            "title",
            "publisher",
            "author",
            "published",
            "address",
            "archive_name",
            "no_archived_text",
            "archived_text",
            "text_url",
            "notes",
            "created_at",
            "updated_at",
        ]

    def get_text_url(self, source) -> str:
        return absolute_url(request_of(self), "api:source-text", source.slug)


class EventSerializer(RowsMixin, LinksMixin, CitationsWriteMixin, ModelCleanSerializer):
    """A dated event on one record (or on the relationship as a whole), with its citations.

    Set at most one of ``agreement``, ``delivery``, ``trade_record`` and ``issue`` (slugs);
    ``record`` links to it. Forecast revisions of a delivery give ``old_date`` and ``new_date``,
    and their ``date`` is when the revision was announced.
    """

    url = detail_url("event", "pk")
    date = PreciseDateField("date", "precision", required=True)
    old_date = PreciseDateField("old_date", "old_precision", required=False)
    new_date = PreciseDateField("new_date", "new_precision", required=False)
    agreement = slug_of(Agreement, allow_null=True, required=False)
    delivery = slug_of(Delivery, allow_null=True, required=False)
    trade_record = slug_of(TradeRecord, allow_null=True, required=False)
    issue = slug_of(Issue, allow_null=True, required=False)
    party = party_field(allow_null=True, required=False)
    record = serializers.SerializerMethodField()
    citations = CitationSerializer(source="cited", many=True, required=False)
    citation_target = "event"
    #: The shape of ``record`` (``get_record``), for its CSV columns.
    csv_shapes = {"record": RecordLinkSerializer}

    class Meta:
        model = TimelineEvent
        fields = [
            "id",
            "url",
            "key",
            "kind",
            "title",
            "description",
            "date",
            "date_is_estimate",
            "end_date",
            "is_planned",
            "party",
            "body",
            "old_date",
            "new_date",
            "agreement",
            "delivery",
            "trade_record",
            "issue",
            "record",
            "citations",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = RowsListSerializer

    columns = (
        "id",
        "key",
        "kind",
        "title",
        "description",
        "date",
        "precision",
        "date_is_estimate",
        "end_date",
        "is_planned",
        "party__code",
        "body",
        "old_date",
        "old_precision",
        "new_date",
        "new_precision",
        *(f"{name}__{field}" for name in EVENT_RECORDS for field in ("id", "slug", "title")),
        "created_at",
        "updated_at",
    )

    def rows_data(self, rows):
        links = self.links
        citations = citations_of("event", [row["id"] for row in rows])
        return [
            {
                "id": row["id"],
                "url": links.url("api:event-detail", row["id"]),
                "key": row["key"],
                "kind": row["kind"],
                "title": row["title"],
                "description": row["description"],
                "date": date_data(row["date"], row["precision"]),
                "date_is_estimate": row["date_is_estimate"],
                "end_date": None if row["end_date"] is None else row["end_date"].isoformat(),
                "is_planned": row["is_planned"],
                "party": row["party__code"],
                "body": row["body"],
                "old_date": date_data(row["old_date"], row["old_precision"]),
                "new_date": date_data(row["new_date"], row["new_precision"]),
                "agreement": row["agreement__slug"],
                "delivery": row["delivery__slug"],
                "trade_record": row["trade_record__slug"],
                "issue": row["issue__slug"],
                "record": record_link(row, links),
                "citations": citations.get(row["id"], []),
                "created_at": time_text(row["created_at"]),
                "updated_at": time_text(row["updated_at"]),
            }
            for row in rows
        ]

    @extend_schema_field(RecordLinkSerializer(allow_null=True))
    def get_record(self, event) -> dict | None:
        return record_link(row_of(event, self.columns), self.links)


def record_link(row, links: Links) -> dict | None:
    """The record an event is on (a row of ``EventSerializer.columns``), or None."""
    for record_type in EVENT_RECORDS:
        if row[f"{record_type}__id"] is not None:
            slug = row[f"{record_type}__slug"]
            return {
                "type": record_type,
                "id": row[f"{record_type}__id"],
                "slug": slug,
                "title": row[f"{record_type}__title"],
                "url": links.url(api_view(record_type), slug),
            }
    return None


class StandaloneCitationSerializer(ModelCleanSerializer):
    """A citation on its own: a source, a verbatim quote from it, and the one record or event
    it supports (``agreement``, ``delivery``, ``trade_record`` or ``issue`` by slug, or
    ``event`` by id). The quote must occur in the source's current archived text; writing
    needs the right to change what it supports."""

    url = detail_url("citation", "pk")
    source = SourceKeyField(
        slug_field="slug", queryset=Source.objects.all(), help_text="The source's slug."
    )
    agreement = slug_of(Agreement, allow_null=True, required=False)
    delivery = slug_of(Delivery, allow_null=True, required=False)
    trade_record = slug_of(TradeRecord, allow_null=True, required=False)
    issue = slug_of(Issue, allow_null=True, required=False)
    event = serializers.PrimaryKeyRelatedField(
        queryset=TimelineEvent.objects.all(), allow_null=True, required=False
    )
    location = LocationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Citation
        fields = [
            "id",
            "url",
            "source",
            "quote",
            "figure",
            "locator",
            "location",
            *CITATION_TARGETS,
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance):
        data = citation_data(row_of(instance, CITATION_COLUMNS))
        return {
            "id": data["id"],
            "url": absolute_url(request_of(self), "api:citation-detail", instance.pk),
            **{key: value for key, value in data.items() if key != "id"},
            **{name: slug_or_none(getattr(instance, name)) for name in EVENT_RECORDS},
            "event": instance.event_id,
            "created_at": time_text(instance.created_at),
            "updated_at": time_text(instance.updated_at),
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        candidate = copy.copy(self.instance) if self.instance else Citation()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        check_may_change(request_of(self), candidate)
        return attrs


def may_change(user, citation: Citation) -> bool:
    """Whether ``user`` may change what ``citation`` supports: the same right as on it."""
    target = citation.target
    return target is None or user.has_perm(f"tracker.change_{type(target)._meta.model_name}")


def check_may_change(request, citation: Citation) -> None:
    if request is not None and not may_change(request.user, citation):
        raise exceptions.PermissionDenied(
            "You may not change what this citation supports, so not its citations either."
        )

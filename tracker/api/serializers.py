"""Representations of the records, and validation of what editors send.

Every write is validated by the model's own ``full_clean()`` (field rules, ``clean()``, unique
and check constraints), so the API refuses exactly what the admin and the database refuse,
with the same messages, each under the API name of the field it concerns.
"""

import copy
import functools
import operator

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from ..choices import ActingBody
from ..links import api_path, api_view, key_path
from ..models import (
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
from ..models.deliveries import LATENESS_COLUMNS, ways_late
from ..models.events import EVENT_RECORDS
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


#: How times are written (DRF's ISO 8601, "Z" for UTC).
TIME = serializers.DateTimeField()


def time_text(value) -> str | None:
    return None if value is None else TIME.to_representation(value)


def decimal_writer(model, name: str):
    """The text of a decimal column's values, as the model serializer's field writes it."""
    column = model._meta.get_field(name)
    field = serializers.DecimalField(
        max_digits=column.max_digits, decimal_places=column.decimal_places
    )

    def text(value):
        return None if value is None else field.to_representation(value)

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

    def url(self, view_name: str, key) -> str:
        return f"{self.origin}{key_path(view_name, key)}"


class LinksMixin:
    @functools.cached_property
    def links(self) -> Links:
        return Links(request_of(self))


def citations_data(citations) -> list[dict]:
    """Citations as ``CitationSerializer`` shows them, with their sources."""
    return [
        {
            "id": citation.pk,
            "source": {
                "slug": citation.source.slug,
                "title": citation.source.title,
                "publisher": citation.source.publisher,
                "address": citation.source.url,
                "published": date_data(
                    citation.source.published_on, citation.source.published_precision
                ),
            },
            "quote": citation.quote,
            "figure": citation.figure,
            "locator": citation.locator,
        }
        for citation in citations
    ]


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


class CitationSerializer(ReadMixin, serializers.ModelSerializer):
    """A source and the short verbatim quote from it that supports a record, event or figure."""

    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "source", "quote", "figure", "locator"]
        read_only_fields = fields

    def to_representation(self, instance):
        [data] = citations_data([instance])
        return data


class RecordLinkSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=EVENT_RECORDS)
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class RecordSerializer(ModelCleanSerializer):
    """What every record type shows: identity, status, citations and a link to its timeline."""

    sector = sector_field()
    citations = CitationSerializer(source="cited", many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    RECORD_FIELDS = ["id", "url", "slug", "title", "summary", "sector"]
    TRAILING_FIELDS = ["citations", "timeline", "created_at", "updated_at"]

    #: The record type's name in ``BASENAMES``; set by each subclass.
    record_type = ""

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
        return tranche_data(tranche)


tranche_quantity = decimal_writer(Tranche, "quantity")


def tranche_data(tranche) -> dict:
    return {
        "sequence": tranche.sequence,
        "quantity": tranche_quantity(tranche.quantity),
        "quantity_is_estimate": tranche.quantity_is_estimate,
        "planned": date_data(tranche.planned_date, tranche.planned_precision),
        "actual": date_data(tranche.actual_date, tranche.actual_precision),
        "note": tranche.note,
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
        return revision_data(revision, self.links)


def revision_data(revision, links: Links) -> dict:
    return {
        "id": revision.pk,
        "url": links.url("api:event-detail", revision.pk),
        "kind": revision.kind,
        "title": revision.title,
        "announced": date_data(revision.date, revision.precision),
        "old_date": date_data(revision.old_date, revision.old_precision),
        "new_date": date_data(revision.new_date, revision.new_precision),
        "citations": citations_data(revision.cited),
    }


class DeliverySerializer(LinksMixin, RecordSerializer):
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

    def to_representation(self, delivery):
        links = self.links
        return {
            "id": delivery.pk,
            "url": links.url("api:delivery-detail", delivery.slug),
            "slug": delivery.slug,
            "title": delivery.title,
            "summary": delivery.summary,
            "sector": slug_or_none(delivery.sector),
            "designation": delivery.designation,
            "kind": delivery.kind,
            "status": delivery.status,
            "agreement": slug_or_none(delivery.agreement),
            "supplier": delivery.supplier.code,
            "recipient": delivery.recipient.code,
            "ordered": date_data(delivery.ordered_on, delivery.ordered_precision),
            "quantity_ordered": delivery_quantity(delivery.quantity_ordered),
            "quantity_delivered": delivery_quantity(delivery.quantity_delivered),
            "quantity_unit": delivery.quantity_unit,
            "quantity_is_estimate": delivery.quantity_is_estimate,
            "value": delivery_value(delivery.value),
            "value_currency": delivery.value_currency,
            "value_unit": delivery.value_unit,
            "value_is_estimate": delivery.value_is_estimate,
            "baseline": date_data(delivery.baseline_date, delivery.baseline_precision),
            "forecast": date_data(delivery.forecast_date, delivery.forecast_precision),
            "actual": date_data(delivery.actual_date, delivery.actual_precision),
            "slippage_months": delivery.slippage_months,
            "late": ways_late(
                timezone.localdate(), *(getattr(delivery, name) for name in LATENESS_COLUMNS)
            ),
            "revisions": [revision_data(revision, links) for revision in delivery.revisions],
            "tranches": [tranche_data(tranche) for tranche in delivery.tranche_list],
            "citations": citations_data(delivery.cited),
            "timeline": links.url("api:delivery-timeline", delivery.slug),
            "created_at": time_text(delivery.created_at),
            "updated_at": time_text(delivery.updated_at),
        }


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
            "notes",
            "created_at",
            "updated_at",
        ]


class EventSerializer(LinksMixin, ModelCleanSerializer):
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
    citations = CitationSerializer(source="cited", many=True, read_only=True)

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

    def to_representation(self, event):
        return {
            "id": event.pk,
            "url": self.links.url(api_view("event"), event.pk),
            "key": event.key,
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "date": date_data(event.date, event.precision),
            "date_is_estimate": event.date_is_estimate,
            "end_date": None if event.end_date is None else event.end_date.isoformat(),
            "is_planned": event.is_planned,
            "party": slug_or_none(event.party, "code"),
            "body": event.body,
            "old_date": date_data(event.old_date, event.old_precision),
            "new_date": date_data(event.new_date, event.new_precision),
            "agreement": slug_or_none(event.agreement),
            "delivery": slug_or_none(event.delivery),
            "trade_record": slug_or_none(event.trade_record),
            "issue": slug_or_none(event.issue),
            "record": self.get_record(event),
            "citations": citations_data(event.cited),
            "created_at": time_text(event.created_at),
            "updated_at": time_text(event.updated_at),
        }

    @extend_schema_field(RecordLinkSerializer(allow_null=True))
    def get_record(self, event) -> dict | None:
        record_type = event.record_type
        if record_type is None:
            return None
        record = event.record
        return {
            "type": record_type,
            "id": record.pk,
            "slug": record.slug,
            "title": record.title,
            "url": self.links.url(api_view(record_type), record.slug),
        }

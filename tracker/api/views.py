"""API views: a queryset, a serializer and a filterset per record type.

The generic behaviour (lookup by slug or id, ETags and ``If-Match``, CSV, filters, stable
ordering, the per-record timeline) lives in ``BaseViewSet`` and ``RecordViewSet``; each record
type only declares what differs.
"""

from axes.helpers import get_cool_off, get_lockout_message
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, pagination, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from ..models import Citation, Source
from ..models.sources import CITATION_TARGETS
from ..selectors.agreements import agreement_list
from ..selectors.deliveries import delivery_list
from ..selectors.issues import issue_list
from ..selectors.timeline import event_list, event_pages
from ..selectors.trade import trade_record_list
from ..services.sources import archive
from . import filtersets, serializers
from .conditional import ConditionalMixin, conditional, conditional_get
from .history import AS_OF_PARAMETER, AsOfMixin, HistoryMixin
from .pagination import TimelineCursorPagination
from .parameters import KnownParametersMixin
from .parsers import JSONParser
from .proposals import SourceProposalsSerializer, source_proposals
from .renderers import CSVRenderer, JSONRenderer
from .summary import TradeSummaryQuerySerializer, TradeSummarySerializer, summary_data

LIST_RENDERERS = [JSONRenderer, CSVRenderer]
LIST_FILTERS = [
    filtersets.FilterBackend,
    filtersets.SafeSearchFilter,
    filtersets.StableOrderingFilter,
]
KEY_PARAMETER = OpenApiParameter(
    "key",
    str,
    OpenApiParameter.PATH,
    description="The record's slug, or its numeric id.",
    pattern=r"^[-a-zA-Z0-9_]+$",
)
EVENT_KEY_PARAMETER = OpenApiParameter(
    "key", int, OpenApiParameter.PATH, description="The event's numeric id."
)


def keyed_by(parameter: OpenApiParameter):
    """Document the ``key`` path parameter of every detail operation of a viewset, and
    ``as_of`` on its reads."""
    schema = extend_schema(parameters=[parameter])
    names = ["update", "partial_update", "destroy"]
    return extend_schema_view(
        **dict.fromkeys(names, schema),
        retrieve=extend_schema(parameters=[parameter, AS_OF_PARAMETER]),
        list=extend_schema(parameters=[AS_OF_PARAMETER]),
    )


class RowsPageMixin:
    """A page read as rows when the serializer builds its representation from rows
    (``serializers.RowsMixin``): the ORM chooses the page (filters, order, cursor) reading only
    its keys, and the serializer reads the page's rows by id in a statement of its own
    (``tracker.selectors.rows``), so no model instance is built for the page."""

    def paginate_queryset(self, queryset):
        serializer_class = self.get_serializer_class()
        if getattr(serializer_class, "columns", None) is None:
            return super().paginate_queryset(queryset)
        read = serializer_class.rows_by_id
        if isinstance(self.paginator, pagination.CursorPagination):
            # The cursor is made of the page's values of its ordering.
            ordering = self.paginator.get_ordering(self.request, queryset, self)
            names = dict.fromkeys(["id", *(name.removeprefix("-") for name in ordering)])
            keys = super().paginate_queryset(queryset.values(*names))
            return read([key["id"] for key in keys])
        return super().paginate_queryset(Rows(queryset, read))


class Rows:
    """A queryset paged by number as rows: counted as it is, so the count joins none of the
    tables the rows read, and each page's ids read, then its rows by id (Django's paginator
    takes any object that can be counted and sliced)."""

    def __init__(self, queryset, read):
        self.queryset = queryset
        self.read = read
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.read(list(self.queryset.values_list("id", flat=True)[index]))


class ConditionalListMixin:
    """Lists and pages of events answered with an ETag (``If-None-Match`` gives 304)."""

    def list(self, request, *args, **kwargs):
        return conditional(request, super().list(request, *args, **kwargs))


class Moved(Exception):
    """The record a URL names has moved to ``location`` (its slug was renamed)."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


@keyed_by(KEY_PARAMETER)
class BaseViewSet(
    AsOfMixin,
    HistoryMixin,
    KnownParametersMixin,
    RowsPageMixin,
    ConditionalListMixin,
    ConditionalMixin,
    viewsets.ModelViewSet,
):
    """List, read, create, update and delete; records addressed by slug or numeric id."""

    lookup_url_kwarg = "key"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    renderer_classes = LIST_RENDERERS
    filter_backends = LIST_FILTERS
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_object(self, queryset=None):
        """The record the URL names, from ``queryset`` (by default the view's, prefetched);
        a former slug of a record moves to the record's current URL."""
        queryset = self.get_queryset() if queryset is None else queryset
        obj = self.found(queryset)
        self.check_object_permissions(self.request, obj)
        return obj

    def found(self, queryset):
        """The row of ``queryset`` the URL names; a former slug of a record moves to the
        record's current URL (a write's lock looks the row up before ``get_object``)."""
        try:
            return generics.get_object_or_404(queryset, **self.key_lookup())
        except Http404:
            self.follow_former_slug()
            raise

    def follow_former_slug(self) -> None:
        """Raise ``Moved`` to this URL with the record's current slug, if the URL's key is a
        former slug of a record of this type (``tracker.models.slugs``)."""
        key = self.kwargs[self.lookup_url_kwarg]
        former = None if key.isdigit() else self.former_slugs()
        if former is None:
            return
        slug = former.objects.filter(slug=key).values_list("record__slug", flat=True).first()
        if slug is not None:
            match = self.request.resolver_match
            path = reverse(match.view_name, kwargs={**match.kwargs, self.lookup_url_kwarg: slug})
            query = self.request.META.get("QUERY_STRING")
            raise Moved(f"{path}?{query}" if query else path)

    def former_slugs(self):
        """The model of this record type's former slugs, if it is addressed by slug (the
        class's queryset: an action's, such as the timeline's, holds other rows)."""
        model = type(self).queryset.model
        names = {field.name for field in model._meta.related_objects}
        return (
            model._meta.get_field("former_slugs").related_model if "former_slugs" in names else None
        )

    def handle_exception(self, exc):
        """A former slug's URL is answered with its record's current one: 301 to a read, 308
        to a write (which keeps its method and body)."""
        if isinstance(exc, Moved):
            if self.request.method in ("GET", "HEAD", "OPTIONS"):
                return HttpResponsePermanentRedirect(exc.location)
            return HttpResponsePermanentRedirect(exc.location, status=308)
        return super().handle_exception(exc)

    def key_lookup(self) -> dict:
        return key_lookup(self.kwargs[self.lookup_url_kwarg])


def key_lookup(key: str) -> dict:
    """A record's key in a URL as a lookup: a numeric id, or else a slug. A number beyond the
    range of ids (64 bits) names no record, and is not sent to the database to compare."""
    if not key.isdigit():
        return {"slug": key}
    if int(key) > filtersets.MAX_ID:
        raise Http404
    return {"pk": int(key)}


class RecordViewSet(BaseViewSet):
    """A record type, with its own timeline at ``<key>/timeline/``."""

    search_fields = ["title", "summary", "slug"]
    #: The foreign key from TimelineEvent to this record type.
    event_field = ""

    @extend_schema(
        summary="The record's timeline",
        description="Its events in chronological order (finest precision first within a date).",
        parameters=[KEY_PARAMETER, AS_OF_PARAMETER],
        responses=serializers.EventSerializer(many=True),
    )
    @action(
        detail=True,
        queryset=event_pages(),
        serializer_class=serializers.EventSerializer,
        pagination_class=TimelineCursorPagination,
        filter_backends=[filtersets.FilterBackend],
        filterset_class=filtersets.EventFilterSet,
    )
    def timeline(self, request, *args, **kwargs):
        """The events of the record the key names; the record is looked up on its own only
        when the page is empty, to tell an empty timeline from an unknown record (404)."""
        on_record = {
            f"{self.event_field}__{name}": value for name, value in self.key_lookup().items()
        }
        events = self.filter_queryset(self.get_queryset().filter(**on_record))
        page = self.get_paginated_response(
            self.get_serializer(self.paginate_queryset(events), many=True).data
        )
        if not page.data["results"]:
            # The view's own queryset: this action's (``self.queryset``) holds the events.
            self.get_object(type(self).queryset.model.objects.only("pk"))
        return conditional(request, page)


RECORD_ORDERING = {
    "title": "title",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "id": "id",
}


class AgreementViewSet(RecordViewSet):
    queryset = agreement_list()
    serializer_class = serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet
    ordering = ["title"]
    ordering_fields = {**RECORD_ORDERING, "status": "status", "kind": "kind"}
    event_field = "agreement"


class DeliveryViewSet(RecordViewSet):
    queryset = delivery_list()
    serializer_class = serializers.DeliverySerializer
    filterset_class = filtersets.DeliveryFilterSet
    search_fields = [*RecordViewSet.search_fields, "designation"]
    ordering = ["title"]
    ordering_fields = {
        **RECORD_ORDERING,
        "status": "status",
        "slippage": "slippage_months",
        "baseline": "baseline_date",
        "forecast": "forecast_date",
        "value": "value",
    }
    event_field = "delivery"


class TradeRecordViewSet(RecordViewSet):
    queryset = trade_record_list()
    serializer_class = serializers.TradeRecordSerializer
    filterset_class = filtersets.TradeRecordFilterSet
    search_fields = [*RecordViewSet.search_fields, "commodity"]
    ordering = ["-period_start", "flow"]
    ordering_fields = {
        **RECORD_ORDERING,
        "period_start": "period_start",
        "period_end": "period_end",
        "value": "value",
        "flow": "flow",
    }
    event_field = "trade_record"

    @extend_schema(
        summary="Trade by period and flow, and progress against targets",
        parameters=[TradeSummaryQuerySerializer],
        responses=TradeSummarySerializer,
    )
    @action(
        detail=False,
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
        query_serializer_class=TradeSummaryQuerySerializer,
    )
    def summary(self, request, *args, **kwargs):
        return conditional_get(request, summary_data(request, self.query(request)))


class IssueViewSet(RecordViewSet):
    queryset = issue_list()
    serializer_class = serializers.IssueSerializer
    filterset_class = filtersets.IssueFilterSet
    ordering = ["title"]
    ordering_fields = {**RECORD_ORDERING, "severity": "severity", "status": "status"}
    event_field = "issue"


class SourceViewSet(BaseViewSet):
    queryset = Source.objects.select_related("current_text").defer("current_text__text")
    serializer_class = serializers.SourceSerializer
    filterset_class = filtersets.SourceFilterSet
    search_fields = ["title", "publisher", "author", "slug"]
    ordering = ["title"]
    ordering_fields = {**RECORD_ORDERING, "published_on": "published_on"}

    @extend_schema(
        methods=["GET"],
        summary="The source's archived text",
        parameters=[KEY_PARAMETER],
        responses=serializers.ArchivedTextSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Archive a new version of the source's text",
        description='JSON ``{"text": …}``, or a multipart form with ``file``: plain text, '
        "HTML (its article text is extracted) or PDF. The new version becomes the source's "
        "current text when every citation of the source is found in it.",
        parameters=[KEY_PARAMETER],
        request={
            "application/json": serializers.TextUploadSerializer,
            "multipart/form-data": serializers.TextUploadSerializer,
        },
        responses={201: serializers.ArchivedTextSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="text",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
        parser_classes=[JSONParser, MultiPartParser],
    )
    def text(self, request, *args, **kwargs):
        """The current version (404 when the source has none), or a new one."""
        if request.method == "GET":
            archived = self.get_object(Source.objects.select_related("current_text"))
            if archived.current_text is None:
                raise Http404("This source has no archived text.")
            data = serializers.ArchivedTextSerializer(archived.current_text).data
            return conditional_get(request, data)
        upload = serializers.TextUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        with transaction.atomic():
            source = self.get_object(Source.objects.select_for_update())
            try:
                archived = archive(source, upload.validated_data["extracted"])
            except DjangoValidationError as exc:
                raise exceptions.ValidationError(exc.message_dict) from exc
        data = serializers.ArchivedTextSerializer(archived).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The proposals read from the source's text",
        description="In reading order, with the values parsed, the records matched and the "
        "proposed change; accept or reject each at its ``accept_url`` or ``reject_url``.",
        parameters=[KEY_PARAMETER],
        responses=SourceProposalsSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="proposals",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
    )
    def proposals(self, request, *args, **kwargs):
        source = self.get_object(Source.objects.only("pk", "slug"))
        return conditional_get(request, source_proposals(request, source))


class CitedRecordPermission(BasePermission):
    """Anyone reads citations; writing one needs the right to change the record or event it
    supports (checked again for the record it is moved to, in the serializer)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or serializers.may_change(request.user, obj)


@keyed_by(EVENT_KEY_PARAMETER)
class CitationViewSet(BaseViewSet):
    """Citations, each verified against its source's archived text; addressed by id."""

    lookup_value_regex = r"[0-9]+"
    queryset = Citation.objects.select_related("source", *CITATION_TARGETS)
    serializer_class = serializers.StandaloneCitationSerializer
    filterset_class = filtersets.CitationFilterSet
    permission_classes = [CitedRecordPermission]
    search_fields = ["quote"]
    ordering = ["id"]
    ordering_fields = {"id": "id", "created_at": "created_at", "updated_at": "updated_at"}


@keyed_by(EVENT_KEY_PARAMETER)
class EventViewSet(BaseViewSet):
    """Timeline events; addressed by id. Paged by cursor, chronological unless ordered."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = serializers.EventSerializer
    filterset_class = filtersets.EventFilterSet
    pagination_class = TimelineCursorPagination
    search_fields = ["title", "description"]
    ordering = ["date", "precision", "id"]
    ordering_fields = {
        "date": "date",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "id": "id",
    }

    def get_queryset(self):
        return event_pages() if self.action == "list" else event_list()


@extend_schema(summary="The merged timeline of all records", parameters=[AS_OF_PARAMETER])
class TimelineView(
    AsOfMixin, KnownParametersMixin, RowsPageMixin, ConditionalListMixin, generics.ListAPIView
):
    """Every event, chronological with precision-aware order, filterable; paged by cursor."""

    queryset = event_pages()
    serializer_class = serializers.EventSerializer
    filterset_class = filtersets.EventFilterSet
    filter_backends = [filtersets.FilterBackend]
    pagination_class = TimelineCursorPagination
    renderer_classes = LIST_RENDERERS


class TokenView(KnownParametersMixin, ObtainAuthToken):
    """Exchange a username and password for the user's API token.

    A username and address locked out by django-axes (as on the admin's login) get 429 with
    ``Retry-After``, not "unable to log in": the password may be right, and retrying early
    only prolongs the lockout. Axes marks the request it was given, which here is DRF's, so
    its middleware (which sees Django's) cannot answer for it.
    """

    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    # A token is a secret: kept by no cache, and never compressed (DataGZipMiddleware).
    @method_decorator(never_cache)
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                wait = cool_off.total_seconds() if cool_off else None
                raise exceptions.Throttled(wait, str(get_lockout_message())) from None
            raise

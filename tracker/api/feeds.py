"""For consumers who subscribe rather than poll: the changes feed, Atom and iCalendar.

- ``/api/v1/changes/?since=…`` lists creations, changes and deletions in the order they
  happened (from the change history, so deletions are there too); follow ``next`` to the end,
  keep the last ``cursor`` and ask ``?cursor=…`` next time for what happened since.
- ``/api/v1/changes.atom``: the latest changes as an Atom feed.

The timeline's own feeds (iCalendar and Atom, merged and per record) are in
``timeline_feeds``. Every feed's identifiers are ``tracker.links``': the same whichever
address of the site a subscriber uses.
"""

import base64
import binascii
import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import StreamingHttpResponse
from django.utils import feedgenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from ..links import BASENAMES, identifier_part, tag_uri
from ..models import TradeRecord
from ..selectors.changes import CHANGE_TYPES, Change, ChangeKey, RecordRef, change_list
from ..text import printable
from .conditional import conditional_get
from .filtersets import EARLIEST, LATEST, MAX_ID, FilterBackend, TradeRecordFilterSet
from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, link_header
from .parameters import KnownParametersMixin
from .renderers import AtomRenderer, CSVRenderer, JSONRenderer, csv_rows
from .serializers import api_url, record_url, time_text

ATOM_ENTRIES = 100


def encode_cursor(key: ChangeKey) -> str:
    text = f"{key.at.isoformat()}|{key.type}|{key.history_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> ChangeKey:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        at, change_type, history_id = text.split("|")
        key = ChangeKey(dt.datetime.fromisoformat(at), change_type, int(history_id))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise serializers.ValidationError("Not a cursor from this feed.") from exc
    if key.at.tzinfo is None or change_type not in CHANGE_TYPES or not 0 < key.history_id <= MAX_ID:
        raise serializers.ValidationError("Not a cursor from this feed.")
    return key


class CursorField(serializers.CharField):
    def to_internal_value(self, data):
        token = super().to_internal_value(data)
        if len(token) > 200:
            raise serializers.ValidationError("Not a cursor from this feed.")
        return decode_cursor(token)


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False,
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
        help_text="ISO 8601 time: changes at or after it. Ignored when a cursor is given.",
    )
    cursor = CursorField(
        required=False,
        help_text="Changes strictly after this position (from a response's `cursor` or `next`).",
    )
    type = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANGE_TYPES),
        required=False,
        help_text="Only changes of these types; repeat the parameter for several.",
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


class LinkSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    url = serializers.URLField(allow_null=True, help_text="Null once the record is deleted.")


class ChangeSerializer(serializers.Serializer):
    """One creation, change or deletion. Fetch ``url`` (unless deleted) and ``record.url``."""

    type = serializers.ChoiceField(choices=CHANGE_TYPES)
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    at = serializers.DateTimeField()
    title = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text="Null once deleted, and for parts.")
    record = LinkSerializer(
        allow_null=True, help_text="For a citation, tranche or event: the record it belongs to."
    )
    cursor = serializers.CharField(help_text="Position of this change in the feed.")


class ChangesPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page; null at the end.")
    cursor = serializers.CharField(
        allow_null=True, help_text="Ask ?cursor= with this later for what changed since."
    )
    results = ChangeSerializer(many=True)


def change_data(request, change: Change) -> dict:
    """A change as ``ChangeSerializer`` describes it, its links as the records give theirs
    (by slug; events by id)."""
    own_url = None
    if change.type in BASENAMES and change.action != "deleted":
        own_url = link(request, RecordRef(change.type, change.id, change.slug))
    record = None
    if change.record:
        record = {"type": change.record.type, "id": change.record.id}
        record["url"] = link(request, change.record)
    return {
        "type": change.type,
        "id": change.id,
        "action": change.action,
        "at": time_text(change.key.at),
        "title": change.title[:200],
        "url": own_url,
        "record": record,
        "cursor": encode_cursor(change.key),
    }


def link(request, ref: RecordRef) -> str | None:
    """A record's URL: by its slug (None once deleted), or for an event by its id."""
    key = ref.id if ref.type == "event" else ref.slug
    return None if key is None else record_url(request, ref.type, key)


class FeedView(KnownParametersMixin, APIView):
    """A read-only feed, open to everyone."""

    permission_classes = [AllowAny]


class ChangesView(FeedView):
    renderer_classes = [JSONRenderer]
    query_serializer_class = ChangesQuerySerializer

    @extend_schema(
        summary="Created, changed and deleted records, in order",
        parameters=[ChangesQuerySerializer],
        responses=ChangesPageSerializer,
    )
    def get(self, request):
        params = self.query(request)
        limit = params["page_size"]
        changes = change_list(
            since=params.get("since"),
            after=params.get("cursor"),
            types=frozenset(params.get("type", [])),
            limit=limit,
        )
        results = [change_data(request, change) for change in changes]
        last = results[-1]["cursor"] if results else request.query_params.get("cursor")
        next_url = None
        if len(results) == limit:
            next_url = request.build_absolute_uri(
                f"{request.path}?cursor={last}&page_size={limit}"
                + "".join(f"&type={name}" for name in params.get("type", []))
            )
        page = {"next": next_url, "cursor": last, "results": results}
        response = conditional_get(request, page)
        response["Link"] = link_header({"next": next_url})
        return response


class FirstRendererNegotiation(BaseContentNegotiation):
    """Feeds have one format: serve it whatever the client's Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ChangesAtomView(FeedView):
    renderer_classes = [AtomRenderer]
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        summary="The latest changes, as an Atom feed",
        responses={(200, "application/atom+xml"): OpenApiTypes.STR},
    )
    def get(self, request):
        feed = atom_feed(
            request,
            title="indoru: changes",
            link=api_url(request, "changes"),
            description="Records created, changed and deleted in the India–Russia tracker.",
            feed_id=tag_uri("changes"),
        )
        for change in change_list(limit=ATOM_ENTRIES, newest_first=True):
            data = change_data(request, change)
            feed.add_item(
                title=f"{change.type.replace('_', ' ').capitalize()} {change.action}: "
                f"{printable(data['title'])}",
                link=data["url"] or (data["record"] or {}).get("url") or feed.feed["link"],
                description=f"{change.type} {change.id} {change.action}",
                unique_id=tag_uri(
                    identifier_part(change.type), change.id, "change", change.key.history_id
                ),
                pubdate=change.key.at,
                updateddate=change.key.at,
            )
        return conditional_get(request, feed.writeString("utf-8"))


class AtomFeed(feedgenerator.Atom1Feed):
    """Django's Atom feed, whose ``updated`` is the same on every request while it is empty
    (Django's would be the time of the request), so that its ETag holds and a poll of an
    empty feed is answered 304."""

    #: When an empty feed was last updated, as far as its subscribers can tell: never.
    EMPTY_SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def latest_post_date(self):
        return super().latest_post_date() if self.items else self.EMPTY_SINCE


def atom_feed(request, *, title: str, link: str, description: str, feed_id: str) -> AtomFeed:
    """An Atom feed at the request's address, with the tracker as its author and ``feed_id``
    (a ``tag:`` URI) as its id, which the host does not change."""
    return AtomFeed(
        title=printable(title),
        link=link,
        description=description,
        subtitle=description,
        feed_url=request.build_absolute_uri(),
        feed_guid=feed_id,
        author_name="indoru",
    )


#: Columns of the trade export: plain values, no nesting, in a fixed order.
TRADE_EXPORT_COLUMNS = {
    "id": "id",
    "slug": "slug",
    "title": "title",
    "period_type": "period_type",
    "period_start": "period_start",
    "period_end": "period_end",
    "reporter": "reporter__code",
    "partner": "partner__code",
    "flow": "flow",
    "metric": "metric",
    "sector": "sector__slug",
    "commodity": "commodity",
    "hs_code": "hs_code",
    "value": "value",
    "value_high": "value_high",
    "qualifier": "qualifier",
    "currency": "currency",
    "unit": "unit",
    "kind": "kind",
    "is_estimate": "is_estimate",
    "counts_toward_totals": "counts_toward_totals",
    "updated_at": "updated_at",
}


class StreamedCSVView(KnownParametersMixin, GenericAPIView):
    """Every row the filters select, as one CSV streamed from a server-side cursor.

    Unlike ``?format=csv`` on a list, it is not paged: a million rows leave the server in
    batches, in bounded memory. A subclass names its queryset, filters, ``columns`` (CSV
    header → field read) and ``file_name``, and documents its ``get``.
    """

    permission_classes = [AllowAny]
    filter_backends = [FilterBackend]
    pagination_class = None
    renderer_classes = [CSVRenderer]
    content_negotiation_class = FirstRendererNegotiation
    columns: dict[str, str] = {}
    file_name = "export.csv"

    def ordered(self, queryset):
        return queryset.order_by("id")

    def get(self, request):
        rows = (
            self.ordered(self.filter_queryset(self.get_queryset()))
            .values_list(*self.columns.values())
            .iterator(chunk_size=2000)
        )
        response = StreamingHttpResponse(
            csv_rows(list(self.columns), rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.file_name}"'
        return response


class TradeExportView(StreamedCSVView):
    """Every trade record the list's filters select."""

    queryset = TradeRecord.objects.all()
    filterset_class = TradeRecordFilterSet
    columns = TRADE_EXPORT_COLUMNS
    file_name = "trade-records.csv"

    @extend_schema(
        summary="All trade records as CSV, streamed",
        filters=True,
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        return super().get(request)

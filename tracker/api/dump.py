"""``/api/v1/dump.ndjson``: the whole data set for bulk users, one JSON object a line.

The first line is a header: what the file is, its licence and how to cite it
(``tracker.licence``). Then each record (agreements, deliveries, trade records, issues) with
its events, each source, and each event on no record (a summit, a visit), in id order:

    {"type": "delivery", "record": {…, "citations": […]}, "events": [{…, "citations": […]}]}

Each record is written by its type's one serializer, as the API shows it. The file is streamed
in batches of records read by id (``id > last``), each batch with the same few queries: memory
stays bounded whatever the size of the data set, and no cursor is held open between batches
(replicas and PgBouncer in transaction mode serve it as they serve any page). Records written
while a dump streams appear as they were when their batch was read.
"""

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .. import licence
from ..models.events import EVENT_RECORDS
from ..selectors.timeline import event_list
from . import views
from .feeds import FirstRendererNegotiation
from .parameters import KnownParametersMixin
from .renderers import JSONRenderer
from .serializers import EventSerializer, time_text

NDJSON = "application/x-ndjson"
#: Records a batch reads and writes at a time: with their events (an agreement has fifty at
#: scale 1 of the benchmarks), 200 of them keep a batch to a few megabytes.
BATCH = 200
#: Each record type of the dump, with the view whose queryset and serializer show it.
DUMPED = (
    ("agreement", views.AgreementViewSet),
    ("delivery", views.DeliveryViewSet),
    ("trade_record", views.TradeRecordViewSet),
    ("issue", views.IssueViewSet),
    ("source", views.SourceViewSet),
)


def header(request) -> dict:
    return {
        "type": "header",
        "title": "indoru: the India–Russia relations tracker, every record",
        "generated_at": time_text(timezone.now()),
        "source": request.build_absolute_uri(),
        "licence": {**licence.LICENCE, "text": licence.LICENCE_TEXT},
        "how_to_cite": licence.HOW_TO_CITE,
        "lines": "Then one record a line: type, record (with its citations) and, for "
        "agreements, deliveries, trade records and issues, its events (with theirs).",
    }


def batches(queryset, serializer_class, context):
    """The queryset's rows in id order, ``BATCH`` at a time, each batch as the serializer
    shows it (read as rows where the serializer builds from rows, as a page is)."""
    columns = getattr(serializer_class, "columns", None)
    last = 0
    while True:
        batch = queryset.filter(pk__gt=last).order_by("pk")
        rows = list((batch.values(*columns) if columns else batch)[:BATCH])
        if not rows:
            return
        last = rows[-1]["id"] if columns else rows[-1].pk
        yield serializer_class(rows, many=True, context=context).data


def events_by_record(record_type: str, ids: list[int], context) -> dict[int, list]:
    """The events of the records ``ids`` of a type, in timeline order, by record id."""
    rows = list(
        event_list().filter(**{f"{record_type}__any": ids}).values(*EventSerializer.columns)
    )
    grouped: dict[int, list] = {}
    for row, data in zip(rows, EventSerializer(rows, many=True, context=context).data, strict=True):
        grouped.setdefault(row[f"{record_type}__id"], []).append(data)
    return grouped


def ndjson(objects) -> bytes:
    return b"".join(JSONRenderer.compact(data) + b"\n" for data in objects)


def lines(request):
    """The dump, a batch of lines at a time."""
    context = {"request": request}
    yield ndjson([header(request)])
    for record_type, view in DUMPED:
        for records in batches(view.queryset, view.serializer_class, context):
            if record_type not in EVENT_RECORDS:
                yield ndjson({"type": record_type, "record": record} for record in records)
                continue
            events = events_by_record(record_type, [record["id"] for record in records], context)
            yield ndjson(
                {"type": record_type, "record": record, "events": events.get(record["id"], [])}
                for record in records
            )
    on_no_record = event_list().filter(**{f"{name}__isnull": True for name in EVENT_RECORDS})
    for events in batches(on_no_record, EventSerializer, context):
        yield ndjson({"type": "event", "record": event} for event in events)


class DumpView(KnownParametersMixin, APIView):
    """The dump, streamed past DRF's renderers; an error (a parameter it does not take) is
    JSON, as everywhere in the API."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        summary="Every record with its events and citations, as NDJSON, streamed",
        description="The first line is a header with the data's licence and how to cite it; "
        "then one JSON object a line: `type`, `record` and, for records, their `events`.",
        responses={(200, NDJSON): OpenApiTypes.STR},
    )
    def get(self, request):
        response = StreamingHttpResponse(lines(request), content_type=NDJSON)
        response["Content-Disposition"] = 'attachment; filename="indoru.ndjson"'
        return response

"""The timeline for subscribers: an iCalendar and an Atom feed of the merged timeline and of
each record's, taking the timeline's filters.

- ``/api/v1/timeline.ics?<filters>`` and ``/api/v1/<type>/<key>/timeline.ics``: milestones
  (``selectors.milestones``: planned events and tranches, delivery forecasts, trade targets),
  all day over the period of their dates;
- ``/api/v1/timeline.atom?<filters>`` and ``/api/v1/<type>/<key>/timeline.atom``: the events
  most recently recorded or changed.

``<filters>`` are those of ``/api/v1/timeline/`` (``EventFilterSet``), refused alike when bad.
"""

from urllib.parse import urlencode

from django.utils import timezone
from django.utils.html import escape
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView, get_object_or_404

from ..links import api_view, identifier_part, tag_uri
from ..models import TimelineEvent
from ..selectors.milestones import CALENDAR_ENTRIES, calendar_entries, planned_events
from ..selectors.timeline import event_list
from ..text import printable
from .conditional import conditional_get
from .feeds import ATOM_ENTRIES, FeedView, FirstRendererNegotiation, atom_feed
from .filtersets import EventFilterSet, FilterBackend
from .renderers import AtomRenderer, ICalendarRenderer, calendar_event, calendar_text
from .serializers import absolute_url, api_url, record_url
from .views import KEY_PARAMETER, key_lookup

CALENDAR = {(200, "text/calendar"): OpenApiTypes.STR}
ATOM = {(200, "application/atom+xml"): OpenApiTypes.STR}
CALENDAR_DESCRIPTION = (
    "Planned events, tranches planned and not yet arrived, the current forecast of each "
    "delivery not yet complete, and trade targets. Each is an all-day event over the whole "
    "period its date is given to: one for 2026 runs from 1 January to 31 December 2026 (an "
    "event lasting longer, to its last day), and its summary ends with the date as the "
    "source gives it, e.g. '(2026)'. UIDs name the milestone (`delivery-12-forecast@indoru`), "
    "whatever the address the calendar was read from. Filters on what only events have "
    "(`id`, `kind`, `party`, `date_is_estimate=true`) keep only events. At most "
    f"{CALENDAR_ENTRIES} milestones, those dated nearest to today: filters select others."
)
ATOM_DESCRIPTION = (
    f"The {ATOM_ENTRIES} events most recently recorded or changed, newest first. Entry ids "
    "are tag URIs naming the record and the event (`tag:indoru,2025:delivery/12/event/42`)."
)


def feed_schema(summary: str, description: str, responses: dict, record: bool = False):
    """The OpenAPI operation of a feed: its media type, the timeline's filters as parameters,
    and for a record's feed the key of the record."""
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            description=description,
            parameters=[KEY_PARAMETER] if record else None,
            filters=True,
            responses=responses,
        )
    )


class TimelineFeedView(FeedView, GenericAPIView):
    """A feed of the timeline, merged or of the record of ``record_type`` the URL's key names,
    narrowed by the timeline's filters."""

    filter_backends = [FilterBackend]
    filterset_class = EventFilterSet
    pagination_class = None
    content_negotiation_class = FirstRendererNegotiation
    #: The type of the record whose timeline it is; empty for the merged timeline.
    record_type = ""

    def filtered(self, events):
        """``events`` narrowed by the request's filters, and the filters' values (400 if bad):
        the filters apply to more than events in a calendar."""
        filterset = self.filterset_class(
            self.request.query_params, queryset=events, request=self.request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs, filterset.form.cleaned_data

    def record(self, key):
        """The record the URL's key names (404 if none), or ``None`` on the merged timeline."""
        if not self.record_type:
            return None
        model = TimelineEvent._meta.get_field(self.record_type).related_model
        return get_object_or_404(model.objects.only("slug", "title"), **key_lookup(key))

    def on_record(self, record) -> tuple[str, int] | None:
        return (self.record_type, record.pk) if record else None

    def title(self, record) -> str:
        return f"indoru: {record.title}" if record else "indoru: timeline"


@feed_schema("Milestones, as an iCalendar feed", CALENDAR_DESCRIPTION, CALENDAR)
class TimelineCalendarView(TimelineFeedView):
    queryset = planned_events()
    renderer_classes = [ICalendarRenderer]

    def get(self, request, key=None):
        record = self.record(key)
        events, filters = self.filtered(self.get_queryset())
        entries = calendar_entries(
            events, filters, self.on_record(record), today=timezone.localdate()
        )
        events = [calendar_event(entry, record_url(request, *entry.record)) for entry in entries]
        return conditional_get(request, calendar_text(self.title(record), events))


@feed_schema("The latest events, as an Atom feed", ATOM_DESCRIPTION, ATOM)
class TimelineAtomView(TimelineFeedView):
    queryset = event_list()
    renderer_classes = [AtomRenderer]

    def get(self, request, key=None):
        record = self.record(key)
        events, _ = self.filtered(self.get_queryset())
        if record:
            events = events.filter(**{f"{self.record_type}_id": record.pk})
        feed = atom_feed(
            request,
            title=self.title(record),
            link=self.link(record),
            description="Events on the India–Russia tracker's timeline.",
            feed_id=self.feed_id(record),
        )
        for event in events.order_by("-updated_at", "-id")[:ATOM_ENTRIES]:
            add_event(request, feed, event)
        return conditional_get(request, feed.writeString("utf-8"))

    def link(self, record) -> str:
        """The same timeline as JSON: the record's, or the merged one with these filters."""
        if record:
            return absolute_url(self.request, api_view(self.record_type, "timeline"), record.slug)
        query = self.request.META.get("QUERY_STRING")
        return api_url(self.request, "timeline") + (f"?{query}" if query else "")

    def feed_id(self, record) -> str:
        """The feed's tag URI: the record's timeline, or the merged one with these filters,
        written in one order whatever the order of the query."""
        if record:
            return tag_uri(identifier_part(self.record_type), record.pk, "timeline")
        pairs = [
            (name, value) for name, values in self.request.query_params.lists() for value in values
        ]
        query = urlencode(sorted(pairs))
        return tag_uri("timeline") + (f"?{query}" if query else "")


@feed_schema(
    "A record's milestones, as an iCalendar feed", CALENDAR_DESCRIPTION, CALENDAR, record=True
)
class RecordCalendarView(TimelineCalendarView):
    """The calendar of the record the URL's key names."""


@feed_schema("A record's latest events, as an Atom feed", ATOM_DESCRIPTION, ATOM, record=True)
class RecordAtomView(TimelineAtomView):
    """The Atom feed of the timeline of the record the URL's key names."""


def event_parts(event: TimelineEvent) -> tuple:
    """What names an event in identifiers: its record's type and id, then its own id."""
    record_type = event.record_type
    if record_type is None:
        return ("event", event.pk)
    return (identifier_part(record_type), getattr(event, f"{record_type}_id"), "event", event.pk)


def add_event(request, feed, event: TimelineEvent) -> None:
    """An event as an Atom entry linking to its record (to itself when on none)."""
    record_type = event.record_type
    about = f"{event.get_kind_display()} · {event.record.title if record_type else 'India–Russia'}"
    feed.add_item(
        title=printable(f"{event.title} ({event.when.display})"),
        link=record_url(request, record_type, event.record.slug)
        if record_type
        else record_url(request, "event", event.pk),
        description=escape(printable(f"{about}. {event.description}".strip())),
        unique_id=tag_uri(*event_parts(event)),
        pubdate=event.created_at,
        updateddate=event.updated_at,
        categories=[event.get_kind_display()],
    )

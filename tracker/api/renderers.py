"""Output formats: JSON by orjson, CSV for lists, iCalendar for milestones."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence

import icalendar
import orjson
from rest_framework import renderers

from ..csvcells import safe_cell
from ..links import calendar_uid
from ..selectors.milestones import CalendarEntry
from ..text import printable
from .columns import csv_columns, table

# --- JSON --------------------------------------------------------------------------------


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, written by orjson: several times faster on a page of 100 nested rows.

    Values orjson does not write itself (decimals, lazy strings, and dates and times, which
    DRF writes its own way, "Z" for UTC) go through DRF's encoder, so the output is DRF's.
    Indented output (``Accept: application/json; indent=2``) is left to DRF.
    """

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    @classmethod
    def compact(cls, data) -> bytes:
        """The data as this renderer writes it unindented, which is also what ETags hash."""
        return orjson.dumps(data, default=cls.encoder_class().default, option=cls.OPTIONS)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        context = renderer_context or {}
        if self.get_indent(accepted_media_type, context):
            return super().render(data, accepted_media_type, renderer_context)
        # A response given an ETag (``conditional``) carries its data written once already.
        written = getattr(context.get("response"), "compact_json", None)
        if written is not None and written[0] is data:
            return written[1]
        return self.compact(data)


class ProblemRenderer(JSONRenderer):
    """An error as a problem details object (RFC 9457): JSON, said so in its media type."""

    media_type = "application/problem+json"


# --- CSV ---------------------------------------------------------------------------------


def csv_rows(header: list[str], rows: Iterable[Sequence], batch: int = 1000) -> Iterator[str]:
    """CSV text of plain value tuples, ``batch`` lines at a time: what a streaming export sends.

    Memory stays bounded by one batch whatever the number of rows. Cells that would start a
    spreadsheet formula are defused (``safe_cell``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


class CSVRenderer(renderers.BaseRenderer):
    """``?format=csv``: the rows of a list page (or one object) as CSV, in the fixed, flat
    columns of the view's serializer (``columns.csv_columns``), so an empty page still has
    its header row. Errors are never CSV (``exceptions.ProblemResponse``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        else:
            rows = data if isinstance(data, list) else [data]
        view = renderer_context["view"]
        header, values = table(csv_columns(view.get_serializer_class()), rows)
        return "".join(csv_rows(header, values)).encode()


# --- iCalendar (RFC 5545) ----------------------------------------------------------------


def calendar_event(entry: CalendarEntry, url: str) -> icalendar.Event:
    """One all-day VEVENT spanning the whole period of the milestone's date.

    A milestone "planned for 2026" spans 2026-01-01 to 2026-12-31 (DTEND, exclusive, is
    2027-01-01), and its summary says "(2026)", so no calendar shows a day the source did not
    give. Its UID names the milestone, not the host that served it.
    """
    event = icalendar.Event()
    event.add("uid", calendar_uid(*entry.parts))
    event.add("dtstamp", entry.updated_at.astimezone(dt.UTC))
    event.add("last-modified", entry.updated_at.astimezone(dt.UTC))
    event.add("dtstart", entry.when.date)
    event.add("dtend", entry.last_day + dt.timedelta(days=1))
    event.add("summary", printable(f"{entry.title} ({entry.when.display})"))
    if entry.description:
        event.add("description", printable(entry.description))
    event.add("categories", [entry.category])
    event.add("transp", "TRANSPARENT")
    event.add("url", url)
    return event


def calendar_text(name: str, events: Iterable[icalendar.Event]) -> str:
    """A VCALENDAR named ``name`` holding ``events``; escaped and folded by ``icalendar``."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//indoru//timeline//EN")
    calendar.add("name", printable(name))
    calendar.add("x-wr-calname", printable(name))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode()


class TextRenderer(renderers.BaseRenderer):
    """Text a view has already built (a feed). Its errors are problem details, in JSON
    (``exceptions.ProblemResponse``): a feed reader handed a 400 as ``text/calendar`` would
    try to parse it."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else data.encode()


class ICalendarRenderer(TextRenderer):
    media_type = "text/calendar"
    format = "ics"


class AtomRenderer(TextRenderer):
    media_type = "application/atom+xml"
    format = "atom"

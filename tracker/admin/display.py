"""How the admin shows statuses, dates at their precision, amounts, slippage and lateness.

Every helper works on values already loaded with the row, so list columns built from them add
no query per row.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ..choices import COLOURS, EventKind, Lateness
from ..dates import display as display_date
from ..figures import number, stated_value
from ..links import admin_path
from ..models.agreements import STEP_ORDER, PartySteps
from ..quotes import searchable

UNKNOWN = "unknown"


def badge(value: str, label: str):
    """A status as a coloured badge; the colour comes from ``tracker.choices.COLOURS``."""
    if not value:
        return "—"
    colour = COLOURS.get(value, "grey")
    return format_html(
        '<span class="badge badge-{}" data-status="{}">{}</span>', colour, value, label
    )


def precise(obj, date_field: str, precision_field: str) -> str:
    """A stored date shown at its precision: "2025-12-01", "Nov 2024", "Q3 2025" or "2026"."""
    day = getattr(obj, date_field)
    return display_date(day, getattr(obj, precision_field)) if day else "—"


def amount(value: Decimal | None, currency: str = "", unit_label: str = "") -> str:
    """A value with its currency and unit, e.g. "USD 5.43 billion"; a dash when unknown."""
    if value is None:
        return "—"
    parts = [currency, number(value), unit_label]
    return " ".join(part for part in parts if part)


def slippage(months: int | None):
    """Slippage in months; unknown stays unknown and is never shown as zero."""
    if months is None:
        return format_html('<span class="slippage slippage-unknown">{}</span>', UNKNOWN)
    state = "late" if months > 0 else "on-time" if months == 0 else "early"
    sign = "+" if months > 0 else ""
    return format_html(
        '<span class="slippage slippage-{}" data-months="{}">{}{} mo</span>',
        state,
        months,
        sign,
        months,
    )


def slippage_and_lateness(delivery):
    """Slippage in months, and beside it the other ways the delivery is late today (postponed
    by an unknown span, overdue)."""
    ways = delivery.ways_late(timezone.localdate())
    others = [way for way in ways if way != Lateness.SLIPPED]
    badges = format_html_join(
        "",
        ' <span class="slippage slippage-late" title="{}">{}</span>',
        ((Lateness(way).label, way) for way in others),
    )
    return format_html("{}{}", slippage(delivery.slippage_months), badges)


def trade_value(record) -> str:
    """A trade figure as the source states it: "USD 68.7 billion", "≤USD 1 billion per month"."""
    return stated_value(
        record.value,
        record.value_high,
        record.qualifier,
        record.currency,
        record.unit,
        rate=record.rate,
    )


def cited_list(citations) -> str:
    """Citations as a list of "source: “quote”", each linked to the citation's admin page."""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a>: “{}”</li>',
        ((admin_path(c, c.pk), c.source.title, c.quote) for c in citations),
    )
    return format_html('<ul class="cited">{}</ul>', items) if items else "none yet"


#: What a party's ``pending`` step reads as.
PENDING = {EventKind.RATIFIED: "ratification pending"}
STEPS = [EventKind(kind) for kind in STEP_ORDER]


def step_summary(steps: PartySteps) -> str:
    """A party's latest step and what is awaited from it: "RUS: ratified 2025-12-01",
    "IND: ratification pending", or only "IND" when no step is recorded."""
    latest = steps.latest
    said = [f"{latest.get_kind_display().lower()} {latest.when}"] if latest else []
    if steps.pending:
        said.append(PENDING[steps.pending])
    return f"{steps.party.code}: {'; '.join(said)}" if said else steps.party.code


def party_steps_table(all_steps: list[PartySteps]) -> str:
    """Each party's steps in a table, each date linked to the timeline event behind it and
    the awaited step marked "pending"."""
    head = format_html_join("", "<th>{}</th>", [("Party",), *((kind.label,) for kind in STEPS)])
    rows = format_html_join(
        "", "<tr><td>{}</td>{}</tr>", ((s.party.name, step_cells(s)) for s in all_steps)
    )
    return format_html('<table class="party-steps"><tr>{}</tr>{}</table>', head, rows)


def step_cells(steps: PartySteps) -> str:
    def cell(kind: EventKind) -> tuple:
        event = getattr(steps, kind)
        if event is None:
            return ("pending" if steps.pending == kind else "—",)
        link = admin_path(event, event.pk)
        body = f", {event.get_body_display()}" if event.body else ""
        return (format_html('<a href="{}">{}</a>{}', link, event.when, body),)

    return format_html_join("", "<td>{}</td>", (cell(kind) for kind in STEPS))


def quote_in_text(citation) -> str:
    """The paragraph (or run of paragraphs) of the source's text holding the citation's quote,
    the quote marked, as compared: normalised (``tracker.quotes``), where its offsets point."""
    if citation.paragraph is None:
        if citation.pk is None:
            return "—"
        return "Unverified: the source is marked as having no archived text."
    found = searchable(citation.text.text)
    start, end = citation.quote_start, citation.quote_end
    first, last = found.paragraph_span(citation.paragraph, found.paragraph_at(end - 1))
    body = found.body
    return format_html(
        '<p class="quote-in-text"><span class="paragraph">¶{}</span> {}<mark>{}</mark>{}</p>'
        '<p class="help">Version {} of the source\'s text, as quotes are compared: typographic '
        "quotes straightened, line breaks and runs of spaces made one space.</p>",
        citation.paragraph,
        body[first:start],
        body[start:end],
        body[end:last],
        citation.text.version,
    )


def archived_text(source) -> str:
    """A source's current archived text and its earlier versions."""
    current = source.current_text
    if current is None:
        if source.no_archived_text:
            return "None: marked as having no archived text; its citations are unverified."
        return "None yet: paste its text or upload a file to cite it."
    versions = format_html_join(
        "",
        "<li>version {}: {}, {} characters, archived {}{}</li>",
        (
            (v.version, v.get_media_type_display(), len(v.text), v.archived_at, file_of(v))
            for v in source.texts.order_by("-version")
        ),
    )
    return format_html(
        '<ul class="text-versions">{}</ul><p>SHA-256 of the current text: <code>{}</code></p>'
        '<details class="archived-text"><summary>The current text</summary><pre>{}</pre>'
        "</details>",
        versions,
        current.sha256,
        current.text,
    )


def file_of(version) -> str:
    return f", from {version.file_name}" if version.file_name else ""

"""The benchmark's yardstick: the API's five read endpoints served with psycopg and orjson only.

No framework, no serializers, no middleware: one pooled connection per request, the SQL the app
needs for the same data (one statement per table, the rows related to a page fetched in one
batch with ``= ANY(%s)``), and the same JSON content as the API, built as plain dicts. Links are
absolute URLs of the API on the request's host (``http://{Host}/api/v1/…``), so both apps asked
with the same Host header answer the same JSON. The app's requests/s are compared with this
one's. Serve it with ``gunicorn bench.raw_app:application`` and ``DATABASE_URL`` set.

Statements per request, and the API endpoint each path stands for:

- ``/deliveries?page_size=100`` — ``/api/v1/deliveries/?page_size=100``: the page, the count,
  the page's citations, its forecast revisions, their citations, its tranches (6);
- ``/delivery-timeline?slug=S`` — ``/api/v1/deliveries/S/timeline/?page_size=100``: the
  delivery, its events, their citations (3);
- ``/timeline?date_from=…&date_to=…&kind=…`` — ``/api/v1/timeline/?…&page_size=100``: the
  events, their citations (2);
- ``/summary`` — ``/api/v1/trade-records/summary/``: the trade records (1);
- ``/changes`` — ``/api/v1/changes/``: one per history table (8).

Precise dates, decimals and times are rendered as the API renders them (``tracker/dates.py``,
``tracker/api/fields.py``, DRF's decimal and time fields), reimplemented here in plain Python.
"""

import base64
import datetime as dt
import functools
import os
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

import orjson
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

PAGE = 100
MAX_PAGE = 500
CHANGES_PAGE = 50
POOL = ConnectionPool(
    os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"),
    min_size=1,
    max_size=int(os.environ.get("RAW_POOL_SIZE", "4")),
    # Times in UTC, as Django's connection gives them.
    kwargs={"row_factory": dict_row, "autocommit": True, "options": "-c TimeZone=UTC"},
    open=False,
)

#: The API's path for each type of record, by the name events and citations use for it.
PATHS = {
    "agreement": "agreements",
    "delivery": "deliveries",
    "trade_record": "trade-records",
    "issue": "issues",
    "source": "sources",
    "event": "events",
    "citation": "citations",
}
EVENT_RECORDS = ("agreement", "delivery", "trade_record", "issue")
REVISION_KINDS = ["postponed", "forecast_revised"]

# --- rendering -----------------------------------------------------------------------------

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_IN = {"year": 12, "quarter": 3, "month": 1}


@functools.lru_cache(maxsize=8192)
def precise(day: dt.date | None, precision: str | None) -> dict | None:
    """A (date, precision) pair as ``PreciseDateField`` shows it: date, precision, display, end."""
    if day is None or precision is None:
        return None
    months = MONTHS_IN.get(precision)
    if months is None:  # day
        return {"date": day, "precision": precision, "display": day.isoformat(), "end": day}
    start = day.replace(month=(day.month - 1) // months * months + 1, day=1)
    index = start.month - 1 + months
    end = dt.date(start.year + index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    display = {
        "year": f"{day.year}",
        "quarter": f"Q{(day.month - 1) // 3 + 1} {day.year}",
        "month": f"{MONTHS[day.month - 1]} {day.year}",
    }[precision]
    return {"date": day, "precision": precision, "display": display, "end": end}


def billions(value: Decimal | None) -> str | None:
    """A sum in billions as the summary shows it: no trailing zeros."""
    return None if value is None else format(value.normalize(), "f")


def decimal_text(value):
    """orjson's fallback: decimals as DRF renders them (the column's scale, never exponents)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(type(value))


def page_size(args: dict, default: int = PAGE) -> int:
    return min(int(args.get("page_size", default)), MAX_PAGE)


# --- citations and events ------------------------------------------------------------------

CITATIONS = """
SELECT c.{owner} AS owner, c.id, c.quote, c.figure, c.locator, c.paragraph, c.quote_start,
       c.quote_end, s.slug, s.title, s.publisher, s.url, s.published_on, s.published_precision
FROM tracker_citation c JOIN tracker_source s ON s.id = c.source_id
WHERE c.{owner} = ANY(%s) ORDER BY c.id
"""
EVENTS = """
SELECT e.id, e.key, e.kind, e.title, e.description, e.date, e.precision, e.date_is_estimate,
       e.end_date, e.is_planned, p.code AS party, e.body, e.old_date, e.old_precision,
       e.new_date, e.new_precision, e.created_at, e.updated_at,
       e.agreement_id, a.slug AS agreement_slug, a.title AS agreement_title,
       e.delivery_id, d.slug AS delivery_slug, d.title AS delivery_title,
       e.trade_record_id, t.slug AS trade_record_slug, t.title AS trade_record_title,
       e.issue_id, i.slug AS issue_slug, i.title AS issue_title
FROM tracker_timelineevent e
LEFT JOIN tracker_agreement a ON a.id = e.agreement_id
LEFT JOIN tracker_delivery d ON d.id = e.delivery_id
LEFT JOIN tracker_traderecord t ON t.id = e.trade_record_id
LEFT JOIN tracker_issue i ON i.id = e.issue_id
LEFT JOIN tracker_party p ON p.id = e.party_id
WHERE {where}
ORDER BY e.date, e.precision, e.id LIMIT %(size)s
"""
DELIVERY_TIMELINE = EVENTS.format(where="d.slug = %(slug)s")
DELIVERY_EXISTS = "SELECT 1 FROM tracker_delivery WHERE slug = %s"
# The date range as EventFilterSet applies it: the period ends on or after date_from (at each
# precision, the period starts on or after the start of date_from's period of that precision;
# precisions whose periods start on the same day share one comparison, and when all do, as on
# the first day of a year, the date alone is compared), and starts by date_to.
TIMELINE = EVENTS.format(
    where="e.date >= %(earliest)s{by_precision} AND e.date <= %(end)s AND e.kind = %(kind)s"
)


def citations_of(db, owner: str, ids: list[int]) -> dict[int, list[dict]]:
    """The citations of these deliveries or events (``owner``), each with its source."""
    found: dict[int, list[dict]] = {}
    if not ids:
        return found
    for row in db.execute(CITATIONS.format(owner=owner), [ids]):
        found.setdefault(row["owner"], []).append(
            {
                "id": row["id"],
                "source": {
                    "slug": row["slug"],
                    "title": row["title"],
                    "publisher": row["publisher"],
                    "address": row["url"],
                    "published": precise(row["published_on"], row["published_precision"]),
                },
                "quote": row["quote"],
                "figure": row["figure"],
                "locator": row["locator"],
                "location": None
                if row["paragraph"] is None
                else {
                    "paragraph": row["paragraph"],
                    "start": row["quote_start"],
                    "end": row["quote_end"],
                },
            }
        )
    return found


def event_data(row: dict, citations: list[dict], api: str) -> dict:
    record = None
    for name in EVENT_RECORDS:
        if row[f"{name}_id"]:
            slug = row[f"{name}_slug"]
            record = {
                "type": name,
                "id": row[f"{name}_id"],
                "slug": slug,
                "title": row[f"{name}_title"],
                "url": f"{api}/{PATHS[name]}/{slug}/",
            }
            break
    return {
        "id": row["id"],
        "url": f"{api}/events/{row['id']}/",
        "key": row["key"],
        "kind": row["kind"],
        "title": row["title"],
        "description": row["description"],
        "date": precise(row["date"], row["precision"]),
        "date_is_estimate": row["date_is_estimate"],
        "end_date": row["end_date"],
        "is_planned": row["is_planned"],
        "party": row["party"],
        "body": row["body"],
        "old_date": precise(row["old_date"], row["old_precision"]),
        "new_date": precise(row["new_date"], row["new_precision"]),
        **{name: row[f"{name}_slug"] for name in EVENT_RECORDS},
        "record": record,
        "citations": citations,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def event_page(db, rows: list[dict], size: int, url: str, query: dict, api: str) -> dict:
    """The first page of a cursor-paged list (``rows`` has one extra row if more follow)."""
    page = rows[:size]
    citations = citations_of(db, "event_id", [row["id"] for row in page])
    return {
        "next": next_cursor_link(rows, size, url, query),
        "previous": None,
        "results": [event_data(row, citations.get(row["id"], []), api) for row in page],
    }


def next_cursor_link(rows: list[dict], size: int, url: str, query: dict) -> str | None:
    """DRF's ``CursorPagination`` link to the second page: after the last date of this page
    that the next page does not share, skipping the rows of this page that share it."""
    if len(rows) <= size:
        return None
    following, offset, position = rows[size]["date"], 0, None
    for row in reversed(rows[:size]):
        if row["date"] != following:
            position = row["date"].isoformat()
            break
        offset += 1
    else:
        offset = size
    tokens = {"o": offset} if offset else {}
    if position is not None:
        tokens["p"] = position
    cursor = base64.b64encode(urlencode(tokens).encode()).decode()
    return f"{url}?{urlencode(sorted({**query, 'cursor': cursor}.items()))}"


def delivery_timeline(db, args: dict, api: str) -> dict | None:
    """Events by the delivery's slug; the delivery is looked up only for an empty page."""
    slug, size = args.get("slug", ""), page_size(args)
    rows = db.execute(DELIVERY_TIMELINE, {"slug": slug, "size": size + 1}).fetchall()
    if not rows and not db.execute(DELIVERY_EXISTS, [slug]).fetchone():
        return None
    url = f"{api}/deliveries/{slug}/timeline/"
    return event_page(db, rows, size, url, {"page_size": size}, api)


def timeline(db, args: dict, api: str) -> dict:
    start, end, kind = args["date_from"], args["date_to"], args["kind"]
    size = page_size(args)
    by_precision, params = date_from_condition(dt.date.fromisoformat(start))
    sql = TIMELINE.format(by_precision=by_precision)
    rows = db.execute(sql, {**params, "end": end, "kind": kind, "size": size + 1}).fetchall()
    query = {"date_from": start, "date_to": end, "kind": kind, "page_size": size}
    return event_page(db, rows, size, f"{api}/timeline/", query, api)


def date_from_condition(day: dt.date) -> tuple[str, dict]:
    """The comparisons per precision after the lower bound ("" when the bound is all), and
    their parameters."""
    starts = {
        "day": day,
        "month": day.replace(day=1),
        "quarter": day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1),
        "year": day.replace(month=1, day=1),
    }
    precisions_from: dict[dt.date, list[str]] = {}
    for precision, first_day in starts.items():
        precisions_from.setdefault(first_day, []).append(precision)
    params = {"earliest": min(precisions_from)}
    if len(precisions_from) == 1:
        return "", params
    alternatives = []
    for number, (first_day, precisions) in enumerate(precisions_from.items()):
        params[f"from{number}"], params[f"precisions{number}"] = first_day, precisions
        alternatives.append(
            f"e.precision = ANY(%(precisions{number})s) AND e.date >= %(from{number})s"
        )
    return f" AND ({' OR '.join(alternatives)})", params


# --- deliveries ----------------------------------------------------------------------------

DELIVERIES = """
SELECT d.id, d.slug, d.title, d.summary, sec.slug AS sector, d.designation, d.kind, d.status,
       a.slug AS agreement, s.code AS supplier, r.code AS recipient, d.ordered_on,
       d.ordered_precision, d.quantity_ordered, d.quantity_delivered, d.quantity_unit,
       d.quantity_is_estimate, d.value, d.value_currency, d.value_unit, d.value_is_estimate,
       d.baseline_date, d.baseline_precision, d.forecast_date, d.forecast_precision,
       d.actual_date, d.actual_precision, d.slippage_months, d.postponed_from_unknown,
       d.created_at, d.updated_at
FROM tracker_delivery d
JOIN tracker_party s ON s.id = d.supplier_id JOIN tracker_party r ON r.id = d.recipient_id
LEFT JOIN tracker_sector sec ON sec.id = d.sector_id
LEFT JOIN tracker_agreement a ON a.id = d.agreement_id
ORDER BY d.title, d.id LIMIT %s
"""
REVISIONS = """
SELECT delivery_id, id, kind, title, date, precision, old_date, old_precision, new_date,
       new_precision
FROM tracker_timelineevent
WHERE kind = ANY(%s) AND delivery_id = ANY(%s) ORDER BY date, precision, id
"""
TRANCHES = """
SELECT delivery_id, sequence, quantity, quantity_is_estimate, planned_date, planned_precision,
       actual_date, actual_precision, note
FROM tracker_tranche WHERE delivery_id = ANY(%s) ORDER BY delivery_id, sequence
"""


def lateness(row: dict, today: dt.date) -> list[str]:
    """The ways a delivery is late, in the API's order (``tracker.choices.Lateness``)."""
    forecast = precise(row["forecast_date"], row["forecast_precision"])
    overdue = (
        forecast is not None
        and forecast["end"] < today
        and row["actual_date"] is None
        and row["status"] in ("contracted", "in_progress")
    )
    slipped = row["slippage_months"] is not None and row["slippage_months"] > 0
    flags = {"slipped": slipped, "postponed": row["postponed_from_unknown"], "overdue": overdue}
    return [way for way, flag in flags.items() if flag]


def deliveries(db, args: dict, api: str) -> dict:
    size = page_size(args)
    today = dt.datetime.now(dt.UTC).date()  # the app's TIME_ZONE is UTC
    rows = db.execute(DELIVERIES, [size]).fetchall()
    count = db.execute("SELECT count(*) AS n FROM tracker_delivery").fetchone()["n"]
    ids = [row["id"] for row in rows]
    citations = citations_of(db, "delivery_id", ids)
    revisions: dict[int, list[dict]] = {}
    revision_rows = db.execute(REVISIONS, [REVISION_KINDS, ids]).fetchall() if ids else []
    revision_citations = citations_of(db, "event_id", [row["id"] for row in revision_rows])
    for row in revision_rows:
        revisions.setdefault(row["delivery_id"], []).append(
            {
                "id": row["id"],
                "url": f"{api}/events/{row['id']}/",
                "kind": row["kind"],
                "title": row["title"],
                "announced": precise(row["date"], row["precision"]),
                "old_date": precise(row["old_date"], row["old_precision"]),
                "new_date": precise(row["new_date"], row["new_precision"]),
                "citations": revision_citations.get(row["id"], []),
            }
        )
    tranches: dict[int, list[dict]] = {}
    for row in db.execute(TRANCHES, [ids]) if ids else []:
        tranches.setdefault(row["delivery_id"], []).append(
            {
                "sequence": row["sequence"],
                "quantity": row["quantity"],
                "quantity_is_estimate": row["quantity_is_estimate"],
                "planned": precise(row["planned_date"], row["planned_precision"]),
                "actual": precise(row["actual_date"], row["actual_precision"]),
                "note": row["note"],
            }
        )
    results = [
        {
            "id": row["id"],
            "url": f"{api}/deliveries/{row['slug']}/",
            "slug": row["slug"],
            "title": row["title"],
            "summary": row["summary"],
            "sector": row["sector"],
            "designation": row["designation"],
            "kind": row["kind"],
            "status": row["status"],
            "agreement": row["agreement"],
            "supplier": row["supplier"],
            "recipient": row["recipient"],
            "ordered": precise(row["ordered_on"], row["ordered_precision"]),
            "quantity_ordered": row["quantity_ordered"],
            "quantity_delivered": row["quantity_delivered"],
            "quantity_unit": row["quantity_unit"],
            "quantity_is_estimate": row["quantity_is_estimate"],
            "value": row["value"],
            "value_currency": row["value_currency"],
            "value_unit": row["value_unit"],
            "value_is_estimate": row["value_is_estimate"],
            "baseline": precise(row["baseline_date"], row["baseline_precision"]),
            "forecast": precise(row["forecast_date"], row["forecast_precision"]),
            "actual": precise(row["actual_date"], row["actual_precision"]),
            "slippage_months": row["slippage_months"],
            "late": lateness(row, today),
            "revisions": revisions.get(row["id"], []),
            "tranches": tranches.get(row["id"], []),
            "citations": citations.get(row["id"], []),
            "timeline": f"{api}/deliveries/{row['slug']}/timeline/",
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]
    more = count > size
    return {
        "count": count,
        "next": f"{api}/deliveries/?page=2&page_size={size}" if more else None,
        "previous": None,
        "results": results,
    }


# --- the trade summary ---------------------------------------------------------------------

BILLION = Decimal(10) ** 9
PLACES = Decimal("0.0001")
IN_BILLIONS = {
    "one": 1 / BILLION,
    "thousand": Decimal(10) ** 3 / BILLION,
    "million": Decimal(10) ** 6 / BILLION,
    "billion": Decimal(1),
}
SUMMARY = """
SELECT t.slug, t.period_type, t.period_start, t.period_end, rep.code AS reporter,
       par.code AS partner, t.currency, t.flow, t.value, t.value_high, t.unit, t.kind,
       t.qualifier, t.counts_toward_totals, t.target_date, t.target_precision
FROM tracker_traderecord t
JOIN tracker_party par ON par.id = t.partner_id
LEFT JOIN tracker_party rep ON rep.id = t.reporter_id  -- none for a total whose source names none
WHERE t.metric = 'value' AND t.commodity = '' AND t.hs_code = '' AND t.unit = ANY(%s)
  AND t.currency <> ''
ORDER BY t.period_start DESC, t.period_end, t.flow, t.id
"""
GROUP_KEY = ("period_type", "period_start", "period_end", "reporter", "partner", "currency")


def summary(db, args: dict, api: str) -> dict:
    """Trade by period and flow in billions, and progress against targets (``trade_summary``).

    Groups are (period, reporter, partner, currency); only the claim of each figure that
    counts toward totals is summed, the others are listed as ``not_counted``.
    """
    groups: dict[tuple, dict] = {}
    targets = []
    for row in db.execute(SUMMARY, [list(IN_BILLIONS)]):
        if row["kind"] == "target":
            targets.append(row)
            continue
        key = tuple(row[name] for name in GROUP_KEY)
        group = groups.get(key) or groups.setdefault(key, {"figures": {}, "in": [], "out": []})
        if row["counts_toward_totals"]:
            group["figures"][row["flow"]] = row["value"] * IN_BILLIONS[row["unit"]]
            group["in"].append(row)
        else:
            group["out"].append(row)
    for group in groups.values():
        figures = group["figures"]
        imports, exports = figures.get("import"), figures.get("export")
        both = imports is not None and exports is not None
        group["total"] = figures.get("total", imports + exports if both else None)
        group["balance"] = exports - imports if both else None

    def claim(row: dict) -> dict:
        names = ("slug", "flow", "value", "value_high", "unit", "currency", "kind", "qualifier")
        return {**{name: row[name] for name in names}, "url": f"{api}/trade-records/{row['slug']}/"}

    def period(key: tuple) -> dict:
        return {"type": key[0], "start": key[1], "end": key[2]}

    def flow_value(key: tuple, flow: str) -> Decimal | None:
        group = groups[key]
        return group["total"] if flow == "total" else group["figures"].get(flow)

    def target(row: dict) -> dict:
        """The target, the latest figure of its flow between its parties, and the share reached."""
        pair = {row["reporter"], row["partner"]}
        latest = max(
            (
                key
                for key in groups
                if {key[3], key[4]} == pair
                and key[5] == row["currency"]
                and flow_value(key, row["flow"]) is not None
            ),
            key=lambda key: (key[2], key[1]),
            default=None,
        )
        value = row["value"] * IN_BILLIONS[row["unit"]]
        reached = flow_value(latest, row["flow"]) if latest else None
        progress = None if reached is None or not value else (reached / value).quantize(PLACES)
        return {
            "claim": claim(row),
            "target_date": precise(row["target_date"], row["target_precision"]),
            "value": billions(value),
            "reached": billions(reached),
            "reached_in": period(latest) if latest else None,
            "progress": billions(progress),
        }

    return {
        "groups": [
            {
                "period": period(key),
                "reporter": key[3],
                "partner": key[4],
                "currency": key[5],
                "unit": "billion",
                "imports": billions(group["figures"].get("import")),
                "exports": billions(group["figures"].get("export")),
                "total": billions(group["total"]),
                "total_is_reported": "total" in group["figures"],
                "balance": billions(group["balance"]),
                "claims": [claim(row) for row in group["in"]],
                "not_counted": [claim(row) for row in group["out"]],
            }
            for key, group in groups.items()
        ],
        "targets": [target(row) for row in targets],
    }


# --- the changes feed ----------------------------------------------------------------------

#: Type → (history table, title column, foreign keys to the record a part belongs to).
CHANGE_TABLES = {
    "agreement": ("tracker_historicalagreement", "title", ()),
    "citation": ("tracker_historicalcitation", "quote", (*EVENT_RECORDS, "event")),
    "delivery": ("tracker_historicaldelivery", "title", ()),
    "event": ("tracker_historicaltimelineevent", "title", EVENT_RECORDS),
    "issue": ("tracker_historicalissue", "title", ()),
    "source": ("tracker_historicalsource", "title", ()),
    "trade_record": ("tracker_historicaltraderecord", "title", ()),
    "tranche": ("tracker_historicaltranche", "note", ("delivery",)),
}
CHANGES = {
    kind: (
        "SELECT history_id, history_date, history_type, id, "
        + ", ".join([f"{title} AS title", *(f"{name}_id" for name in parents)])
        + f" FROM {table} ORDER BY history_date, history_id LIMIT %s"
    )
    for kind, (table, title, parents) in CHANGE_TABLES.items()
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def changes(db, args: dict, api: str) -> dict:
    """The oldest changes: the first ``page_size`` of each history table, merged in order."""
    size = page_size(args, CHANGES_PAGE)
    rows = [
        (row["history_date"], kind, row["history_id"], row)
        for kind, sql in CHANGES.items()
        for row in db.execute(sql, [size])
    ]
    rows.sort(key=lambda change: change[:3])
    results = []
    for at, kind, history_id, row in rows[:size]:
        action = ACTIONS[row["history_type"]]
        record = next(
            (
                {
                    "type": name,
                    "id": row[f"{name}_id"],
                    "url": f"{api}/{PATHS[name]}/{row[f'{name}_id']}/",
                }
                for name in CHANGE_TABLES[kind][2]
                if row[f"{name}_id"]
            ),
            None,
        )
        own_url = kind in PATHS and action != "deleted"
        key = f"{at.isoformat()}|{kind}|{history_id}"
        results.append(
            {
                "type": kind,
                "id": row["id"],
                "action": action,
                "at": at,
                "title": (row["title"] or "")[:200],
                "url": f"{api}/{PATHS[kind]}/{row['id']}/" if own_url else None,
                "record": record,
                "cursor": base64.urlsafe_b64encode(key.encode()).decode().rstrip("="),
            }
        )
    last = results[-1]["cursor"] if results else None
    more = len(results) == size
    return {
        "next": f"{api}/changes/?cursor={last}&page_size={size}" if more else None,
        "cursor": last,
        "results": results,
    }


ROUTES = {
    "/deliveries": deliveries,
    "/delivery-timeline": delivery_timeline,
    "/timeline": timeline,
    "/summary": summary,
    "/changes": changes,
}
NOT_FOUND = b'{"detail":"Not found."}'


def application(environ, start_response):
    if POOL.closed:
        POOL.open()
    handler = ROUTES.get(environ["PATH_INFO"].rstrip("/"))
    data = None
    if handler is not None:
        args = {key: values[-1] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
        host = environ.get("HTTP_HOST") or environ["SERVER_NAME"]
        with POOL.connection() as db:
            data = handler(db, args, f"{environ['wsgi.url_scheme']}://{host}/api/v1")
    if data is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [NOT_FOUND]
    body = orjson.dumps(data, default=decimal_text, option=orjson.OPT_UTC_Z)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]

"""The benchmark's yardstick: the API's five read queries served with psycopg and orjson only.

No framework, no serializers, no middleware: one pooled connection per worker thread, one or
two SQL statements per request, rows rendered as JSON. The app's requests/s are compared with
this one's. Serve it with ``gunicorn bench.raw_app:application`` and ``DATABASE_URL`` set.
"""

import os
from urllib.parse import parse_qs

import orjson
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

PAGE = 100
POOL = ConnectionPool(
    os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"),
    min_size=1,
    max_size=int(os.environ.get("RAW_POOL_SIZE", "4")),
    kwargs={"row_factory": dict_row, "autocommit": True},
    open=False,
)

DELIVERIES = """
SELECT d.slug, d.title, d.kind, d.status, s.code AS supplier, r.code AS recipient,
       d.ordered_on, d.quantity_ordered, d.quantity_delivered, d.quantity_unit,
       d.baseline_date, d.baseline_precision, d.forecast_date, d.forecast_precision,
       d.actual_date, d.actual_precision, d.slippage_months, sec.slug AS sector
FROM tracker_delivery d
JOIN tracker_party s ON s.id = d.supplier_id JOIN tracker_party r ON r.id = d.recipient_id
LEFT JOIN tracker_sector sec ON sec.id = d.sector_id
ORDER BY d.title, d.id LIMIT %s
"""
EVENT_COLUMNS = """e.id, e.kind, e.date, e.precision, e.title, e.description, e.is_planned,
       e.old_date, e.old_precision, e.new_date, e.new_precision, e.party_id, e.body,
       a.slug AS agreement, a.title AS agreement_title, d.slug AS delivery,
       d.title AS delivery_title, i.slug AS issue, i.title AS issue_title"""
EVENT_JOINS = """LEFT JOIN tracker_agreement a ON a.id = e.agreement_id
LEFT JOIN tracker_delivery d ON d.id = e.delivery_id
LEFT JOIN tracker_issue i ON i.id = e.issue_id"""
CITATIONS = """
SELECT c.event_id, c.quote, c.figure, s.slug, s.title, s.publisher, s.url, s.published_on,
       s.published_precision
FROM tracker_citation c JOIN tracker_source s ON s.id = c.source_id
WHERE c.event_id = ANY(%s) ORDER BY c.id
"""
DELIVERY_TIMELINE = f"""
SELECT {EVENT_COLUMNS} FROM tracker_timelineevent e {EVENT_JOINS}
WHERE e.delivery_id = (SELECT id FROM tracker_delivery WHERE slug = %s)
ORDER BY e.date, e.precision, e.id LIMIT %s
"""
TIMELINE = f"""
SELECT {EVENT_COLUMNS} FROM tracker_timelineevent e {EVENT_JOINS}
WHERE e.kind = %s AND e.date >= %s::date - interval '1 year' AND e.date <= %s
  AND (e.date + CASE e.precision WHEN 'year' THEN interval '1 year'
       WHEN 'quarter' THEN interval '3 months' WHEN 'month' THEN interval '1 month'
       ELSE interval '1 day' END - interval '1 day')::date >= %s
ORDER BY e.date, e.precision, e.id LIMIT %s
"""
SUMMARY = """
SELECT t.period_type, t.period_start, t.period_end, rep.code AS reporter, par.code AS partner,
       t.currency, t.flow, t.value, t.unit, t.kind, t.slug
FROM tracker_traderecord t
JOIN tracker_party rep ON rep.id = t.reporter_id JOIN tracker_party par ON par.id = t.partner_id
WHERE t.metric = 'value' AND t.commodity = '' AND t.hs_code = '' AND t.currency <> ''
  AND t.counts_toward_totals
ORDER BY t.period_start DESC, t.period_end, t.flow, t.id
"""
CHANGE_TABLES = {
    "agreement": ("tracker_historicalagreement", "title"),
    "citation": ("tracker_historicalcitation", "quote"),
    "delivery": ("tracker_historicaldelivery", "title"),
    "event": ("tracker_historicaltimelineevent", "title"),
    "issue": ("tracker_historicalissue", "title"),
    "source": ("tracker_historicalsource", "title"),
    "trade_record": ("tracker_historicaltraderecord", "title"),
    "tranche": ("tracker_historicaltranche", "note"),
}
CHANGES = (
    " UNION ALL ".join(
        f"(SELECT '{kind}' AS type, history_id, history_date, history_type, id, {title} AS title "
        f"FROM {table} ORDER BY history_date DESC, history_id DESC LIMIT %(limit)s)"
        for kind, (table, title) in CHANGE_TABLES.items()
    )
    + " ORDER BY history_date DESC, type, history_id DESC LIMIT %(limit)s"
)


def query(sql: str, params) -> list[dict]:
    with POOL.connection() as connection:
        return connection.execute(sql, params).fetchall()


def deliveries(args: dict) -> dict:
    rows = query(DELIVERIES, [int(args.get("page_size", PAGE))])
    count = query("SELECT count(*) AS n FROM tracker_delivery", [])[0]["n"]
    return {"count": count, "results": rows}


def with_citations(events: list[dict]) -> dict:
    """Each event with its citations and their sources, fetched in one more query."""
    by_id = {event["id"]: {**event, "citations": []} for event in events}
    for citation in query(CITATIONS, [list(by_id)]):
        by_id[citation.pop("event_id")]["citations"].append(citation)
    return {"results": list(by_id.values())}


def delivery_timeline(args: dict) -> dict:
    return with_citations(query(DELIVERY_TIMELINE, [args["slug"], PAGE]))


def timeline(args: dict) -> dict:
    start, end = args["date_from"], args["date_to"]
    return with_citations(query(TIMELINE, [args["kind"], start, end, start, PAGE]))


def summary(args: dict) -> dict:
    return {"groups": query(SUMMARY, [])}


def changes(args: dict) -> dict:
    return {"results": query(CHANGES, {"limit": int(args.get("limit", 50))})}


ROUTES = {
    "/deliveries": deliveries,
    "/delivery-timeline": delivery_timeline,
    "/timeline": timeline,
    "/summary": summary,
    "/changes": changes,
}


def application(environ, start_response):
    if POOL.closed:
        POOL.open()
    handler = ROUTES.get(environ["PATH_INFO"].rstrip("/"))
    if handler is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail": "Not found."}']
    args = {key: values[-1] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
    body = orjson.dumps(handler(args), default=str)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]

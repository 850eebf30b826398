"""A page per record: agreement, delivery, trade record, issue and source."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone

from ..admin.charts import forecast_chart
from ..selectors import records
from ..services.citations import cited_passages, source_text
from .access import public_page


def page_context(request, record, record_type: str, **extra) -> dict:
    """What every record's page shows besides the record's own fields: its timeline (not for
    a source), its change history and the site's frame."""
    events = [] if record_type == "source" else records.record_events(record_type, record)
    return {
        **admin.site.each_context(request),
        "title": str(record),
        "record": record,
        "record_type": record_type,
        "events": events,
        "events_cut": len(events) == records.EVENTS_SHOWN,
        "history": records.change_history(record),
        "today": timezone.localdate(),
        **extra,
    }


@public_page
def agreement(request, key: str):
    record = records.agreement_page(key)
    context = page_context(
        request,
        record,
        "agreement",
        steps=record.party_steps(),
        deliveries=records.agreement_deliveries(record),
    )
    return TemplateResponse(request, "tracker/pages/agreement.html", context)


@public_page
def delivery(request, key: str):
    record = records.delivery_page(key)
    revisions = record.revisions
    today = timezone.localdate()
    chart = forecast_chart(record, revisions, today) if revisions else None
    context = page_context(request, record, "delivery", chart=chart)
    return TemplateResponse(request, "tracker/pages/delivery.html", context)


@public_page
def trade_record(request, key: str):
    record = records.trade_record_page(key)
    context = page_context(request, record, "trade_record", others=records.other_claims(record))
    return TemplateResponse(request, "tracker/pages/trade_record.html", context)


@public_page
def issue(request, key: str):
    record = records.issue_page(key)
    context = page_context(request, record, "issue")
    return TemplateResponse(request, "tracker/pages/issue.html", context)


@public_page
def source(request, key: str):
    record = records.source_page(key)
    citations = list(records.source_citations(record))
    text = source_text(record)
    context = page_context(
        request,
        record,
        "source",
        citations=citations,
        paragraphs=cited_passages(text, citations) if text else None,
    )
    return TemplateResponse(request, "tracker/pages/source.html", context)

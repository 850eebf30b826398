"""``/api/v1/trade-records/summary/``: trade by period and flow, and progress to targets."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import PeriodType
from ..figures import number
from ..links import api_view
from ..models import TradeRecord
from ..selectors.trade import CLAIMS, trade_summary
from .fields import PreciseDateSerializer, date_data
from .serializers import Links, decimal_writer, party_field


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
class BillionsField(serializers.Field):
    """A sum in billions, as a decimal string without trailing zeros ("63.84", "-58.96")."""

    def to_representation(self, value: Decimal) -> str:
        return number(value)


class TradeSummaryQuerySerializer(serializers.Serializer):
    reporter = party_field(required=False)
    partner = party_field(required=False)
    period_type = serializers.ChoiceField(choices=PeriodType.choices, required=False)
    period_from = serializers.DateField(
        required=False, source="period_start__gte", help_text="Periods that start on or after."
    )
    period_to = serializers.DateField(
        required=False, source="period_end__lte", help_text="Periods that end on or before."
    )


class ClaimSerializer(serializers.Serializer):
    """A trade record behind a figure: which claim it is and where to read it."""

    slug = serializers.CharField()
    url = serializers.URLField()
    flow = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    value_high = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        help_text="The upper end where the qualifier is 'range' (the value is its lower end).",
    )
    unit = serializers.CharField()
    currency = serializers.CharField()
    kind = serializers.CharField()
    qualifier = serializers.CharField()


class ReleaseLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.URLField()


class PeriodSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=PeriodType.choices)
    start = serializers.DateField()
    end = serializers.DateField()


class SummaryGroupSerializer(serializers.Serializer):
    period = PeriodSerializer()
    reporter = serializers.CharField(
        allow_null=True, help_text="Empty for a total whose source does not say whose it is."
    )
    partner = serializers.CharField()
    currency = serializers.CharField()
    unit = serializers.CharField(help_text="Always 'billion': every figure is converted.")
    imports = BillionsField(allow_null=True)
    exports = BillionsField(allow_null=True)
    total = BillionsField(allow_null=True, help_text="The reported total, else imports + exports.")
    total_is_reported = serializers.BooleanField()
    balance = BillionsField(allow_null=True, help_text="Exports − imports, seen from the reporter.")
    series = serializers.ChoiceField(
        choices=[("claims", "Curated claims"), ("official", "Official statistics")],
        help_text=(
            "Which figures the group shows: curated claims (each cited) or the current figures "
            "of official statistics releases."
        ),
    )
    releases = ReleaseLinkSerializer(
        many=True, help_text="For official figures: the releases they come from."
    )
    claims = ClaimSerializer(many=True, help_text="The claims summed (one per figure).")
    not_counted = ClaimSerializer(
        many=True, help_text="Other claims of the same figures, shown but never summed."
    )


class TargetSerializer(serializers.Serializer):
    claim = ClaimSerializer()
    target_date = PreciseDateSerializer(allow_null=True)
    value = BillionsField()
    reached = BillionsField(allow_null=True, help_text="The latest figure of the same flow.")
    reached_in = PeriodSerializer(allow_null=True)
    progress = BillionsField(allow_null=True, help_text="reached / value (0.687 is 68.7 %).")


class TradeSummarySerializer(serializers.Serializer):
    groups = SummaryGroupSerializer(many=True)
    targets = TargetSerializer(many=True)


def billions(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


claim_value = decimal_writer(TradeRecord, "value")


def _claim(links: Links, record: dict) -> dict:
    return {
        "slug": record["slug"],
        "url": links.url(api_view("trade_record"), record["slug"]),
        "flow": record["flow"],
        "value": claim_value(record["value"]),
        "value_high": claim_value(record["value_high"]),
        "unit": record["unit"],
        "currency": record["currency"],
        "kind": record["kind"],
        "qualifier": record["qualifier"],
    }


def _period(group) -> dict | None:
    if group is None:
        return None
    return {
        "type": group.period_type,
        "start": group.period_start.isoformat(),
        "end": group.period_end.isoformat(),
    }


def summary_data(request, query: dict) -> dict:
    """The summary as ``TradeSummarySerializer`` describes it, built from plain rows."""
    filters = {name: value for name, value in query.items() if value is not None}
    groups, targets = trade_summary(filters)
    links = Links(request)
    return {
        "groups": [
            {
                "period": _period(group),
                "reporter": group.reporter,
                "partner": group.partner,
                "currency": group.currency,
                "unit": "billion",
                "imports": billions(group.imports),
                "exports": billions(group.exports),
                "total": billions(group.total),
                "total_is_reported": group.total_is_reported,
                "balance": billions(group.balance),
                "series": group.series,
                "releases": [
                    {"slug": slug, "url": links.url(api_view("trade_release"), slug)}
                    for slug in group.releases
                ],
                "claims": [_claim(links, record) for record in group.counted]
                if group.series == CLAIMS
                else [],
                "not_counted": [_claim(links, record) for record in group.not_counted],
            }
            for group in groups
        ],
        "targets": [
            {
                "claim": _claim(links, item["target"]),
                "target_date": date_data(
                    item["target"]["target_date"], item["target"]["target_precision"]
                ),
                "value": billions(item["value"]),
                "reached": billions(item["reached"]),
                "reached_in": _period(item["latest"]),
                "progress": billions(item["progress"]),
            }
            for item in targets
        ],
    }

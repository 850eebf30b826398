"""``/api/v1/trade-releases/`` and ``/api/v1/trade-observations/``: official trade statistics
as published, release by release (see ``tracker/models/releases.py``)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..choices import TradeFlow
from ..links import api_view
from ..models import TradeObservation, TradeRelease
from ..services.trade_releases import withdraw_release
from .feeds import StreamedCSVView
from .filtersets import FilterBackend
from .parameters import KnownParametersMixin

#: What an observation reads as, in the list and in the CSV export alike.
OBSERVATION_COLUMNS = {
    "release": "release__slug",
    "line": "line",
    "period": "period_id",
    "period_type": "period__period_type",
    "period_start": "period__period_start",
    "period_end": "period__period_end",
    "reporter": "reporter",
    "partner": "partner",
    "flow": "flow",
    "hs_code": "hs_code",
    "value": "value",
    "currency": "currency",
    "quantity": "quantity",
    "unit": "unit",
    "flag": "flag",
}


class TradeReleaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name=api_view("trade_release"), lookup_field="slug", lookup_url_kwarg="key"
    )
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    revises = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = TradeRelease
        fields = [
            "url",
            "slug",
            "publisher",
            "dataset",
            "released_on",
            "coverage_start",
            "coverage_end",
            "file_name",
            "sha256",
            "row_count",
            "source",
            "revises",
            "withdrawn_at",
            "withdrawal_reason",
            "created_at",
        ]


class WithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the release is withdrawn.")


class CanChangeReleases(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("tracker.change_traderelease")


@extend_schema_view(
    list=extend_schema(summary="Official trade statistics releases, newest first"),
    retrieve=extend_schema(summary="One release"),
)
class TradeReleaseViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    queryset = TradeRelease.objects.select_related("source", "revises")
    serializer_class = TradeReleaseSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "key"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = []

    @extend_schema(
        summary="Withdraw a release: its figures stop being current",
        request=WithdrawalSerializer,
        responses=TradeReleaseSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChangeReleases])
    def withdraw(self, request, key=None):
        release = self.get_object()
        body = WithdrawalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if release.is_withdrawn:
            raise serializers.ValidationError({"reason": ["The release is withdrawn already."]})
        withdraw_release(release, body.validated_data["reason"])
        return Response(self.get_serializer(release).data)


class ObservationFilterSet(django_filters.FilterSet):
    release = django_filters.CharFilter(field_name="release__slug", help_text="A release's slug.")
    period = django_filters.CharFilter(
        field_name="period_id", help_text="A period as published: 2024, 2024-03, FY2024-25."
    )
    period_from = django_filters.DateFilter(
        field_name="period__period_start", lookup_expr="gte", help_text="Periods from this day."
    )
    period_to = django_filters.DateFilter(
        field_name="period__period_end", lookup_expr="lte", help_text="Periods up to this day."
    )
    flow = django_filters.ChoiceFilter(choices=TradeFlow.choices)
    hs_code = django_filters.CharFilter(
        lookup_expr="startswith", help_text="An HS code or its first digits (27: chapter 27)."
    )
    all_goods = django_filters.BooleanFilter(
        method="filter_all_goods",
        help_text="true: only the figures for all goods; false: only those of an HS code.",
    )
    reporter = django_filters.CharFilter(help_text="Party code, e.g. IND.")
    partner = django_filters.CharFilter(help_text="Party code, e.g. RUS.")
    current = django_filters.BooleanFilter(
        field_name="release__withdrawn_at",
        lookup_expr="isnull",
        help_text="true: only releases not withdrawn.",
    )

    class Meta:
        model = TradeObservation
        fields = []

    def filter_all_goods(self, queryset, name, value):
        return queryset.filter(hs_code="") if value else queryset.exclude(hs_code="")


class ObservationSerializer(serializers.Serializer):
    release = serializers.CharField()
    line = serializers.IntegerField()
    period = serializers.CharField()
    period_type = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    reporter = serializers.CharField()
    partner = serializers.CharField()
    flow = serializers.CharField()
    hs_code = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    currency = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    unit = serializers.CharField()
    flag = serializers.CharField()


def in_file_order(queryset):
    """Observations release by release, each in the order of its file."""
    return queryset.order_by("release_id", "line")


class ObservationViewSet(KnownParametersMixin, viewsets.GenericViewSet):
    queryset = TradeObservation.objects.all()
    serializer_class = ObservationSerializer
    filter_backends = [FilterBackend]
    filterset_class = ObservationFilterSet

    @extend_schema(summary="Observations of official releases, filtered, a page at a time")
    def list(self, request):
        rows = in_file_order(self.filter_queryset(self.queryset))
        page = self.paginate_queryset(rows.values(*OBSERVATION_COLUMNS.values()))
        named = [
            {name: row[column] for name, column in OBSERVATION_COLUMNS.items()} for row in page
        ]
        return self.get_paginated_response(self.get_serializer(named, many=True).data)


class ObservationExportView(StreamedCSVView):
    """Every observation the filters select, release by release in file order."""

    queryset = TradeObservation.objects.all()
    filterset_class = ObservationFilterSet
    columns = OBSERVATION_COLUMNS
    file_name = "trade-observations.csv"

    def ordered(self, queryset):
        return in_file_order(queryset)

    @extend_schema(
        summary="Observations of official releases as CSV, streamed",
        filters=True,
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        return super().get(request)

"""Serializer fields shared by the API's representations."""

import datetime as dt
import functools

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import Lateness
from ..dates import PreciseDate, Precision
from ..models.deliveries import LATENESS_COLUMNS, ways_late

#: Dates outside these bounds are refused: the end of a year-precision date must exist.
EARLIEST = dt.date(1000, 1, 1)
LATEST = dt.date(9998, 12, 31)


class KnownFieldsMixin:
    """Refuses a key that is none of the serializer's fields (400 naming it).

    Were it ignored, a misspelt field (``{"statuss": "delivered"}``) would answer 200 with
    nothing changed. Read-only fields are fields too, so what a read returns can be written
    back as it is.
    """

    def to_internal_value(self, data):
        errors = self.unknown_field_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **errors}) from exc
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def unknown_field_errors(self, data) -> dict[str, list[str]]:
        unknown = sorted(data.keys() - self.fields.keys()) if isinstance(data, dict) else []
        if not unknown:
            return {}
        writable = ", ".join(name for name, field in self.fields.items() if not field.read_only)
        return {name: [f"Unknown field. Writable fields: {writable}."] for name in unknown}


class PreciseDateSerializer(KnownFieldsMixin, serializers.Serializer):
    """A date at the precision its source gave.

    ``date`` is the first day of the period (e.g. ``2026-01-01`` for "2026"), ``end`` its last
    day (``2026-12-31``), ``display`` the date as the sources say it ("2026", "Q3 2025",
    "Nov 2024", "2025-12-04"). When writing, send ``date`` and ``precision``; a date inside the
    period is moved to its first day.
    """

    date = serializers.DateField(
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]
    )
    precision = serializers.ChoiceField(choices=Precision.choices)
    display = serializers.CharField(read_only=True)
    end = serializers.DateField(read_only=True)


@extend_schema_field(PreciseDateSerializer)
class PreciseDateField(serializers.Field):
    """A (date, precision) pair of model fields, read and written as one object (or null)."""

    def __init__(self, date_field: str, precision_field: str, **kwargs):
        self.date_field = date_field
        self.precision_field = precision_field
        kwargs.setdefault("allow_null", not kwargs.get("required", False))
        super().__init__(source="*", **kwargs)

    @property
    def model_fields(self) -> tuple[str, str]:
        return self.date_field, self.precision_field

    def validate_empty_values(self, data):
        # A null clears both model fields (the default would give None, which "*" cannot set).
        if data is None and self.allow_null:
            return True, dict.fromkeys(self.model_fields)
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                'Expected an object such as {"date": "2026-01-01", "precision": "year"}.'
            )
        inner = PreciseDateSerializer(data=data)
        inner.is_valid(raise_exception=True)
        return {
            self.date_field: inner.validated_data["date"],
            self.precision_field: inner.validated_data["precision"],
        }

    def to_representation(self, instance):
        value = PreciseDate.of(
            getattr(instance, self.date_field), getattr(instance, self.precision_field)
        )
        return precise_date_data(value)


def precise_date_data(value: PreciseDate | None) -> dict | None:
    return None if value is None else date_data(value.date, value.precision)


def date_data(day: dt.date | None, precision: str | None) -> dict | None:
    """A date's representation (or None when it is unknown).

    A page repeats few distinct dates, so each is worked out once and copied after that.
    """
    if day is None or precision is None:
        return None
    return dict(_date_data(day, precision))


@functools.lru_cache(maxsize=4096)
def _date_data(day: dt.date, precision: str) -> dict:
    value = PreciseDate(day, precision)
    return {
        "date": day.isoformat(),
        "precision": precision,
        "display": value.display,
        "end": value.end.isoformat(),
    }


class LatenessField(serializers.ListField):
    """How a delivery is known to be late today, none or several of ``Lateness``: the ways the
    ``late=`` filter picks. ``derive(today, *columns)`` works it out from the stored columns
    ``LATENESS_COLUMNS`` (``ways_late``), of an instance here and of a row in the read plans."""

    columns = LATENESS_COLUMNS
    derive = staticmethod(ways_late)

    def __init__(self, **kwargs):
        child = serializers.ChoiceField(choices=Lateness.choices)
        super().__init__(child=child, source="*", read_only=True, **kwargs)

    def to_representation(self, delivery):
        values = (getattr(delivery, column) for column in self.columns)
        return self.derive(timezone.localdate(), *values)

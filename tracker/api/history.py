"""The past of the tracker in the API: a record's change history, and ``?as_of=``.

- ``<type>/<key>/history/`` lists a record's changes, newest first, paged: who, when, why, and
  each changed field's old and new value (``tracker.selectors.history``). A deleted record's
  history is found by its id.
- ``?as_of=<time>`` on a detail, a list or a timeline answers with the ordinary representation
  read inside ``tracker.selectors.as_of``; only the reading of the parameter and the opening of
  that view of the past live here. The handler alone runs in the past: authentication and
  throttling have run before, on the present tables, so a throttle's count is kept.
"""

import functools

from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from ..selectors.as_of import as_of
from ..selectors.history import entries, history_of
from .conditional import conditional
from .filtersets import EARLIEST, LATEST
from .pagination import PageNumberPagination
from .parameters import validated_query
from .renderers import JSONRenderer

AS_OF = "as_of"
AS_OF_PARAMETER = OpenApiParameter(
    AS_OF,
    OpenApiTypes.DATETIME,
    description="ISO 8601 time (e.g. 2025-06-01T00:00:00Z): the answer as the tracker knew it "
    "then, rebuilt from the change history. A record deleted since is there if it existed then.",
)


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(
        required=False, validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]
    )


class AsOfMixin:
    """Reads of ``as_of_actions`` take ``?as_of=`` (a 400 naming it when it is no time)."""

    as_of_actions = frozenset({"list", "retrieve", "timeline"})

    def reads_as_of(self) -> bool:
        """Whether this request's action takes ``as_of`` (a view without actions is a list)."""
        return getattr(self, "action", "list") in self.as_of_actions

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if AS_OF not in request.query_params:
            return
        query = validated_query(AsOfQuerySerializer(data={AS_OF: request.query_params[AS_OF]}))
        method = request.method.lower()
        setattr(self, method, in_the_past(query[AS_OF], getattr(self, method)))


def in_the_past(moment, handler):
    """``handler`` made to read the tracker as it stood at ``moment``."""

    @functools.wraps(handler)
    def handle(*args, **kwargs):
        with as_of(moment):
            return handler(*args, **kwargs)

    return handle


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The stored field (a foreign key's id: sector_id).")
    old = serializers.JSONField(allow_null=True, help_text="Null for a creation.")
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One change to a record: when, by whom, why, and what changed."""

    at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    user = serializers.CharField(allow_null=True, help_text="Null when a script made it.")
    reason = serializers.CharField(
        allow_blank=True, help_text="Why, when it was given (a schedule recomputed …)."
    )
    changes = FieldChangeSerializer(many=True)


class HistoryMixin:
    """``<key>/history/``: the record's change history, newest first, paged by number."""

    @extend_schema(
        summary="The record's change history",
        description="Who changed the record, when and why, with each stored field's old and "
        "new value, newest first. A deleted record's history is found by its numeric id.",
        responses=HistoryEntrySerializer(many=True),
    )
    @action(
        detail=True,
        serializer_class=HistoryEntrySerializer,
        pagination_class=PageNumberPagination,
        filter_backends=[],
        renderer_classes=[JSONRenderer],
    )
    def history(self, request, *args, **kwargs):
        model = self.get_queryset().model
        history = history_of(model, self.history_key(model))
        rows = self.paginate_queryset(history)
        data = HistoryEntrySerializer(entries(rows, history), many=True).data
        return conditional(request, self.get_paginated_response(data))

    def history_key(self, model) -> int:
        """The id of the record the URL names, or of a deleted one named by its id."""
        try:
            return self.get_object(model.objects.only("pk")).pk
        except Http404:
            pk = self.key_lookup().get("pk")
            if pk is None or not history_of(model, pk).exists():
                raise
            return pk

"""Provenance: where every record, event and figure comes from."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from ..db import precise_date_checks
from .base import (
    PreciseDatesMixin,
    TimeStampedModel,
    exactly_one_or_none,
    precision_field,
    search_index,
)
from .history import HistoricalRecords
from .slugs import keeps_former_slugs

#: A citation's quote is short: about 40 words, copied verbatim from the source.
QUOTE_MAX_WORDS = 45
QUOTE_MAX_CHARS = 400
CITATION_TARGETS = ["agreement", "delivery", "trade_record", "issue", "event"]


class Source(TimeStampedModel, PreciseDatesMixin):
    """A publication: an article, a report, an official statement."""

    PRECISE_DATES = (("published_on", "published_precision"),)

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True, help_text="Leave empty when unknown.")
    published_precision = precision_field("publication date precision")
    url = models.URLField(max_length=500, blank=True)
    archive_name = models.CharField(
        max_length=200, blank=True, help_text="File name of the archived text of this source."
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["title"]
        # The default order of its lists: a page is read from the index, not sorted.
        indexes = [
            models.Index(fields=["title", "id"], name="source_title_idx"),
            search_index("source_search_idx", "title"),
        ]
        triggers = [keeps_former_slugs("source")]
        constraints = [*precise_date_checks("published_on", "published_precision", "source")]

    def __str__(self) -> str:
        return self.title


def cited(model: str) -> models.ForeignKey:
    """A citation's link to what it supports; indexed where set (see ``Citation.Meta``)."""
    return models.ForeignKey(
        model,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        db_index=False,
    )


class Citation(TimeStampedModel):
    """Ties one record, event or figure to a source with a short verbatim quote."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(help_text=f"Verbatim, at most about {QUOTE_MAX_WORDS - 5} words.")
    figure = models.CharField(
        max_length=60,
        blank=True,
        help_text="The field of the record this quote supports (e.g. value, quantity_ordered); "
        "empty when it supports the record as a whole.",
    )
    locator = models.CharField(max_length=100, blank=True, help_text="Page or section, if any.")
    agreement = cited("tracker.Agreement")
    delivery = cited("tracker.Delivery")
    trade_record = cited("tracker.TradeRecord")
    issue = cited("tracker.Issue")
    event = cited("tracker.TimelineEvent")
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["id"]
        # A citation sets one of its targets, so a full index on each would be mostly nulls.
        indexes = [
            models.Index(
                fields=[name],
                condition=Q(**{f"{name}__isnull": False}),
                name=f"citation_{name}_idx",
            )
            for name in CITATION_TARGETS
        ] + [search_index("citation_quote_search_idx", "quote")]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_or_none(CITATION_TARGETS, allow_none=False),
                name="citation_cites_exactly_one_thing",
                violation_error_message="A citation supports exactly one record or event.",
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="citation_quote_not_empty",
                violation_error_message="A citation needs a quote.",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length(F("quote")), QUOTE_MAX_CHARS)),
                name="citation_quote_short",
                violation_error_message=f"A quote has at most {QUOTE_MAX_CHARS} characters.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: “{self.quote[:60]}”"

    @property
    def target(self):
        return next(
            (getattr(self, name) for name in CITATION_TARGETS if getattr(self, f"{name}_id")), None
        )

    def clean(self):
        super().clean()
        errors = {}
        words = len(re.findall(r"\S+", self.quote or ""))
        if not (self.quote or "").strip():
            errors["quote"] = "A citation needs a short verbatim quote from the source."
        elif words > QUOTE_MAX_WORDS or len(self.quote) > QUOTE_MAX_CHARS:
            errors["quote"] = (
                f"Quote the few words that support the claim: at most about {QUOTE_MAX_WORDS - 5} "
                f"words ({words} given)."
            )
        # None set is left to the database constraint: an admin inline validates its rows
        # before the parent they belong to has been saved.
        if sum(getattr(self, f"{name}_id") is not None for name in CITATION_TARGETS) > 1:
            errors["__all__"] = "A citation supports exactly one record or event."
        if errors:
            raise ValidationError(errors)

"""Provenance: where every record, event and figure comes from."""

import hashlib
import re

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from .. import quotes
from ..db import precise_date_checks
from .base import (
    CleanTextModel,
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
#: The formats an archived text may be extracted from.
MEDIA_TYPES = [
    ("text/plain", "plain text"),
    ("text/html", "HTML"),
    ("application/pdf", "PDF"),
]
NO_TEXT_BUT_ARCHIVED = "A source marked as having no archived text cannot have one."
LOCATION_FIELDS = ["text", "quote_start", "quote_end", "paragraph"]


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
        max_length=200,
        blank=True,
        help_text="File name of the archived text this source ships with, if any.",
    )
    current_text = models.ForeignKey(
        "tracker.SourceText",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The version of the archived text that quotes are checked against.",
    )
    no_archived_text = models.BooleanField(
        "no archived text",
        default=False,
        help_text="The text cannot be archived (e.g. a printed book): its citations are "
        "accepted, and listed as unverified.",
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
        constraints = [
            *precise_date_checks("published_on", "published_precision", "source"),
            models.CheckConstraint(
                condition=Q(no_archived_text=False) | Q(current_text__isnull=True),
                name="source_text_or_none",
                violation_error_message=NO_TEXT_BUT_ARCHIVED,
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SourceText(CleanTextModel):
    """One version of a source's archived text, as extracted from what the editor gave.

    A version is never edited: a corrected text is a new version, which becomes the source's
    current text once every citation of the source is found in it. The database refuses an
    update of a version (trigger ``archived_text_unchanged``).
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="texts")
    version = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    media_type = models.CharField(
        max_length=40, choices=MEDIA_TYPES, help_text="The format the text was extracted from."
    )
    file_name = models.CharField(max_length=200, blank=True)
    archived_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["source", "version"]
        constraints = [
            models.UniqueConstraint(fields=["source", "version"], name="source_text_version"),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="source_text_not_empty",
                violation_error_message="An archived text cannot be empty.",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="source_text_sha256",
                violation_error_message="The SHA-256 is 64 lowercase hexadecimal digits.",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="archived_text_unchanged", operation=pgtrigger.Update),
        ]

    def __str__(self) -> str:
        return f"{self.source} (text version {self.version})"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(self.text.encode()).hexdigest()
        super().save(*args, **kwargs)


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
    # Where the quote was found: unset only for a source marked as having no archived text.
    text = models.ForeignKey(
        SourceText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="citations",
        help_text="The version of the source's text the quote was found in.",
    )
    quote_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    quote_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    paragraph = models.PositiveIntegerField(null=True, blank=True, editable=False)
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
            models.CheckConstraint(
                condition=Q(**{f"{name}__isnull": True for name in LOCATION_FIELDS})
                | Q(**{f"{name}__isnull": False for name in LOCATION_FIELDS})
                & Q(quote_start__lt=F("quote_end")),
                name="citation_location_whole",
                violation_error_message="A citation's location is a text, a start before an "
                "end, and a paragraph, or none of them.",
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
        if self.source_id is not None:
            self.verify_quote()

    def save(self, *args, **kwargs):
        """Every save is verified, whoever saves: a quote checked by ``clean()`` just before
        is not looked up again."""
        if self.verified_for != (self.source_id, self.quote):
            self.verify_quote()
        super().save(*args, **kwargs)

    verified_for: tuple = (None, None)

    def verify_quote(self) -> None:
        """The rule: the quote occurs in the current archived text of its source (both
        normalised, ``tracker.quotes``), or the source is marked as having no archived text.
        Stores where the quote sits; refuses, naming ``quote`` and showing the closest passage
        of the text, when it is not there."""
        source = Source.objects.select_related("current_text").get(pk=self.source_id)
        archived = source.current_text
        if archived is None:
            if not source.no_archived_text:
                raise ValidationError({"source": no_text_message(source)})
            self.text, self.quote_start, self.quote_end, self.paragraph = None, None, None, None
        else:
            location = quotes.locate(self.quote, archived.text)
            if location is None:
                raise ValidationError({"quote": not_found_message(self.quote, archived)})
            self.text = archived
            self.quote_start, self.quote_end = location.start, location.end
            self.paragraph = location.paragraph
        self.verified_for = (self.source_id, self.quote)


def no_text_message(source: Source) -> str:
    return (
        f"“{source}” has no archived text to check the quote against: add its text, or mark "
        "it as having none (e.g. a printed book) to cite it unverified."
    )


def not_found_message(quote: str, archived: SourceText) -> str:
    closest = quotes.closest_passage(quote, archived.text)
    return (
        f"The quote is not in the archived text of “{archived.source}” (version "
        f"{archived.version}); copy it verbatim. The closest passage: “{closest}”"
    )

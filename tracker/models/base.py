"""Building blocks shared by every record type."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ..dates import PreciseDate, Precision, period_start
from ..text import CONTROL_CHARACTER_MESSAGE, has_control_characters

#: The text search configuration of the pages' search (``tracker.selectors.search``).
SEARCH_CONFIG = "english"


def search_index(name: str, *fields: str) -> GinIndex:
    """A GIN index on the full text of ``fields``, as ``tracker.selectors.search`` searches it
    (the same expression, or PostgreSQL reads every row)."""
    return GinIndex(SearchVector(*fields, config=SEARCH_CONFIG), name=name)


def precision_field(verbose_name: str, **kwargs) -> models.CharField:
    return models.CharField(
        verbose_name, max_length=7, choices=Precision.choices, null=True, blank=True, **kwargs
    )


def exactly_one_or_none(fields: list[str], allow_none: bool) -> Q:
    """A condition that at most one (or exactly one) of ``fields`` is set."""
    options = [Q(**{f"{f}__isnull": f != chosen for f in fields}) for chosen in fields]
    if allow_none:
        options.append(Q(**{f"{f}__isnull": True for f in fields}))
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return condition


class SavesChangesOnly(models.Model):
    """A save that would change no stored value writes nothing.

    Neither ``updated_at`` (and with it the ETag) nor the change history moves, and the
    changes feed lists nothing, when an editor saves a record unchanged in the admin or sends
    it back unchanged to the API. The values a row was read with (``from_db``, as Django's
    documentation shows) are what the save is compared with; a row not read whole, or never
    read, is saved as before.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.changes_nothing(kwargs.get("update_fields")):
            return
        super().save(*args, **kwargs)
        if not self.get_deferred_fields():
            self.stored_values = self.current_values()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.stored_values = dict(zip(field_names, values, strict=True))
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Read again, the values read are the stored ones from now on (also when Django
        loads a deferred field)."""
        super().refresh_from_db(using, fields, from_queryset)
        deferred = self.get_deferred_fields()
        stored = getattr(self, "stored_values", {})
        for field in self._meta.concrete_fields:
            if field.attname not in deferred and (
                fields is None or {field.name, field.attname} & set(fields)
            ):
                stored[field.attname] = getattr(self, field.attname)
        self.stored_values = stored

    def current_values(self) -> dict:
        return {field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields}

    def changes_nothing(self, update_fields) -> bool:
        """Whether saving (``update_fields`` only, if given) would store what is stored."""
        stored = getattr(self, "stored_values", None)
        fields = self._meta.concrete_fields
        if stored is None or stored.keys() != {field.attname for field in fields}:
            return False
        compared = [
            field
            for field in fields
            if not is_bookkeeping(field)
            and (update_fields is None or {field.name, field.attname} & set(update_fields))
        ]
        return all(stored[field.attname] == getattr(self, field.attname) for field in compared)


def is_bookkeeping(field) -> bool:
    """A column a save sets by itself (``auto_now``): it changing does not make a change."""
    return getattr(field, "auto_now", False)


class CleanTextModel(SavesChangesOnly):
    """Refuses control characters (``tracker.text``) in every text field of the model.

    Checked in ``clean_fields()``, which the admin's forms, the API's serializers and the
    loaders all run through ``full_clean()``; fields a form leaves out are not checked.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in (exclude or ()) or field.name in errors:
                continue
            if has_control_characters(field.value_from_object(self)):
                errors[field.name] = [
                    ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_characters")
                ]
        if errors:
            raise ValidationError(errors)


class TimeStampedModel(CleanTextModel):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class PreciseDatesMixin(CleanTextModel):
    """Validates and normalises the (date, precision) pairs a model lists in ``PRECISE_DATES``.

    A date stored at month precision is the first of that month, and so on: the day is never
    one that a source did not give.
    """

    PRECISE_DATES: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def precise(self, date_field: str) -> PreciseDate | None:
        precision_field_name = dict(self.PRECISE_DATES)[date_field]
        return PreciseDate.of(getattr(self, date_field), getattr(self, precision_field_name))

    def clean(self):
        super().clean()
        errors = {}
        for date_field, precision_name in self.PRECISE_DATES:
            day, precision = getattr(self, date_field), getattr(self, precision_name)
            if day is not None and not precision:
                errors[precision_name] = (
                    "Give the precision of this date (day, month, quarter or year)."
                )
            elif day is None and precision:
                errors[date_field] = "A precision was given without a date."
            elif day is not None:
                setattr(self, date_field, period_start(day, precision))
        if errors:
            raise ValidationError(errors)


class Record(TimeStampedModel, PreciseDatesMixin):
    """What agreements, deliveries, trade records and issues have in common."""

    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable identifier used in URLs."
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    sector = models.ForeignKey(
        "tracker.Sector", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class NamedRecord(Record):
    """A record that sources name in several ways: agreements, deliveries and issues.

    Its title, short name or designation, and the other names editors list in ``aliases``
    ("Triumf", "Reciprocal Exchange of Logistics Support"), are what a source's sentence is
    matched against (``tracker.proposals.matching``).
    """

    aliases = ArrayField(
        models.CharField(max_length=120),
        blank=True,
        default=list,
        db_default=[],
        help_text="Other names sources use for it, separated by commas.",
    )

    class Meta:
        abstract = True

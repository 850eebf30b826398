"""Import and export of every record type as CSV or JSON (django-import-export).

Rows refer to each other by their stable keys (slugs, party codes) rather than database ids, so
a file exported from one database imports into another. Every row goes through the model's
``full_clean()`` and is saved one at a time (never in bulk) so that the change history records
imports like any other change. A file with any bad row imports nothing.
"""

from django.db import IntegrityError, transaction
from django.db.models import CharField
from import_export import exceptions, resources, widgets

from . import imports, models
from .integrity import rule_error
from .models.deliveries import one_write_per_delivery

#: How foreign keys are written in files: by slug, by party code, or by id for rows without one.
BY_SLUG = {"field": "slug"}
BY_CODE = {"field": "code"}
RECORD_KEYS = {
    "agreement": BY_SLUG,
    "delivery": BY_SLUG,
    "trade_record": BY_SLUG,
    "issue": BY_SLUG,
}
TIMESTAMPS = ("created_at", "updated_at")


class NullableCharWidget(widgets.CharWidget):
    """An empty cell of a nullable text column (a date's precision) means NULL, not ""."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None


class TrackerResource(resources.ModelResource):
    """Shared options: validate through the model, one save per row, all-or-nothing."""

    class Meta:
        clean_model_instances = True
        use_bulk = False
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """Fields that editors cannot edit (a delivery's derived schedule) are export-only."""
        field = super().field_from_django_field(
            field_name, django_field, readonly or not django_field.editable
        )
        if isinstance(django_field, CharField) and django_field.null:
            field.widget = NullableCharWidget()
        return field

    def import_data(self, dataset, **kwargs):
        # A file with an invalid row is refused as a whole, whoever imports it.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def import_data_inner(self, *args, **kwargs):
        """The rows of a file are one unit of work: a delivery whose tranches or events it
        changes is written once, with its final schedule (``one_write_per_delivery``)."""
        with one_write_per_delivery():
            return super().import_data_inner(*args, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Save the row; what the database refuses (a rule across rows, a race) is the row's
        validation error with the rule's message (``tracker.integrity``), not its text."""
        try:
            with transaction.atomic():
                super().save_instance(instance, is_create, row, **kwargs)
        except IntegrityError as error:
            raise rule_error(error, type(instance)) from None

    def before_import(self, dataset, **kwargs):
        """Refuse a file of too many rows (``tracker.imports``), and a column that is none of
        the resource's: ignored, a misspelt one ("statuss") would leave each row as it was,
        and the preview would call every row unchanged. Then bound the time of each of the
        import's statements."""
        imports.check_rows(dataset)
        columns = [field.column_name for field in self.fields.values()]
        unknown = [name for name in dataset.headers or [] if name not in columns]
        if unknown:
            raise exceptions.FieldError(
                f"Unknown column: {', '.join(unknown)}. The columns are: {', '.join(columns)}."
            )
        imports.limit_statement_time()
        super().before_import(dataset, **kwargs)


class PartyResource(TrackerResource):
    class Meta:
        model = models.Party
        import_id_fields = ("code",)
        exclude = ("id",)


class SectorResource(TrackerResource):
    class Meta:
        model = models.Sector
        import_id_fields = ("slug",)
        exclude = ("id",)


class SourceResource(TrackerResource):
    class Meta:
        model = models.Source
        import_id_fields = ("slug",)
        exclude = ("id", *TIMESTAMPS)


class AgreementResource(TrackerResource):
    class Meta:
        model = models.Agreement
        import_id_fields = ("slug",)
        exclude = ("id", "parties", *TIMESTAMPS)
        widgets = {"sector": BY_SLUG}


class AgreementPartyResource(TrackerResource):
    class Meta:
        model = models.AgreementParty
        import_id_fields = ("agreement", "party")
        exclude = ("id",)
        widgets = {"agreement": BY_SLUG, "party": BY_CODE}


class AgreementRelationResource(TrackerResource):
    class Meta:
        model = models.AgreementRelation
        import_id_fields = ("from_agreement", "to_agreement", "kind")
        exclude = ("id",)
        widgets = {"from_agreement": BY_SLUG, "to_agreement": BY_SLUG}


class DeliveryResource(TrackerResource):
    """The derived schedule (baseline, forecast, actual, slippage) is exported, not imported."""

    class Meta:
        model = models.Delivery
        import_id_fields = ("slug",)
        exclude = ("id", *TIMESTAMPS)
        widgets = {
            "sector": BY_SLUG,
            "agreement": BY_SLUG,
            "supplier": BY_CODE,
            "recipient": BY_CODE,
        }


class TrancheResource(TrackerResource):
    class Meta:
        model = models.Tranche
        import_id_fields = ("delivery", "sequence")
        exclude = ("id", *TIMESTAMPS)
        widgets = {"delivery": BY_SLUG}


class TradeRecordResource(TrackerResource):
    class Meta:
        model = models.TradeRecord
        import_id_fields = ("slug",)
        exclude = ("id", *TIMESTAMPS)
        widgets = {"sector": BY_SLUG, "reporter": BY_CODE, "partner": BY_CODE}


class IssueResource(TrackerResource):
    class Meta:
        model = models.Issue
        import_id_fields = ("slug",)
        exclude = ("id", *TIMESTAMPS)
        widgets = {"sector": BY_SLUG}


class TimelineEventResource(TrackerResource):
    """Events have no natural key: rows with an ``id`` update that event, rows without add one.

    Events that tranches write are exported (``tranche`` is read-only) but come back through
    the tranches, not through this file.
    """

    class Meta:
        model = models.TimelineEvent
        exclude = TIMESTAMPS
        widgets = {**RECORD_KEYS, "party": BY_CODE}


class CitationResource(TrackerResource):
    class Meta:
        model = models.Citation
        exclude = TIMESTAMPS
        widgets = {**RECORD_KEYS, "source": BY_SLUG}

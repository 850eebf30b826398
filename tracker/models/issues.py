"""Issues: irritants and concerns in the relationship that are being watched."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ..choices import IssueCategory, IssueStatus, Severity
from ..dates import PreciseDate
from ..db import choices_check, not_before, precise_date_checks
from .base import NamedRecord, precision_field, search_index
from .history import HistoricalRecords
from .slugs import keeps_former_slugs

#: Issues worth a look: escalating at any severity, or active at high or critical severity.
TO_WATCH = Q(status=IssueStatus.ESCALATING) | Q(
    status=IssueStatus.ACTIVE, severity__in=[Severity.HIGH, Severity.CRITICAL]
)


class Issue(NamedRecord):
    PRECISE_DATES = (("opened_on", "opened_precision"), ("resolved_on", "resolved_precision"))

    category = models.CharField(max_length=16, choices=IssueCategory.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=12, choices=IssueStatus.choices)
    opened_on = models.DateField(null=True, blank=True)
    opened_precision = precision_field("opened date precision")
    resolved_on = models.DateField(null=True, blank=True)
    resolved_precision = precision_field("resolved date precision")
    people_affected = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where a count is known; empty when unknown."
    )
    people_affected_is_estimate = models.BooleanField(default=False)
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["title"]
        # The default order of its lists: a page is read from the index, not sorted.
        indexes = [
            models.Index(fields=["title", "id"], name="issue_title_idx"),
            search_index("issue_search_idx", "title", "summary"),
        ]
        triggers = [keeps_former_slugs("issue")]
        constraints = [
            choices_check("category", IssueCategory, "issue_category_valid"),
            choices_check("severity", Severity, "issue_severity_valid"),
            choices_check("status", IssueStatus, "issue_status_valid"),
            *precise_date_checks("opened_on", "opened_precision", "issue"),
            *precise_date_checks("resolved_on", "resolved_precision", "issue"),
            not_before(
                "resolved_on",
                "resolved_precision",
                "opened_on",
                "issue_resolved_not_before_opened",
                "An issue cannot be resolved before it was opened.",
            ),
            models.CheckConstraint(
                condition=~Q(status=IssueStatus.RESOLVED) | Q(resolved_on__isnull=False),
                name="issue_resolved_has_date",
                violation_error_message="A resolved issue needs its resolution date.",
            ),
            models.CheckConstraint(
                condition=Q(people_affected__isnull=True) | Q(people_affected__gte=0),
                name="issue_people_affected_not_negative",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        resolved = PreciseDate.of(self.resolved_on, self.resolved_precision)
        if resolved and self.opened_on and resolved.end < self.opened_on:
            errors["resolved_on"] = "An issue cannot be resolved before it was opened."
        if self.status == IssueStatus.RESOLVED and not self.resolved_on:
            errors["resolved_on"] = "A resolved issue needs its resolution date."
        if errors:
            raise ValidationError(errors)

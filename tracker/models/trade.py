"""Trade records: a figure for a period, a flow and a sector, with its claim status."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from ..choices import PeriodType, Qualifier, Rate, TradeFlow, TradeKind, TradeMetric, Unit
from ..dates import trade_period_fits as trade_period_fits_dates
from ..db import choices_check, precise_date_checks, trade_period_fits
from .base import Record, precision_field, search_index
from .history import HistoricalRecords
from .slugs import keeps_former_slugs

#: Qualifiers of a value that can be added up: a bound ("less than $5 B") or a range is not one.
SUMMABLE_QUALIFIERS = [Qualifier.EXACT, Qualifier.ABOUT]
SUMMABLE_MESSAGE = (
    "Only an exact or approximate total for its period counts toward totals: a bound, a range "
    "or a rate (per year, per month) cannot be added up."
)
#: The field each rule across several fields is told on (``tracker.integrity``), as ``clean``
#: tells it.
CONSTRAINT_FIELDS = {
    "trade_period_fits_its_type": "period_type",
    "trade_counted_claim_is_summable": "counts_toward_totals",
    "trade_reporter_unless_total": "reporter",
    "trade_period_ordered": "period_end",
}
#: The counting rule, for every metric: a counted claim is summable and not a rate.
SUMMABLE = Q(qualifier__in=SUMMABLE_QUALIFIERS, rate=Rate.NONE)

#: The database refuses the same (``trade_period_fits_its_type``).
PERIOD_MESSAGE = (
    "The dates must span one whole period of its type: a calendar year runs from 1 January to "
    "31 December, India's fiscal year from 1 April to 31 March, a quarter from the first day "
    "of January, April, July or October for three months, a month from its first day to its "
    "last. Choose “Other period” for any other span."
)
#: A total between two parties is the same seen from either side, and a source may give it
#: without saying whose statistics it is; an export or an import is always someone's.
REPORTER_MESSAGE = "Only a total may have no reporter: an export or an import is a reporter's."

#: Fields that say *which* figure a record claims; claims that share them are the same figure.
FIGURE_IDENTITY = [
    "metric",
    "period_start",
    "period_end",
    "reporter",
    "partner",
    "flow",
    "commodity",
    "hs_code",
]


class TradeRecord(Record):
    """One source's claim about one figure, e.g. India's imports from Russia in FY2024-25.

    Sources disagree ("$4.88 B" vs "about $4.9 B"): each claim is its own row with its own
    citation, and at most one claim of a figure ``counts_toward_totals`` — the one summaries use.
    """

    PRECISE_DATES = (("target_date", "target_precision"),)

    period_type = models.CharField(max_length=16, choices=PeriodType.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    period_is_approximate = models.BooleanField(
        default=False,
        help_text="The source names the period only loosely; start and end approximate it.",
    )
    period_note = models.CharField(
        max_length=120,
        blank=True,
        help_text="The period in the source's words when it is loose, e.g. “prior to 2022”.",
    )
    reporter = models.ForeignKey(
        "tracker.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=(
            "Whose view the flow is; empty for a total whose source does not say whose "
            "statistics it is."
        ),
    )
    partner = models.ForeignKey("tracker.Party", on_delete=models.PROTECT, related_name="+")
    flow = models.CharField(max_length=8, choices=TradeFlow.choices)
    metric = models.CharField(max_length=10, choices=TradeMetric.choices, default=TradeMetric.VALUE)
    commodity = models.CharField(max_length=120, blank=True, help_text="Empty for all goods.")
    hs_code = models.CharField(
        max_length=10, blank=True, help_text="Harmonized System code, 2–10 digits"
    )
    value = models.DecimalField(max_digits=20, decimal_places=4)
    value_high = models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True, help_text="Upper end of a range"
    )
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217; empty for shares")
    unit = models.CharField(max_length=16, choices=Unit.choices)
    rate = models.CharField(
        max_length=9,
        choices=Rate.choices,
        blank=True,
        default=Rate.NONE,
        db_default=Rate.NONE,
        help_text="Per year or per month when the source gives a rate; empty for a total.",
    )
    kind = models.CharField(max_length=12, choices=TradeKind.choices, default=TradeKind.REPORTED)
    target_date = models.DateField(null=True, blank=True, help_text="For targets: the deadline.")
    target_precision = precision_field("target date precision")
    is_estimate = models.BooleanField(default=False)
    counts_toward_totals = models.BooleanField(
        default=False, help_text="This claim is the one summaries use for its figure."
    )
    history = HistoricalRecords(changes_feed=True)

    class Meta:
        ordering = ["-period_start", "flow", "id"]
        triggers = [keeps_former_slugs("traderecord")]
        indexes = [
            # The default order of the list: its first page is read, not sorted out of
            # 1,000,000 records (2 ms instead of 0.7–1.0 s at scale 1).
            models.Index(fields=["-period_start", "flow", "id"], name="trade_list_idx"),
            # ``?ordering=-value`` (the largest figures) and ``value``: read backwards or
            # forwards, ties sorted by id within a value (an incremental sort), instead of a
            # sort of every record (0.5 s at scale 1; the index adds about 4 % to an import).
            models.Index(fields=["value"], name="trade_value_idx"),
            models.Index(fields=["metric", "flow", "period_start"], name="trade_summary_idx"),
            # Summaries read whole-goods figures only; commodity rows outnumber them by far.
            models.Index(
                fields=["-period_start", "period_end", "flow"],
                condition=Q(hs_code="", commodity=""),
                name="trade_whole_goods_idx",
            ),
            search_index("trade_search_idx", "title", "summary"),
        ]
        constraints = [
            choices_check("period_type", PeriodType, "trade_period_type_valid"),
            choices_check("flow", TradeFlow, "trade_flow_valid"),
            choices_check("metric", TradeMetric, "trade_metric_valid"),
            choices_check("qualifier", Qualifier, "trade_qualifier_valid"),
            choices_check("unit", Unit, "trade_unit_valid"),
            choices_check("rate", Rate, "trade_rate_valid"),
            choices_check("kind", TradeKind, "trade_kind_valid"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="trade_value_not_negative",
                violation_error_message="A value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=(Q(value_high__isnull=True) & ~Q(qualifier=Qualifier.RANGE))
                | Q(
                    value_high__isnull=False, value_high__gte=F("value"), qualifier=Qualifier.RANGE
                ),
                name="trade_range_has_upper_bound",
                violation_error_message="A range has an upper value at least its lower value.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="trade_period_ordered",
                violation_error_message="A period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=trade_period_fits("period_start", "period_end", "period_type"),
                name="trade_period_fits_its_type",
                violation_error_message=PERIOD_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(kind=TradeKind.TARGET) | Q(target_date__isnull=False),
                name="trade_target_has_date",
                violation_error_message="A target needs its target date.",
            ),
            models.CheckConstraint(
                condition=Q(counts_toward_totals=False) | SUMMABLE,
                name="trade_counted_claim_is_summable",
                violation_error_message=SUMMABLE_MESSAGE,
            ),
            *precise_date_checks("target_date", "target_precision", "trade"),
            models.CheckConstraint(
                condition=Q(reporter__isnull=False) | Q(flow=TradeFlow.TOTAL),
                name="trade_reporter_unless_total",
                violation_error_message=REPORTER_MESSAGE,
            ),
            models.UniqueConstraint(
                *[F(name) for name in FIGURE_IDENTITY],
                Coalesce("sector", Value(0)),
                condition=Q(counts_toward_totals=True),
                # Two claims of a total without reporter are claims of the same figure.
                nulls_distinct=False,
                name="trade_one_counting_claim_per_figure",
                violation_error_message=(
                    "Another claim of this figure already counts toward totals."
                ),
            ),
        ]

    @property
    def is_range(self) -> bool:
        return self.qualifier == Qualifier.RANGE

    def clean(self):
        super().clean()
        errors = {}
        if self.value is not None and self.value < 0:
            errors["value"] = "A value cannot be negative."
        if self.qualifier == Qualifier.RANGE and self.value_high is None:
            errors["value_high"] = "A range needs its upper value."
        elif self.value_high is not None and self.qualifier != Qualifier.RANGE:
            errors["qualifier"] = "An upper value is only given for a range."
        elif (
            self.value_high is not None and self.value is not None and self.value_high < self.value
        ):
            errors["value_high"] = "The upper value of a range is at least its lower value."
        if self.reporter_id is None and self.flow and self.flow != TradeFlow.TOTAL:
            errors["reporter"] = REPORTER_MESSAGE
        if self.counts_toward_totals and not (
            self.qualifier in SUMMABLE_QUALIFIERS and self.rate == Rate.NONE
        ):
            errors["counts_toward_totals"] = SUMMABLE_MESSAGE
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "A period cannot end before it starts."
        elif (
            self.period_start
            and self.period_end
            and not trade_period_fits_dates(self.period_type, self.period_start, self.period_end)
        ):
            errors["period_type"] = PERIOD_MESSAGE
        if self.kind == TradeKind.TARGET and not self.target_date:
            errors["target_date"] = "A target needs its target date."
        if self.hs_code and not (self.hs_code.isdigit() and 2 <= len(self.hs_code) <= 10):
            errors["hs_code"] = "An HS code is 2 to 10 digits."
        if self.metric == TradeMetric.SHARE and self.unit != Unit.PERCENT:
            errors["unit"] = "A share is given in per cent."
        if errors:
            raise ValidationError(errors)

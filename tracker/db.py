"""Database expressions and constraint builders shared by the models.

Rules that compare dates must respect precision: an issue "resolved in 2025" may have been
opened on 2025-06-01. ``PeriodEnd`` gives the last day of a stored period in SQL, so check
constraints and triggers can say "the later event cannot end before the earlier one starts".
"""

import functools
import operator

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact, GreaterThanOrEqual, Lookup

from .choices import PeriodType
from .dates import (
    PERIOD_MONTHS,
    TRADE_PERIOD_FIRST_MONTHS,
    TRADE_PERIOD_MONTHS,
    Precision,
    span_end_sql,
)


def period_end_sql(date_sql: str, precision_sql: str) -> str:
    """SQL for the last day of the period starting at ``date_sql``."""
    return span_end_sql(date_sql, precision_sql, PERIOD_MONTHS)


class PeriodEnd(models.Func):
    """The last day of the period that a (date, precision) pair names."""

    output_field = models.DateField()
    arity = 2
    #: How many months a period of each kind spans (others: one day).
    months = PERIOD_MONTHS

    def as_sql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        kind_sql, kind_params = compiler.compile(self.source_expressions[1])
        # Each operand appears once in the SQL, in this order, so the params line up.
        return span_end_sql(date_sql, kind_sql, self.months), (*date_params, *kind_params)


class TradePeriodEnd(PeriodEnd):
    """The last day of the trade period that a (start, period type) pair names."""

    months = TRADE_PERIOD_MONTHS


def trade_period_fits(start: str, end: str, period_type: str) -> Q:
    """``tracker.dates.trade_period_fits`` as a condition on three fields."""
    begins = functools.reduce(
        operator.or_,
        (
            Q(**{period_type: kind, f"{start}__month__in": months})
            for kind, months in TRADE_PERIOD_FIRST_MONTHS.items()
        ),
    )
    whole = Q(**{f"{start}__day": 1}) & begins
    return Q(**{period_type: PeriodType.RANGE}) | (
        whole & Q(Exact(TradePeriodEnd(F(start), F(period_type)), F(end)))
    )


class DaysApart(models.Func):
    """How many days apart two dates are, either way round: ``abs(a - b)`` (PostgreSQL's
    difference of two dates is a number of days)."""

    template = "abs(%(expressions)s)"
    arg_joiner = " - "
    arity = 2
    output_field = models.IntegerField()


@models.BigAutoField.register_lookup
@models.ForeignKey.register_lookup
class AnyOf(Lookup):
    """``parent_id__any=[…]``: every id in one array parameter (``= ANY(%s::bigint[])``), so
    the statement is the same for any number of ids, and takes more ids than PostgreSQL allows
    parameters (the admin's search looks up to 100,000 ids).
    """

    lookup_name = "any"

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        array_type = f"{self.lhs.output_field.db_type(connection)}[]"
        return f"{lhs_sql} = ANY(%s::{array_type})", (*lhs_params, list(self.rhs))


@models.CharField.register_lookup
class Blank(Lookup):
    """``hs_code__blank=True``: the text is empty (``False``: it is not), with the empty string
    written into the statement rather than sent as a parameter.

    A partial index ``WHERE hs_code = ''`` serves a statement only if PostgreSQL can prove
    its condition from the statement alone. With ``hs_code = $1`` it can do so only when it
    plans for the value given, so a prepared statement was planned anew on every run (a
    custom plan: about 2 ms for the trade summary's records, each time) instead of once per
    connection (a generic plan).
    """

    lookup_name = "blank"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not isinstance(self.rhs, bool):
            raise ValueError(f"The blank lookup takes True or False, not {self.rhs!r}.")
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} {'=' if self.rhs else '<>'} ''", lhs_params


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """Refuse any value outside a vocabulary, in the database itself."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def precise_date_checks(date_field: str, precision_field: str, prefix: str, required=False):
    """A date and its precision are set together, and the precision is a known one."""
    # "precision IN (…)" is NULL, not false, for a NULL precision: say "is not null" too.
    both_set = Q(
        **{
            f"{date_field}__isnull": False,
            f"{precision_field}__isnull": False,
            f"{precision_field}__in": Precision.values,
        }
    )
    both_unset = Q(**{f"{date_field}__isnull": True, f"{precision_field}__isnull": True})
    return [
        models.CheckConstraint(
            condition=both_set if required else both_set | both_unset,
            name=f"{prefix}_{date_field}_precision_valid",
        )
    ]


def not_before(
    later: str, later_precision: str, earlier: str, name: str, message: str
) -> models.CheckConstraint:
    """``later`` (at its precision) does not end before ``earlier`` starts; unknowns pass."""
    return models.CheckConstraint(
        violation_error_message=message,
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(GreaterThanOrEqual(PeriodEnd(F(later), F(later_precision)), F(earlier))),
        name=name,
    )


def non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=name
    )

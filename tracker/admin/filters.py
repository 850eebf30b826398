"""Changelist filters: year, lateness, issues to watch, party involved and source cited
(picked by typing).

Each filter lists its choices with at most one query (the source filter only the chosen
source) and filters in SQL, so a changelist runs the same number of queries whatever its page
size.
"""

from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q
from django.utils import timezone

from ..choices import Lateness
from ..models import Citation, Party, Source
from ..models.deliveries import KNOWN_LATE, LATE_CONDITIONS
from ..models.issues import TO_WATCH


class LateFilter(admin.SimpleListFilter):
    """Deliveries by how they are late (see ``DeliveryQuerySet.with_lateness``)."""

    title = "lateness"
    parameter_name = "slipped"
    ways = {
        "late": ("Late in any way", KNOWN_LATE),
        # "yes" rather than "slipped": the parameter's value before the other ways came.
        "yes": (Lateness.SLIPPED.label, LATE_CONDITIONS[Lateness.SLIPPED]),
        "postponed": (Lateness.POSTPONED.label, LATE_CONDITIONS[Lateness.POSTPONED]),
        "overdue": (Lateness.OVERDUE.label, LATE_CONDITIONS[Lateness.OVERDUE]),
        "no": ("On time or early", Q(slippage_months__lte=0)),
        "unknown": ("Slippage unknown", Q(slippage_months__isnull=True)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.ways.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.ways:
            return queryset
        _, condition = self.ways[self.value()]
        return queryset.with_lateness(timezone.localdate()).filter(condition)


class ToWatchFilter(admin.SimpleListFilter):
    """Issues the front page lists as worth a look (``TO_WATCH``), or the others."""

    title = "to watch"
    parameter_name = "to_watch"

    def lookups(self, request, model_admin):
        return [("yes", "Escalating, or active at high severity"), ("no", "The others")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(TO_WATCH)
        if self.value() == "no":
            return queryset.exclude(TO_WATCH)
        return queryset


def year_filter(field: str, title: str = "year") -> type[admin.SimpleListFilter]:
    """A filter on the year of a date field, listing only the years that have rows.

    For a list without a date hierarchy on the field: a hierarchy lists the same years, and
    each listing reads every row (120 ms for the trade records at scale 1).
    """

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_year"

        def lookups(self, request, model_admin):
            years = model_admin.model._default_manager.dates(field, "year", order="DESC")
            return [(str(day.year), str(day.year)) for day in years]

        def queryset(self, request, queryset):
            if not (self.value() or "").isdigit():
                return queryset
            return queryset.filter(**{f"{field}__year": int(self.value())})

    YearFilter.title = title
    return YearFilter


class _RelatedChoiceFilter(admin.SimpleListFilter):
    """Rows linked to the chosen object through any of ``paths`` (an OR of lookups)."""

    paths: tuple[str, ...] = ()

    def choices_queryset(self):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(str(pk), label) for pk, label in self.choices_queryset()]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        condition = reduce(or_, (Q(**{path: int(self.value())}) for path in self.paths))
        # A subquery instead of joins keeps each row once without DISTINCT.
        matching = queryset.model._default_manager.filter(condition).values("pk")
        return queryset.filter(pk__in=matching)


def party_filter(*paths: str) -> type[admin.SimpleListFilter]:
    """Rows that involve a party in any of the roles ``paths`` name (supplier, recipient…)."""

    class PartyFilter(_RelatedChoiceFilter):
        title = "party"
        parameter_name = "party"

        def choices_queryset(self):
            return Party.objects.values_list("pk", "name")

    PartyFilter.paths = paths
    return PartyFilter


def source_filter(*paths: str) -> type[admin.SimpleListFilter]:
    """Rows cited by a source, directly or through their timeline events.

    The source is picked by typing part of its title, with the admin's own autocomplete over
    the sources (``Source`` admin's search). At scale 1 the sidebar listed 5,246 cited sources
    as links on every list: too many to find one in, and up to half of a list's time
    (deliveries 150 ms with them, 77 ms without; trade records 300 and 233 ms).
    """

    class SourceFilter(_RelatedChoiceFilter):
        title = "source"
        parameter_name = "source"
        template = "admin/tracker/autocomplete_filter.html"
        #: The foreign key whose autocomplete (``admin:autocomplete``) offers the sources.
        autocomplete_key = {
            "app_label": "tracker",
            "model_name": "citation",
            "field_name": "source",
        }

        def lookups(self, request, model_admin):
            """Only the chosen source, whose title the filter shows; none to list."""
            if not (self.value() or "").isdigit():
                return []
            return Source.objects.filter(pk=int(self.value())).values_list("pk", "title")

        def has_output(self):
            return True

    SourceFilter.paths = paths
    return SourceFilter


def autocomplete_filter_media() -> forms.Media:
    """The admin's autocomplete (select2, in the language of the request) and the script that
    reloads a list when its autocomplete filter changes."""
    autocomplete = AutocompleteSelect(Citation._meta.get_field("source"), admin.site).media
    # jquery.init.js (``django.jQuery``) listed first, so that Media keeps ours after it.
    ours = forms.Media(js=["admin/js/jquery.init.js", "tracker/autocomplete_filter.js"])
    return autocomplete + ours

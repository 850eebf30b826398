"""Admin search over a reverse relation (the quotes of citations) without a join.

Django's admin searches ``citations__quote`` by joining the citations, then removes the rows
the join repeats with DISTINCT: in the page, in its count and in the date hierarchy's queries.
At scale 1 (1,000,000 trade records, 1,500,000 citations) that was 1.3–1.9 s a query,
5.6–5.8 s a search of the trade records and 10.4–10.5 s of the sources. Here a search is read
in one of two shapes, neither with a join nor anything to de-duplicate:

- First, the ids it matches, each word one ``id IN (ids whose own fields match UNION ALL ids
  named by matching related rows)``. Each part reads its table once; a related part reads only
  the rows on that relation (``delivery_id IS NOT NULL``), through the relation's own index
  where it is small (the deliveries' 20,000 citations in 54 ms). If at most ``FEW_ROWS`` rows
  match, the page, its count and the date hierarchy look them up by id: the search's text is
  read once, not three or four times.
- A search that matches more rows stops that read at ``FEW_ROWS + 1`` (they come soon when
  matches are common) and is read row by row: own fields ``OR EXISTS (a matching related
  row)``. A row that matches in its own fields skips the related rows, and the page, the
  first and last dates stop at the first matches in their index's order. "ind", in nearly
  every trade record's title, took 7.2 s with Django's join, 15.3 s read as ids, and takes
  2.5 s so; "delivered" (40,000 events) 2.3 s with Django's join, 3.9 s so, and 1.0 s as ids.

An autocomplete (picking the record or source a foreign key points to) searches the own
fields only: an editor picks a source by its title, not by the quotes it backs, and the
source picker of every citation row took 2.6 s a keystroke at scale 1.
"""

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

#: Django's own search-field prefixes (``^`` starts with, ``=`` exact, ``@`` full text).
PREFIXES = ("^", "=", "@")
#: The most rows a search is looked up by id for (see the module's docstring).
FEW_ROWS = 100_000


def search_words(search_term: str) -> list[str]:
    """The words of a search as Django's admin splits them ("quoted phrases" kept whole)."""
    words = []
    for word in smart_split(search_term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        words.append(word)
    return words


def own_match(fields: list[str], word: str) -> Q:
    """Rows with ``word`` in any of ``fields`` (none of them across a one-to-many relation)."""
    return Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)


def is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class ReverseRelationSearch:
    """One search field across a one-to-many relation, e.g. ``citations__quote``."""

    def __init__(self, relation, lookup: str):
        self.related_model = relation.related_model
        #: The column of the related rows that names the searched row (``trade_record_id``).
        self.key = relation.field.attname
        self.lookup = lookup

    @classmethod
    def of(cls, model, search_field: str) -> "ReverseRelationSearch | None":
        """The search of ``search_field``, or None unless it starts with a one-to-many relation."""
        relation_name, _, lookup = search_field.partition("__")
        relation = model._meta.get_field(relation_name)
        return cls(relation, lookup) if relation.one_to_many and lookup else None

    def matching(self, word: str, **key) -> QuerySet:
        return self.related_model._default_manager.filter(
            **key, **{f"{self.lookup}__icontains": word}
        ).order_by()

    def ids_matching(self, word: str) -> QuerySet:
        """The keys of the related rows that ``word`` matches (``trade_record_id``)."""
        return self.matching(word, **{f"{self.key}__isnull": False}).values(self.key)

    def exists_matching(self, word: str) -> Exists:
        """Whether the outer row has a related row that ``word`` matches."""
        return Exists(self.matching(word, **{self.key: OuterRef("pk")}))


class SubquerySearchMixin:
    """``get_search_results`` with subqueries instead of joins (see the module's docstring).

    Search fields with Django's prefixes, or through a many-to-many relation, go to Django.
    """

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        words = search_words(search_term)
        if not (fields and words) or any(field.startswith(PREFIXES) for field in fields):
            return super().get_search_results(request, queryset, search_term)
        own = [field for field in fields if not lookup_spawns_duplicates(self.opts, field)]
        related = [] if is_autocomplete(request) else [f for f in fields if f not in own]
        reverse = [ReverseRelationSearch.of(self.model, field) for field in related]
        if None in reverse or not (own or reverse):
            return super().get_search_results(request, queryset, search_term)
        by_ids, by_rows = queryset, queryset
        for word in words:
            by_ids = by_ids.filter(self._ids_matching(word, own, reverse))
            by_rows = by_rows.filter(self._rows_matching(word, own, reverse))
        ids = list(by_ids.order_by().values_list("pk", flat=True)[: FEW_ROWS + 1])
        return (by_rows if len(ids) > FEW_ROWS else queryset.filter(pk__any=ids)), False

    def _ids_matching(self, word: str, own: list[str], reverse: list[ReverseRelationSearch]):
        """Rows whose id is among those that ``word`` matches, in one read of each table."""
        if not reverse:
            return own_match(own, word)
        parts = [relation.ids_matching(word) for relation in reverse]
        if own:
            own_ids = self.model._default_manager.filter(own_match(own, word))
            parts.insert(0, own_ids.order_by().values("pk"))
        return Q(pk__in=parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])

    @staticmethod
    def _rows_matching(word: str, own: list[str], reverse: list[ReverseRelationSearch]) -> Q:
        """Rows that ``word`` matches, tested row by row: own fields first, then related rows."""
        condition = own_match(own, word) if own else Q()
        for relation in reverse:
            condition |= Q(relation.exists_matching(word))
        return condition

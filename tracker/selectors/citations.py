"""Citations, read with their sources for a whole page of records at once."""

from django.db.models import Prefetch

from ..models import Citation
from .rows import rows_where

#: When a row was created and last changed: shown for records and events, not for their parts.
TIMESTAMPS = ("created_at", "updated_at")


def own_fields(model, leave_out: tuple[str, ...] = ()) -> list[str]:
    """A model's own columns but ``leave_out``, for ``only()`` with the few columns read of
    its relations."""
    return [field.name for field in model._meta.concrete_fields if field.name not in leave_out]


#: What a citation shows of its source, in the API and on the front page.
SOURCE_BRIEF = [
    "slug",
    "title",
    "author",
    "publisher",
    "url",
    "published_on",
    "published_precision",
]


def citations_prefetch(lookup: str = "citations") -> Prefetch:
    """Citations with their source, in one query for a whole page of rows, as a list in
    ``cited`` (a list costs Django nothing per row; a prefetched ``citations.all()`` builds a
    queryset for each)."""
    return Prefetch(
        lookup,
        queryset=Citation.objects.select_related("source")
        .only(*own_fields(Citation, TIMESTAMPS), *(f"source__{name}" for name in SOURCE_BRIEF))
        .order_by("id"),
        to_attr="cited",
    )


#: What a citation shows, with its source's brief: a citation's own fields and its source's
#: (``source__…``), under the names ``.values()`` would give them.
CITATION_COLUMNS = (
    "id",
    "source__slug",
    "source__title",
    "source__publisher",
    "source__url",
    "source__published_on",
    "source__published_precision",
    "quote",
    "figure",
    "locator",
    "quote_start",
    "quote_end",
    "paragraph",
)


def citation_rows(target: str, ids: list[int]) -> list[dict]:
    """The citations of the ``target`` records (or events) ``ids`` with their sources, as
    rows named as ``CITATION_COLUMNS`` plus ``target``, in one statement, in order."""
    return rows_where(Citation, (target, *CITATION_COLUMNS), target, ids)

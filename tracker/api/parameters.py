"""Query parameters: each address takes the ones it documents, and refuses any other (400).

Ignored, a misspelt filter (``?staus=delivered``) would answer with the whole list as if it
were the list asked for. An address with more than one format takes ``format``; a list takes
its paginator's, filter set's, search's and ordering's parameters; an action with a query
serializer takes that serializer's fields. These are the parameters that the OpenAPI schema
documents, as ``tests/api/test_parameters.py`` checks for every operation.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

#: Actions on one object, or on none: the list's parameters do not apply to them.
ONE_OBJECT_ACTIONS = frozenset(
    {"retrieve", "create", "update", "partial_update", "destroy", "metadata"}
)


class KnownParametersMixin:
    """Refuses a request with a query parameter the view does not take, naming each one."""

    #: A serializer whose fields are the view's own query parameters (``?since=``).
    query_serializer_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.query_params:
            refuse_unknown(request, known_parameters(self))

    def query(self, request) -> dict:
        """The request's parameters, read by ``query_serializer_class`` (400 if bad)."""
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data


def refuse_unknown(request, known: frozenset[str]) -> None:
    unknown = sorted(request.query_params.keys() - known)
    if unknown:
        takes = f"takes: {', '.join(sorted(known))}" if known else "takes none"
        raise ValidationError(
            {name: [f"Unknown parameter. This address {takes}."] for name in unknown}
        )


#: The parameters of each view class and action, worked out on first use.
_KNOWN: dict[tuple[type, str | None], frozenset[str]] = {}


def known_parameters(view) -> frozenset[str]:
    """The query parameters that ``view`` reads, for its action. Worked out once for each
    class and action: an action's filters, paginator and query serializer are fixed."""
    key = (type(view), getattr(view, "action", None))
    if key not in _KNOWN:
        _KNOWN[key] = frozenset(parameters_of(view))
    return _KNOWN[key]


def parameters_of(view) -> set[str]:
    names = set()
    if len(view.renderer_classes) > 1:
        names.add(api_settings.URL_FORMAT_OVERRIDE)
    if getattr(view, "action", None) not in ONE_OBJECT_ACTIONS:
        sources = [backend() for backend in getattr(view, "filter_backends", ())]
        if getattr(view, "paginator", None) is not None:
            sources.append(view.paginator)
        for source in sources:
            names.update(p["name"] for p in source.get_schema_operation_parameters(view))
    if view.query_serializer_class is not None:
        names.update(view.query_serializer_class().fields)
    return names

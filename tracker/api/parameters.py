"""Query parameters: each address takes the ones it documents, and refuses any other (400),
as it refuses one repeated where it takes a single value.

Ignored, a misspelt filter (``?staus=delivered``) would answer with the whole list as if it
were the list asked for. An address with more than one format takes ``format``; a list takes
its paginator's, filter set's, search's and ordering's parameters; an action with a query
serializer takes that serializer's fields. These are the parameters that the OpenAPI schema
documents, as ``tests/api/test_parameters.py`` checks for every operation.
"""

from dataclasses import dataclass

from rest_framework.exceptions import ValidationError
from rest_framework.serializers import ListField
from rest_framework.settings import api_settings

#: Actions on one object, or on none: the list's parameters do not apply to them.
ONE_OBJECT_ACTIONS = frozenset(
    {"retrieve", "create", "update", "partial_update", "destroy", "metadata"}
)


class ParameterError(ValidationError):
    """Bad query parameters: each error names its ``parameter``, on a write too (where the
    other errors point into the body)."""


def validated_query(serializer) -> dict:
    """The values of a serializer of query parameters, or a ``ParameterError``."""
    if not serializer.is_valid():
        raise ParameterError(serializer.errors)
    return serializer.validated_data


class KnownParametersMixin:
    """Refuses a request with a query parameter the view does not take, or repeated where it
    takes one value, naming each one."""

    #: A serializer whose fields are the view's own query parameters (``?since=``).
    query_serializer_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.query_params:
            parameters_of(self).check(request.query_params)

    def query(self, request) -> dict:
        """The request's parameters, read by ``query_serializer_class`` (400 if bad)."""
        return validated_query(self.query_serializer_class(data=request.query_params))


@dataclass(frozen=True)
class Parameters:
    """The query parameters of a view's action, and those of them that take several values
    by repetition (``?kind=signed&kind=ratified``). Any other, repeated, would keep its last
    value only: ``?status=signed&status=in_force`` would list the agreements in force."""

    names: frozenset[str]
    repeatable: frozenset[str]

    def check(self, query_params) -> None:
        errors = {}
        unknown = sorted(query_params.keys() - self.names)
        if unknown:
            takes = f"takes: {', '.join(sorted(self.names))}" if self.names else "takes none"
            errors = {name: [f"Unknown parameter. This address {takes}."] for name in unknown}
        for name, values in query_params.lists():
            if len(values) > 1 and name in self.names and name not in self.repeatable:
                errors[name] = ["Give this parameter once: it takes one value."]
        if errors:
            raise ParameterError(errors)


#: The parameters of each view class and action, worked out on first use.
_PARAMETERS: dict[tuple[type, str | None], Parameters] = {}


def parameters_of(view) -> Parameters:
    """The query parameters that ``view`` reads, for its action. Worked out once for each
    class and action: an action's filters, paginator and query serializer are fixed."""
    key = (type(view), getattr(view, "action", None))
    if key not in _PARAMETERS:
        _PARAMETERS[key] = read_parameters(view)
    return _PARAMETERS[key]


def read_parameters(view) -> Parameters:
    names, repeatable = set(), set()
    if len(view.renderer_classes) > 1:
        names.add(api_settings.URL_FORMAT_OVERRIDE)
    if getattr(view, "action", None) not in ONE_OBJECT_ACTIONS:
        sources = [backend() for backend in getattr(view, "filter_backends", ())]
        if getattr(view, "paginator", None) is not None:
            sources.append(view.paginator)
        for source in sources:
            for parameter in source.get_schema_operation_parameters(view):
                names.add(parameter["name"])
                if repeats(parameter):
                    repeatable.add(parameter["name"])
    if getattr(view, "reads_as_of", lambda: False)():
        names.add("as_of")
    if view.query_serializer_class is not None:
        for name, field in view.query_serializer_class().fields.items():
            names.add(name)
            if isinstance(field, ListField):
                repeatable.add(name)
    return Parameters(frozenset(names), frozenset(repeatable))


def repeats(parameter: dict) -> bool:
    """Whether an OpenAPI parameter takes several values by repetition: a list, "exploded"
    (OpenAPI's default for a query parameter) rather than comma-separated."""
    return parameter.get("schema", {}).get("type") == "array" and parameter.get("explode", True)

"""Each address takes the query parameters its OpenAPI operation documents, refuses any other
with a 400 naming it, and refuses a value it cannot use rather than ignoring it."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api.conftest import API, field_errors, problem

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
#: Every GET operation's address (a key filled in) and its documented query parameters.
READS = {
    path.replace("{key}", "1"): {
        parameter["name"]: parameter
        for parameter in operations["get"].get("parameters", [])
        if parameter["in"] == "query"
    }
    for path, operations in SCHEMA["paths"].items()
    if "get" in operations
}
SAMPLE_BY_FORMAT = {"date": "2025-01-01", "date-time": "2025-01-01T00:00:00Z"}
SAMPLE_BY_TYPE = {"boolean": "true", "integer": "1", "number": "1"}


def sample(parameter: dict) -> str:
    """A value the parameter's schema allows."""
    schema = parameter.get("schema", {})
    schema = schema.get("items", schema)
    if schema.get("enum"):
        return str(schema["enum"][0])
    return SAMPLE_BY_FORMAT.get(schema.get("format"), SAMPLE_BY_TYPE.get(schema.get("type"), "x"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", READS)
def test_an_undocumented_parameter_is_refused_naming_the_documented_ones(anon, path):
    response = anon.get(path, {"colour": "red"})

    assert response.status_code == 400
    documented = sorted(READS[path])
    takes = f"takes: {', '.join(documented)}" if documented else "takes none"
    message = f"Unknown parameter. This address {takes}."
    # A problem in JSON, from a feed or a CSV export too.
    assert field_errors(response) == {"colour": [message]}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [path for path, parameters in READS.items() if parameters])
def test_each_documented_parameter_is_taken(anon, path):
    """Taken, though not always found: ``?partner=x`` names no party."""
    refused = {}
    for name, parameter in READS[path].items():
        response = anon.get(path, {name: sample(parameter)})
        if response.status_code == 400 and b"Unknown parameter" in response.content:
            refused[name] = response.content
    assert refused == {}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [path for path, parameters in READS.items() if parameters])
def test_a_parameter_repeats_only_where_it_takes_several_values(anon, path):
    """As the schema says: a list "exploded" into one parameter a value (``?kind=a&kind=b``)."""
    refused, expected = set(), set()
    for name, parameter in READS[path].items():
        value = sample(parameter)
        response = anon.get(path, {name: [value, value]})
        if parameter.get("schema", {}).get("type") != "array" or not parameter.get("explode", True):
            expected.add(name)
        if response.status_code == 400 and b"Give this parameter once" in response.content:
            refused.add(name)
    assert refused == expected


def test_a_record_timeline_is_documented_as_a_page_of_events():
    operation = SCHEMA["paths"][f"{API}deliveries/{{key}}/timeline/"]["get"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = SCHEMA["components"]["schemas"][page.rsplit("/", 1)[1]]["properties"]

    assert properties["results"]["items"] == {"$ref": "#/components/schemas/Event"}
    assert {"cursor", "page_size", "kind", "date_from"} <= set(
        READS[f"{API}deliveries/1/timeline/"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("late=maybe", "late"),
        ("slipped=yes", "slipped"),
        ("is_estimate=2", "is_estimate"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=ten", "page_size"),
        ("page_size=%EF%BC%95", "page_size"),  # a full-width digit five
        ("ordering=colour", "ordering"),
        ("ordering=title,-colour", "ordering"),
    ],
)
def test_a_value_a_list_cannot_use_is_refused(anon, query, parameter):
    path = "trade-records" if parameter == "is_estimate" else "deliveries"
    response = anon.get(f"{API}{path}/?{query}")

    assert response.status_code == 400
    assert list(field_errors(response)) == [parameter]


def test_an_unknown_ordering_names_the_term_and_the_choices(anon, db):
    [message] = field_errors(anon.get(f"{API}issues/?ordering=-severity,colour"))["ordering"]

    assert message == (
        "Unknown field: colour. Order by any of title, created_at, updated_at, id, severity, "
        "status; '-' before one sorts it descending."
    )


@pytest.mark.usefixtures("curated")
def test_a_boolean_reads_true_and_false_in_any_case_and_as_digits(anon):
    def slugs(query: str) -> list[str]:
        return [row["slug"] for row in anon.get(f"{API}deliveries/?{query}").json()["results"]]

    late, on_time = slugs("late=true"), slugs("late=false")
    assert late and on_time
    assert slugs("late=TRUE") == slugs("late=1") == late
    assert slugs("late=False") == slugs("late=0") == on_time


@pytest.mark.usefixtures("curated")
def test_the_largest_page_is_taken_and_a_page_past_the_end_is_named(anon):
    assert anon.get(f"{API}events/?page_size=500").status_code == 200

    response = anon.get(f"{API}deliveries/?page=99")
    assert response.status_code == 404
    assert problem(response)["detail"] == "Invalid page 99: That page contains no results."

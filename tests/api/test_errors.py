"""Bad input is a 400 naming the field; nothing a client sends is a 500."""

import pytest

from tests.api.conftest import API, etag, field_errors, fields_named, problem

pytestmark = pytest.mark.usefixtures("curated")

DELIVERY = {
    "slug": "test-delivery",
    "title": "Test",
    "kind": "purchase",
    "status": "contracted",
    "supplier": "RUS",
    "recipient": "IND",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "nul\x00byte"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 100_000}, "summary"),
        ({"status": "bogus"}, "status"),
        ({"supplier": "XXX"}, "supplier"),
        ({"supplier": "R\x00S"}, "supplier"),
        ({"sector": "nowhere"}, "sector"),
        ({"value": "1e30", "value_currency": "USD", "value_unit": "billion"}, "value"),
        ({"value": "NaN", "value_currency": "USD", "value_unit": "billion"}, "value"),
        ({"value": "-1", "value_currency": "USD", "value_unit": "billion"}, "value"),
        ({"value": "5"}, "value_currency"),
        ({"quantity_ordered": 10**40}, "quantity_ordered"),
        ({"ordered": {"date": "2025-02-30", "precision": "day"}}, "ordered"),
        ({"ordered": {"date": "2025-02-01", "precision": "week"}}, "ordered"),
        ({"ordered": {"date": "9999-06-01", "precision": "year"}}, "ordered"),
        ({"ordered": "2025"}, "ordered"),
        ({"recipient": "RUS"}, "recipient"),
        ({"slug": "not a slug"}, "slug"),
        ({"slug": "s-400-triumf"}, "slug"),
    ],
)
def test_bad_fields_are_named(editor_api, change, field):
    response = editor_api.post(f"{API}deliveries/", {**DELIVERY, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in fields_named(response)


def test_model_rules_use_the_api_field_names(editor_api):
    body = {
        "slug": "x",
        "title": "X",
        "category": "economic",
        "severity": "low",
        "status": "resolved",
        "opened": {"date": "2025-01-01", "precision": "year"},
    }
    response = editor_api.post(f"{API}issues/", body, format="json")
    assert response.status_code == 400
    assert "resolved" in fields_named(response)


def test_dates_are_moved_to_the_start_of_their_period(editor_api):
    body = {**DELIVERY, "ordered": {"date": "2021-07-19", "precision": "month"}}
    response = editor_api.post(f"{API}deliveries/", body, format="json")
    assert response.json()["ordered"] == {
        "date": "2021-07-01",
        "precision": "month",
        "display": "Jul 2021",
        "end": "2021-07-31",
    }


def test_huge_integer_and_broken_json_are_400(editor_api):
    for body in ('{"people_affected": ' + "9" * 5000 + "}", '{"title": '):
        response = editor_api.generic("POST", f"{API}issues/", body, "application/json")
        assert response.status_code == 400
        assert problem(response)["code"] == "parse_error"


def test_people_affected_overflow_is_400(editor_api):
    body = {
        "slug": "x",
        "title": "X",
        "category": "economic",
        "severity": "low",
        "status": "watching",
        "people_affected": 2**70,
    }
    response = editor_api.post(f"{API}issues/", body, format="json")
    assert response.status_code == 400 and "people_affected" in fields_named(response)


def test_form_data_is_415(editor_api):
    response = editor_api.post(f"{API}sources/", {"slug": "x", "title": "X"})
    assert response.status_code == 415
    assert problem(response)["code"] == "unsupported_media_type"


def test_wrong_method_is_405(editor_api, anon):
    assert (
        editor_api.post(f"{API}sources/rebalancing-relations-2025/", {}, format="json").status_code
        == 405
    )
    assert anon.post(f"{API}timeline/", {}, format="json").status_code in {401, 405}
    assert anon.delete(f"{API}trade-records/summary/").status_code in {401, 405}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"{API}agreements/?page=99999999999999999999", 404),
        (f"{API}agreements/?id=9e99", 400),
        (f"{API}agreements/?id=99999999999999999999999", 400),
        (f"{API}agreements/?id=abc", 400),
        (f"{API}agreements/?search=%00", 400),
        (f"{API}agreements/?sector=%00", 400),
        (f"{API}agreements/?status=bogus", 400),
        (f"{API}agreements/?updated_since=9999-12-31T23:59:59-14:00", 400),
        (f"{API}agreements/?updated_since=0001-01-01T00:00:00%2B14:00", 400),
        (f"{API}agreements/?ordering=%00", 400),
        (f"{API}agreements/?updated_since=1889-07-05T14:07:38%2B19:32", 200),
        (f"{API}agreements/?page_size=99999999999999999999999", 400),
        (f"{API}agreements/99999999999999999999999/", 404),
        (f"{API}agreements/%00/", 404),
        (f"{API}events/?cursor=garbage", 404),
        (f"{API}events/?date_from=2025-02-30", 400),
        (f"{API}events/?kind=bogus", 400),
        (f"{API}timeline/?record_type=bogus", 400),
        (f"{API}changes/?page_size=0", 400),
        (f"{API}changes/?since=99999-01-01", 400),
        (f"{API}nowhere/", 404),
    ],
)
def test_hostile_queries(anon, url, status):
    response = anon.get(url)
    assert response.status_code == status, response.content
    if status != 200:
        problem(response)


@pytest.mark.parametrize(
    "path",
    ["timeline/", "events/", "agreements/", "sources/", "deliveries/s-400-triumf/timeline/"],
)
@pytest.mark.parametrize("value", [str(2**63), "99999999999999999999", "0", "-1"])
def test_an_id_outside_the_range_of_ids_is_refused_naming_the_parameter(anon, path, value):
    response = anon.get(f"{API}{path}", {"id": value})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["id"]


def test_the_largest_id_is_still_a_valid_filter(anon):
    response = anon.get(f"{API}timeline/", {"id": str(2**63 - 1)})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_unknown_field_is_refused_and_nothing_is_changed(editor_api):
    url = f"{API}deliveries/ak-203-rifles/"
    tag = etag(editor_api, url)
    response = editor_api.patch(url, {"statuss": "delivered"}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 400
    [message] = field_errors(response)["statuss"]
    assert message.startswith("Unknown field. Writable fields: slug, title, summary, sector,")
    assert editor_api.get(url).json()["status"] == "under_discussion"


def test_unknown_and_bad_fields_are_named_together_also_inside_a_date(editor_api):
    body = {
        **DELIVERY,
        "status": "bogus",
        "colour": "red",
        "ordered": {"date": "2021-07-19", "precision": "month", "day": 19},
    }
    response = editor_api.post(f"{API}deliveries/", body, format="json")

    assert response.status_code == 400
    assert set(field_errors(response)) == {"status", "colour", "ordered.day"}


def test_a_record_read_is_written_back_whole_read_only_fields_and_all(editor_api):
    url = f"{API}deliveries/s-400-triumf/"
    read = editor_api.get(url)
    response = editor_api.put(url, read.json(), format="json", HTTP_IF_MATCH=read["ETag"])

    assert response.status_code == 200, response.content
    assert response.json() == read.json() | {"updated_at": response.json()["updated_at"]}

"""Malformed input to the admin is a 400 or a 404, never a 500.

Every changelist of the admin (found through ``admin.site.get_app_list``), each of its
filters' parameters, its date hierarchy, search, ordering and page, is sent values a careless
client or an attacker would send: a NUL character, text for a number, numbers beyond any
column's range, years out of the calendar's, dates that do not exist. So are object ids in
the change and history pages, and terms of every autocomplete field.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

VALUES = ["a\x00b", "abc", "99999999999999999999", "10000", "-99999", "2025-13-45"]
IDS = ["abc", "%00", "99999999999999999999", "-1", "1.5"]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="a-long-root-password")


@pytest.fixture
def client_(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


def model_admins(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            if entry.get("admin_url"):
                yield entry["admin_url"], admin.site.get_model_admin(entry["model"]), request


def parameters(model_admin, request) -> list[str]:
    """Every query parameter the changelist reads: its filters', its date hierarchy's,
    search, ordering and page."""
    changelist = model_admin.get_changelist_instance(request)
    names = ["q", "o", "p"]
    for spec in changelist.filter_specs:
        names += spec.expected_parameters()
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


def server_errors(client, urls: list[str], params=None) -> list[tuple]:
    failed = []
    for url in urls:
        response = client.get(url, params or {})
        if response.status_code >= 500:
            failed.append((url, params, response.status_code))
    return failed


def test_no_changelist_filter_answers_a_malformed_value_with_a_500(client_, superuser):
    failed, tried = [], 0
    for url, model_admin, request in model_admins(superuser):
        for name in parameters(model_admin, request):
            for value in VALUES:
                tried += 1
                failed += server_errors(client_, [url], {name: value})
        if model_admin.date_hierarchy:
            year = f"{model_admin.date_hierarchy}__year"
            failed += server_errors(client_, [url], {year: "2024", f"{year[:-4]}month": "13"})
    assert tried > 400
    assert failed == []


def test_no_malformed_object_id_gets_a_500(client_, superuser):
    urls = [
        f"{url}{key}/{page}"
        for url, _, _ in model_admins(superuser)
        for key in IDS
        for page in ("change/", "history/", "delete/", "history/abc/", "history/1/")
    ]
    assert server_errors(client_, urls) == []


def test_no_autocomplete_term_gets_a_500(client_, superuser):
    failed, tried = [], 0
    for _, model_admin, _ in model_admins(superuser):
        inlines = [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
        for owner in [model_admin, *inlines]:
            for field in owner.autocomplete_fields:
                for term in VALUES:
                    tried += 1
                    failed += server_errors(
                        client_,
                        ["/admin/autocomplete/"],
                        {
                            "app_label": owner.model._meta.app_label,
                            "model_name": owner.model._meta.model_name,
                            "field_name": field,
                            "term": term,
                        },
                    )
    assert tried > 30
    assert failed == []

"""The front page at ``/``: the admin's "View site" link and the README's first address."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="([^"]+)"')


def links(page: str) -> list[str]:
    return [href for href in LINK.findall(page) if href.startswith("/")]


def test_the_front_page_links_the_dashboard_the_admin_and_the_api(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("admin-dashboard", "admin:index", "api:api-root", "api:docs", "api:schema"):
        assert reverse(name) in links(page), name
    assert "ask you to log in" in page


def test_every_link_on_the_front_page_leads_somewhere(client):
    for href in links(client.get("/").content.decode()):
        response = client.get(href)
        login = reverse("admin:login")
        assert response.status_code == 200 or response.url.startswith(login), href


def test_the_admin_s_view_site_link_opens_the_front_page(admin_client):
    admin_page = admin_client.get(reverse("admin:index")).content.decode()
    assert '<a href="/">View site</a>' in admin_page
    page = admin_client.get("/").content.decode()
    assert "ask you to log in" not in page
    assert "Log out" in page

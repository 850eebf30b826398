"""The changes history is read once: the dashboard lists the latest changes the API's feed
gives, by the same selector."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_delivery, make_source
from tracker.selectors.changes import recent_changes

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_latest_changes_of_the_feed():
    for i in range(3):
        make_source(i)
        make_delivery(i)
    feed = APIClient().get("/api/v1/changes/", {"page_size": 50}).json()["results"]

    latest = recent_changes(limit=4)

    newest_in_feed = sorted(feed, key=lambda c: (c["at"], c["type"]), reverse=True)[:4]
    assert [(c.kind, c.object_id) for c in latest] == [(c["type"], c["id"]) for c in newest_in_feed]
    assert {c.action for c in latest} == {"Created"}

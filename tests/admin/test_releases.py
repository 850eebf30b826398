"""Trade statistics releases in the admin: read as imported, withdrawn by giving a reason."""

import pytest

from tests.factories import import_release_file
from tracker.models import TradeRelease


@pytest.fixture
def release(db, tmp_path) -> TradeRelease:
    lines = ["2024-03,IND,RUS,import,,4000000000,USD,,,"]
    return import_release_file(tmp_path, "may-2024", lines)


def test_an_editor_withdraws_a_release_by_giving_its_reason(editor_client, release):
    url = f"/admin/tracker/traderelease/{release.pk}/change/"
    assert editor_client.get("/admin/tracker/traderelease/").status_code == 200
    page = editor_client.get(url)
    assert page.status_code == 200 and b"sha256" in page.content.lower()

    saved = editor_client.post(url, {"withdrawal_reason": "Replaced by the June release."})

    assert saved.status_code == 302
    release.refresh_from_db()
    assert release.is_withdrawn and release.withdrawal_reason.startswith("Replaced")
    assert [h.history_type for h in release.history.order_by("history_id")] == ["+", "~"]


def test_releases_are_neither_added_nor_deleted_in_the_admin(editor_client, release):
    assert editor_client.get("/admin/tracker/traderelease/add/").status_code == 403
    deleting = editor_client.get(f"/admin/tracker/traderelease/{release.pk}/delete/")
    assert deleting.status_code == 403


def test_a_viewer_reads_a_release_and_cannot_withdraw_it(viewer_client, release):
    url = f"/admin/tracker/traderelease/{release.pk}/change/"
    assert viewer_client.get(url).status_code == 200
    viewer_client.post(url, {"withdrawal_reason": "No."})
    release.refresh_from_db()
    assert not release.is_withdrawn

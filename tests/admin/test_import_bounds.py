"""The admin's import is bounded: bytes, rows, statement time; its uploads are the app's own.

A 200,000-row file once held a transaction for twelve minutes, and the confirmation step read
and deleted whatever file of the temporary folder the posted ``import_file_name`` named.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin.test_import_export import GOOD, GOOD_TOO, HEADERS, NO_CURRENCY, upload
from tracker import imports
from tracker.models import Delivery

pytestmark = pytest.mark.django_db

PROCESS = reverse("admin:tracker_delivery_process_import")


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.IMPORT_FOLDER = tmp_path / "imports"
    return settings.IMPORT_FOLDER


def waiting(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_file_of_more_rows_than_allowed_is_refused_before_any_row(
    editor_client, settings, uploads
):
    settings.IMPORT_MAX_ROWS = 2

    response = upload(editor_client, "\n".join([HEADERS, GOOD, GOOD_TOO, NO_CURRENCY]))

    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert "The file has 3 rows; an import takes at most 2: split it into smaller files." in html
    assert "Traceback" not in html
    assert not Delivery.objects.exists()
    assert waiting(uploads) == []


def test_a_file_larger_than_allowed_is_refused_unread(editor_client, settings, uploads):
    settings.IMPORT_MAX_BYTES = 100
    text = "\n".join([HEADERS, GOOD, GOOD_TOO])
    assert len(text.encode()) > 100

    response = upload(editor_client, text)

    assert response.context["form"].errors["import_file"] == [imports.too_large_message()]
    assert "100\xa0bytes" in imports.too_large_message()
    assert waiting(uploads) == []


def test_every_statement_of_an_import_is_bounded_in_time(editor_client, settings):
    settings.IMPORT_STATEMENT_TIMEOUT_SECONDS = 7
    with CaptureQueriesContext(connection) as queries:
        upload(editor_client, "\n".join([HEADERS, GOOD]))

    timeouts = [q["sql"] for q in queries if "statement_timeout" in q["sql"]]
    assert timeouts == ["SELECT set_config('statement_timeout', '7000', true)"]


def test_a_statement_beyond_the_timeout_is_cancelled_inside_an_import(settings):
    """The bound holds for the import's transaction, and only for it."""
    from django.db import OperationalError, transaction

    settings.IMPORT_STATEMENT_TIMEOUT_SECONDS = 0.05
    with pytest.raises(OperationalError), transaction.atomic():
        imports.limit_statement_time()
        connection.cursor().execute("SELECT pg_sleep(1)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_uploads_wait_under_a_name_of_the_apps_choosing_and_go_once_imported(
    editor_client, uploads
):
    preview = upload(editor_client, "\n".join([HEADERS, GOOD]), name="../../etc/passwd.csv")
    confirm = preview.context["confirm_form"].initial
    [name] = waiting(uploads)
    assert imports.FILE_NAME.fullmatch(name) and confirm["import_file_name"] == name

    assert editor_client.post(PROCESS, confirm).status_code == 302
    assert Delivery.objects.filter(slug="s-400").exists()
    assert waiting(uploads) == []


def test_a_failed_preview_leaves_no_upload_behind(editor_client, uploads, monkeypatch):
    saved = []
    save = imports.UploadStorage.save

    def spy(storage, data):
        save(storage, data)
        saved.append(storage.path())

    monkeypatch.setattr(imports.UploadStorage, "save", spy)

    response = upload(editor_client, "\n".join([HEADERS, GOOD, NO_CURRENCY]))

    assert response.context["result"].has_validation_errors()
    assert len(saved) == 1 and not saved[0].exists()
    assert waiting(uploads) == []


@pytest.mark.parametrize(
    "named",
    [
        "../../../etc/passwd",
        "passwd",
        "indoru-secret.csv",
        "0123456789abcdef0123456789abcdef.upload",
    ],
)
def test_a_confirmation_naming_another_file_is_refused_and_reads_nothing(
    editor_client, uploads, tmp_path, named
):
    preview = upload(editor_client, "\n".join([HEADERS, GOOD]))
    confirm = preview.context["confirm_form"].initial
    other = uploads / "indoru-secret.csv"
    other.write_text(f"{HEADERS}\n{GOOD_TOO}\n")

    response = editor_client.post(PROCESS, {**confirm, "import_file_name": named})

    assert response.status_code == 200
    assert response.context["confirm_form"].errors["import_file_name"] == [imports.UNKNOWN_FILE]
    assert other.exists(), "a file the app did not write is neither read nor removed"
    assert not Delivery.objects.exists()

"""Bounds on the admin's imports (django-import-export): size, rows, time, temporary files.

An import is previewed, then confirmed; between the two the upload waits in a temporary file.
Unbounded, a 200,000-row file held a transaction open for twelve minutes, and the
confirmation read (and deleted) whatever file of the temporary folder it named. So:

- a file larger than ``IMPORT_MAX_BYTES`` is refused before it is read, one of more than
  ``IMPORT_MAX_ROWS`` rows before any row is imported, each with a message saying the limit;
- every statement of an import stops after ``IMPORT_STATEMENT_TIMEOUT_SECONDS``
  (``statement_timeout``, local to the import's transaction);
- uploads wait in ``IMPORT_FOLDER``, a folder of the app's own, under a random name of the
  app's choosing; a confirmation naming anything else is refused, and the file is removed
  once the import ran, failed or was refused, and otherwise (a preview never confirmed)
  after ``IMPORT_FILE_MAX_AGE_SECONDS``.
"""

import os
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import filesizeformat
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import BaseStorage

#: The names the app gives uploads: nothing else is ever read from the folder.
FILE_NAME = re.compile(r"[0-9a-f]{32}\.upload")
UNKNOWN_FILE = "This import is unknown or has expired: upload the file again."


def too_large_message() -> str:
    return (
        f"The file is larger than {filesizeformat(settings.IMPORT_MAX_BYTES)}, the most an "
        "import takes: split it into smaller files."
    )


def too_many_rows_message(rows: int) -> str:
    return (
        f"The file has {rows:,} rows; an import takes at most {settings.IMPORT_MAX_ROWS:,}: "
        "split it into smaller files."
    )


def folder() -> Path:
    """``IMPORT_FOLDER``, made (readable by the app's user only) on first use."""
    path = Path(settings.IMPORT_FOLDER)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class UploadStorage(BaseStorage):
    """django-import-export's temporary storage (``IMPORT_EXPORT_TMP_STORAGE_CLASS``), in
    ``IMPORT_FOLDER`` under names of the app's choosing."""

    def save(self, data):
        remove_expired()
        self.name = f"{secrets.token_hex(16)}.upload"
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(self.path(), mode, encoding=None if mode == "wb" else self.encoding) as file:
            file.write(data)

    def read(self):
        with open(self.path(), self.read_mode, encoding=self.encoding) as file:
            return file.read()

    def remove(self):
        self.path().unlink(missing_ok=True)

    def path(self) -> Path:
        if not FILE_NAME.fullmatch(self.name or ""):
            raise ValueError(UNKNOWN_FILE)
        return folder() / self.name


def remove_expired() -> None:
    """Uploads whose preview was never confirmed, once they are older than allowed."""
    oldest = time.time() - settings.IMPORT_FILE_MAX_AGE_SECONDS
    for entry in os.scandir(folder()):
        if FILE_NAME.fullmatch(entry.name) and entry.stat().st_mtime < oldest:
            Path(entry.path).unlink(missing_ok=True)


class BoundedImportForm(ImportForm):
    """The upload form: a file above ``IMPORT_MAX_BYTES`` is refused unread."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload


class KnownUploadConfirmForm(ConfirmImportForm):
    """The confirmation: it may name only an upload of the app's, still waiting."""

    def clean_import_file_name(self):
        name = self.cleaned_data["import_file_name"]
        if not FILE_NAME.fullmatch(name) or not (folder() / name).is_file():
            raise forms.ValidationError(UNKNOWN_FILE, code="unknown_upload")
        return name


def check_rows(dataset) -> None:
    """Refuse a file of more than ``IMPORT_MAX_ROWS`` rows before any is imported."""
    if dataset.height > settings.IMPORT_MAX_ROWS:
        raise ValueError(too_many_rows_message(dataset.height))


def limit_statement_time() -> None:
    """``statement_timeout`` for the rest of the import's transaction (``set_config`` with
    ``is_local``: ``SET LOCAL`` takes no parameters)."""
    milliseconds = int(settings.IMPORT_STATEMENT_TIMEOUT_SECONDS * 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)])

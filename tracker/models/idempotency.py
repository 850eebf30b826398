"""The first answer to each API create sent with an ``Idempotency-Key`` (see
``tracker.api.idempotency``), kept so that a retry gets it again instead of a duplicate."""

from django.conf import settings
from django.db import models

from .base import CleanTextModel


class IdempotencyKey(CleanTextModel):
    """A user's key, the fingerprint of the request first sent with it, and its answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the method, path and body of the first request."
    )
    status = models.PositiveSmallIntegerField()
    body = models.TextField(help_text="The answer's JSON, as it was sent.")
    location = models.CharField(max_length=2000, blank=True)
    etag = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return self.key

"""Lookup tables that editors extend without a code change."""

from django.db import models

from .base import CleanTextModel
from .history import HistoricalRecords


class Party(CleanTextModel):
    """A state or a bloc that acts in the relationship: India, Russia, third parties, and blocs
    such as the Eurasian Economic Union, party to an agreement with India."""

    code = models.CharField(
        max_length=5,
        unique=True,
        help_text="A state's ISO 3166-1 alpha-3 code (IND), or a bloc's usual acronym (EAEU).",
    )
    name = models.CharField(max_length=100, unique=True)
    is_bloc = models.BooleanField(
        default=False, db_default=False, help_text="A union or grouping of states, not a state."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.name


class Sector(CleanTextModel):
    """Area of cooperation: defence, energy, nuclear, space, connectivity, fertiliser, …"""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

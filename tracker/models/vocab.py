"""Lookup tables that editors extend without a code change."""

from django.db import models

from .history import HistoricalRecords


class Party(models.Model):
    """A state (or bloc) that acts in the relationship: India, Russia, and third parties."""

    code = models.CharField(max_length=3, unique=True, help_text="ISO 3166-1 alpha-3, e.g. IND.")
    name = models.CharField(max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """Area of cooperation: defence, energy, nuclear, space, connectivity, fertiliser, …"""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

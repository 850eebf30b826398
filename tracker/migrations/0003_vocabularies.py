"""The starting vocabularies: the parties and sectors the sources speak of."""

from django.db import migrations

PARTIES = [
    ("IND", "India"),
    ("RUS", "Russia"),
    ("CHN", "China"),
    ("PAK", "Pakistan"),
    ("USA", "United States"),
    ("GBR", "United Kingdom"),
    ("FRA", "France"),
    ("DEU", "Germany"),
    ("UKR", "Ukraine"),
]
SECTORS = [
    ("defence", "Defence"),
    ("energy", "Energy"),
    ("nuclear", "Nuclear"),
    ("space", "Space"),
    ("connectivity", "Connectivity and transport"),
    ("fertiliser", "Fertiliser"),
    ("finance", "Finance and payments"),
    ("labour", "Labour and mobility"),
    ("pharma", "Pharmaceuticals"),
    ("trade", "Trade"),
    ("diplomacy", "Diplomacy"),
    ("technology", "Technology"),
    ("minerals", "Critical minerals"),
    ("food", "Food and agriculture"),
]


def add(apps, schema_editor):
    Party = apps.get_model("tracker", "Party")
    Sector = apps.get_model("tracker", "Sector")
    for code, name in PARTIES:
        Party.objects.get_or_create(code=code, defaults={"name": name})
    for slug, name in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("tracker", "Party").objects.filter(code__in=[c for c, _ in PARTIES]).delete()
    apps.get_model("tracker", "Sector").objects.filter(slug__in=[s for s, _ in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_cross_row_rules")]
    operations = [migrations.RunPython(add, remove)]

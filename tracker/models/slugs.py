"""Former slugs: a record keeps the addresses it had, so links to them still lead to it.

A record's URL holds its slug. When an editor renames the slug, a trigger on the record's
table keeps the old one in the record type's table of former slugs, whatever path made the
change (admin, API, import, a plain SQL ``UPDATE``); the API answers the old URL with 301 to
the current one. A slug taken up again by its record (renamed back) is no longer a former one;
one that another record takes is that record's (live slugs are looked up first).
"""

import pgtrigger
from django.db import models

from .base import CleanTextModel


def keeps_former_slugs(model_name: str) -> pgtrigger.Trigger:
    """The trigger that files a record's old slug in ``tracker_<model_name>formerslug``."""
    table = f"tracker_{model_name}formerslug"
    return pgtrigger.Trigger(
        name=f"{model_name}_former_slug",
        when=pgtrigger.After,
        operation=pgtrigger.UpdateOf("slug"),
        condition=pgtrigger.Condition("OLD.slug IS DISTINCT FROM NEW.slug"),
        func=f"""
  INSERT INTO {table} (slug, record_id, renamed_at) VALUES (OLD.slug, NEW.id, now())
    ON CONFLICT (slug) DO UPDATE SET record_id = EXCLUDED.record_id,
                                     renamed_at = EXCLUDED.renamed_at;
  DELETE FROM {table} WHERE slug = NEW.slug;
  RETURN NULL;""",
    )


class FormerSlug(CleanTextModel):
    slug = models.SlugField(max_length=120, unique=True)
    renamed_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.slug


def former_slug(model: str) -> models.ForeignKey:
    return models.ForeignKey(model, on_delete=models.CASCADE, related_name="former_slugs")


class AgreementFormerSlug(FormerSlug):
    record = former_slug("tracker.Agreement")


class DeliveryFormerSlug(FormerSlug):
    record = former_slug("tracker.Delivery")


class TradeRecordFormerSlug(FormerSlug):
    record = former_slug("tracker.TradeRecord")


class IssueFormerSlug(FormerSlug):
    record = former_slug("tracker.Issue")


class SourceFormerSlug(FormerSlug):
    record = former_slug("tracker.Source")

"""Forms and formsets with the rules that span an inline's rows.

Per-row rules live on the models (``clean()`` and constraints) and show on the field they
concern; the rules here need all rows of an inline at once, which only the formset sees.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

from ..models import Citation, Source, TimelineEvent
from ..models.deliveries import more_than_ordered, too_many
from ..services import sources as source_texts


class TrancheFormSet(BaseInlineFormSet):
    """Refuses tranches that add up to more than the delivery's quantity ordered.

    The parent's quantity is read from ``self.instance``, which the admin has already updated
    from the parent form, so changing both on one page is checked against the new values.
    """

    def clean(self):
        super().clean()
        ordered = self.instance.quantity_ordered
        rows = [
            form
            for form in self.forms
            if form.cleaned_data.get("quantity") is not None
            and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]
        total = sum(form.cleaned_data["quantity"] for form in rows)
        if not more_than_ordered(total, ordered):
            return
        message = too_many(total, ordered)
        rows[-1].add_error("quantity", message)
        raise ValidationError(f"Quantity: {message}", code="more_than_ordered")


class EventForm(forms.ModelForm):
    """A timeline event, with an optional source and quote that become its citation.

    An editor records "Duma ratified RELOS on 2025-12-01, source X, quote Y" in one row: the
    event and the citation that supports it are saved together.
    """

    cite_source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        label="Add a source",
        widget=AutocompleteSelect(Citation._meta.get_field("source"), admin.site),
    )
    cite_quote = forms.CharField(
        required=False,
        label="Quote",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text="Verbatim words from that source that support this event: saved as a new "
        "citation of it.",
    )

    class Meta:
        model = TimelineEvent
        fields = (
            "kind",
            "date",
            "precision",
            "date_is_estimate",
            "title",
            "is_planned",
            "description",
            "party",
            "body",
            "old_date",
            "old_precision",
            "new_date",
            "new_precision",
        )

    def clean(self):
        cleaned = super().clean()
        source, quote = cleaned.get("cite_source"), (cleaned.get("cite_quote") or "").strip()
        if source and not quote:
            self.add_error("cite_quote", "Give the quote from this source that supports it.")
        elif quote and not source:
            self.add_error("cite_source", "Name the source of this quote.")
        elif source:
            try:
                Citation(source=source, quote=quote).clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(f"cite_{name}" if name == "source" else "cite_quote", messages)
        return cleaned

    def save(self, commit=True):
        event = super().save(commit)
        source = self.cleaned_data.get("cite_source")
        if commit and source:
            Citation.objects.create(
                event=event, source=source, quote=self.cleaned_data["cite_quote"].strip()
            )
        return event


class SourceForm(forms.ModelForm):
    """A source, and a new version of its archived text: pasted, or extracted from a file
    (plain text, HTML, PDF). The text is checked here, before anything is saved: it must hold
    every quote already cited from the source (``services.sources``)."""

    paste_text = forms.CharField(
        required=False,
        strip=False,
        label="Paste its text",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="The article's text, archived as a new version of the source's text.",
    )
    upload = forms.FileField(
        required=False,
        label="or upload a file",
        help_text="Plain text, HTML (the article's text is kept, menus and footers dropped) or "
        "PDF.",
    )

    class Meta:
        model = Source
        fields = [
            "title",
            "slug",
            "publisher",
            "author",
            "url",
            "published_on",
            "published_precision",
            "no_archived_text",
            "archive_name",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        pasted, upload = cleaned.get("paste_text", "").strip(), cleaned.get("upload")
        self.extracted = None
        if pasted and upload:
            self.add_error("upload", "Paste the text or upload a file, not both.")
            return cleaned
        name = "upload" if upload else "paste_text"
        try:
            if upload:
                self.extracted = source_texts.extract(
                    upload.read(), file_name=upload.name, content_type=upload.content_type or ""
                )
            elif pasted:
                self.extracted = source_texts.pasted(cleaned["paste_text"])
        except ValidationError as error:
            self.add_error(name, error)
            return cleaned
        if self.extracted is None:
            return cleaned
        if cleaned.get("no_archived_text"):
            self.add_error("no_archived_text", "Leave it unchecked: this source has a text now.")
        else:
            missing = source_texts.quotes_missing(self.instance, self.extracted.text)
            if missing:
                self.add_error(name, missing)
        return cleaned

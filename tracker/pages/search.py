"""One search box over titles, summaries and quotes (``tracker.selectors.search``)."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from ..selectors.search import search
from ..text import has_control_characters
from .access import public_page

#: What each kind of hit is called on the page, in the order the page lists them.
KINDS = {
    "agreement": "Agreements",
    "delivery": "Deliveries",
    "issue": "Issues",
    "trade_record": "Trade records",
    "source": "Sources",
    "quote": "Quotes",
}


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)

    def clean_q(self):
        terms = self.cleaned_data["q"]
        if has_control_characters(terms):
            raise forms.ValidationError("Remove the control characters from the search.")
        return terms


@public_page
def search_page(request):
    form = SearchForm(request.GET)
    context = {**admin.site.each_context(request), "title": "Search", "form": form, "hits": None}
    if not form.is_valid():
        return TemplateResponse(request, "tracker/pages/search.html", context, status=400)
    terms = form.cleaned_data["q"]
    context["search_terms"] = terms
    if terms:
        found = search(terms)
        context["hits"] = [(kind, label, found[kind]) for kind, label in KINDS.items()]
        context["found"] = sum(len(hits) for hits in found.values())
    return TemplateResponse(request, "tracker/pages/search.html", context)

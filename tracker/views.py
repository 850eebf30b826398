"""The site's front page: where editors and programs go from here."""

from django.contrib import admin
from django.template.response import TemplateResponse


def home(request):
    """Links to the dashboard, the admin and the API; public, and it reads no records."""
    context = {**admin.site.each_context(request), "title": "India–Russia relations tracker"}
    return TemplateResponse(request, "tracker/home.html", context)

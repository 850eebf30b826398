from django.contrib import admin
from django.urls import include, path

from tracker.admin.dashboard import dashboard_view
from tracker.views import home

from . import health

urlpatterns = [
    path("", home, name="home"),
    path("admin/dashboard/", admin.site.admin_view(dashboard_view), name="admin-dashboard"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tracker.api.urls")),
    path("", include("tracker.pages.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
]

# Errors outside the API's views: a problem (JSON) under /api/, Django's pages elsewhere.
handler400 = "tracker.api.exceptions.bad_request"
handler500 = "tracker.api.exceptions.server_error"

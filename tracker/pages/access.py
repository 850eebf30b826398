"""Who may read the pages: anyone, or only signed-in staff when ``PUBLIC_PAGES`` is off."""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


def public_page(view):
    """Serve ``view`` to anyone while ``settings.PUBLIC_PAGES`` is on; otherwise send a
    visitor who is not signed-in staff to the admin's login, and back here after it."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not settings.PUBLIC_PAGES and not (user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped

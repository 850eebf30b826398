"""Cross-origin access (CORS, by django-cors-headers): reads from any origin, writes only from
the origins in ``CORS_WRITE_ORIGINS``.

django-cors-headers allows an origin for every method or for none. Its ``CORS_ALLOWED_ORIGINS``
holds the writing origins; a read — ``GET``, ``HEAD``, or a preflight (``OPTIONS``) asking
only to read — is allowed from anywhere through its ``check_request_enabled`` signal. A
browser then refuses a write from any other origin at the preflight, which every write needs
(its body is JSON, and a token is sent in ``Authorization``).
"""

from corsheaders.signals import check_request_enabled
from django.dispatch import receiver

READ_METHODS = frozenset({"GET", "HEAD"})
API_PREFIX = "/api/"


def is_read(request) -> bool:
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Method", "GET")
        return asked.upper() in READ_METHODS
    return request.method in READ_METHODS


@receiver(check_request_enabled)
def allow_reads_from_any_origin(sender, request, **kwargs) -> bool:
    return request.path_info.startswith(API_PREFIX) and is_read(request)

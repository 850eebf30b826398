"""Public pages: every record readable in a browser without an account.

Server-rendered templates over the same selectors and filters as the API, read-only; open to
anyone unless ``PUBLIC_PAGES`` is off (then to signed-in staff only).
"""

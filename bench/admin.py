"""The admin at scale, in-process: each page's time and its slowest statements.

    .venv/bin/python bench/admin.py                       # the pages below, on indoru_bench
    .venv/bin/python bench/admin.py --database-url URL "/admin/tracker/issue/?q=rupee"

Pages are fetched with Django's test client as a superuser made for the purpose
(``bench-admin``): no server and no network, so each figure is the page's own work (its
statements and its rendering). Each page is fetched ``--repeat`` times and the best time is
kept, with the number of statements and the slowest ones. The default database is the data set
that ``bench/run.py`` leaves (``indoru_bench``).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: The pickers of a citation's foreign keys (the admin's autocomplete), by field name.
CITATION_PICKER = "/admin/autocomplete/?app_label=tracker&model_name=citation&field_name="
PAGES = [
    "/admin/tracker/traderecord/",
    "/admin/tracker/timelineevent/",
    "/admin/tracker/delivery/",
    "/admin/tracker/agreement/",
    "/admin/tracker/issue/",
    "/admin/tracker/citation/",
    "/admin/tracker/source/",
    "/admin/tracker/traderecord/?q=coffee",
    "/admin/tracker/traderecord/?q=2024-03",
    "/admin/tracker/traderecord/?q=ind",
    "/admin/tracker/traderecord/?q=usd",
    "/admin/tracker/timelineevent/?q=delivered",
    "/admin/tracker/source/?q=sipri",
    "/admin/tracker/source/?q=release",
    "/admin/tracker/delivery/?q=s",
    "/admin/tracker/citation/?q=coffee",
    f"{CITATION_PICKER}source&term=sipri",
    f"{CITATION_PICKER}trade_record&term=ind",
]


def timed_page(client, connection, url: str) -> tuple[float, list[tuple[float, str]]]:
    """(seconds, statements as (seconds, SQL)) of one fetch of ``url``."""
    statements = []

    def timed_statement(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(timed_statement):
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return seconds, statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/indoru_bench")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--slowest", type=int, default=0, help="statements shown per page")
    parser.add_argument("pages", nargs="*", default=PAGES)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indoru.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's responses, without a test database
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    print(f"{'ms':>8} {'statements':>10}  page")
    for url in args.pages:
        seconds, statements = min(
            (timed_page(client, connection, url) for _ in range(args.repeat)),
            key=lambda fetch: fetch[0],
        )
        print(f"{seconds * 1000:8.0f} {len(statements):10d}  {url}")
        for took, sql in sorted(statements, reverse=True)[: args.slowest]:
            print(f"{'':8} {took * 1000:8.0f} ms  {sql[:160]}")


if __name__ == "__main__":
    main()

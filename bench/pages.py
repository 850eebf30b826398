"""The public pages at scale against the same pages on the curated data, in the same run.

Each page is loaded by ``wrk`` on the app serving the generated data set and on the app
serving the curated data set (about 350 rows), ``--repeat`` times, the two taking turns; the
figure is the ratio of the median runs' p50 latencies (scale / curated). A page whose cost grew
with the data (a count of every row, a sort of a whole table, a query per row) shows here as a
ratio far above 1; the target is at most 3.
"""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import psycopg

from bench import servers
from tracker.links import PAGE_SEGMENTS

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 3.0
CURATED_DATABASE = "indoru_bench_curated"
#: A search that finds rows on both sides, and the timeline of the acceptance story.
SEARCH = "missile"
TIMELINE = "sector=defence&date_from=2025-01-01&date_to=2025-12-31"
#: A record of each type on the curated side (the ones the front page and the story show).
CURATED_KEYS = {
    "agreement": "relos",
    "delivery": "s-400-triumf",
    "issue": "indian-nationals-in-russian-army",
    "source": "rebalancing-relations-2025",
}
#: The same tables, by record type, for picking a record with the most events at scale.
TABLES = {
    "agreement": "tracker_agreement",
    "delivery": "tracker_delivery",
    "trade_record": "tracker_traderecord",
    "issue": "tracker_issue",
    "source": "tracker_source",
}


def curated_database(pg: str) -> str:
    """A fresh database with the curated data set, beside the generated one."""
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{CURATED_DATABASE}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{CURATED_DATABASE}"')
    url = f"{pg}/{CURATED_DATABASE}"
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    for command in (["migrate", "-v0"], ["load_curated"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return url


def busiest(database_url: str, record_type: str) -> str:
    """The slug of the record of this type with the longest timeline (for a source: the most
    citations), so that the page at scale is the heaviest of its kind."""
    table = TABLES[record_type]
    if record_type == "source":
        rows, column = "tracker_citation", "source_id"
    else:
        rows, column = "tracker_timelineevent", f"{record_type}_id"
    with psycopg.connect(database_url) as connection:
        found = connection.execute(
            f"SELECT r.slug FROM {table} r JOIN (SELECT {column} AS id, count(*) AS n "
            f"FROM {rows} WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY n DESC "
            f"LIMIT 1) busy USING (id)"
        ).fetchone()
        if found is None:
            found = connection.execute(f"SELECT slug FROM {table} ORDER BY id LIMIT 1").fetchone()
    return found[0]


def page_paths(scale_url: str, curated_url: str) -> dict[str, tuple[str, str]]:
    """Name → (path at scale, path on the curated data): the same page, with a record of the
    same type where the page shows one."""
    paths = {
        "front page": ("/", "/"),
        "deliveries board": ("/deliveries/board/", "/deliveries/board/"),
        "timeline": ("/timeline/", "/timeline/"),
        "timeline, defence in 2025": (f"/timeline/?{TIMELINE}",) * 2,
        "search": (f"/search/?q={SEARCH}",) * 2,
        "late deliveries": ("/deliveries/?late=true&ordering=-slippage",) * 2,
    }
    for record_type, segment in PAGE_SEGMENTS.items():
        paths[f"{segment} list"] = (f"/{segment}/",) * 2
        curated = CURATED_KEYS.get(record_type) or busiest(curated_url, record_type)
        paths[f"{record_type.replace('_', ' ')} page"] = (
            f"/{segment}/{busiest(scale_url, record_type)}/",
            f"/{segment}/{curated}/",
        )
    return paths


def warm(url: str) -> None:
    """One request, answered with 200, before the page is measured."""
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()


def median_p50(runs: list[dict]) -> float | None:
    """The median run's p50; ``None`` if a run completed no request (wrk gives none)."""
    p50s = [run["p50_ms"] for run in runs]
    return None if None in p50s else sorted(p50s)[len(p50s) // 2]


def load_pages(scale_url: str, curated_url: str, workers: int, args) -> dict:
    """Every page on both sides, ``args.repeat`` times taking turns: each side's median p50
    and the ratio scale / curated."""
    results = {}
    scale_server, scale_base = servers.app_server(scale_url, workers)
    curated_server, curated_base = servers.app_server(curated_url, workers)
    with scale_server, curated_server:
        for name, (scale_path, curated_path) in page_paths(scale_url, curated_url).items():
            urls = {"scale": scale_base + scale_path, "curated": curated_base + curated_path}
            runs = {side: [] for side in urls}
            for url in urls.values():
                warm(url)
            for _ in range(args.repeat):
                for side, url in urls.items():
                    runs[side].append(servers.wrk(url, args.connections, args.duration))
            p50 = {side: median_p50(side_runs) for side, side_runs in runs.items()}
            measured = all(p50.values())
            errors = sum(run["errors"] for side_runs in runs.values() for run in side_runs)
            results[name] = {
                "paths": {"scale": scale_path, "curated": curated_path},
                "p50_ms": p50,
                "ratio": round(p50["scale"] / p50["curated"], 2) if measured else None,
                "errors": errors,
            }
    return results


def table(pages: dict) -> list[str]:
    lines = [
        "Pages: p50 latency (ms) at scale and on the curated data, in the same run",
        f"{'page':<28}{'scale':>9}{'curated':>9}{'ratio':>8}",
    ]
    for name, result in pages.items():
        scale, curated = (result["p50_ms"][side] or 0.0 for side in ("scale", "curated"))
        ratio = f"{result['ratio']:>7.2f}×" if result["ratio"] is not None else "    n/a"
        lines.append(f"{name:<28}{scale:>9.1f}{curated:>9.1f}{ratio}")
    return lines


def targets(pages: dict) -> dict[str, tuple[bool, str]]:
    """The target, missed by a page above it or by one that completed no request in a run."""
    name = f"every page ≤ {TARGET_RATIO:g} × its p50 on the curated data"
    unmeasured = [page for page, result in pages.items() if result["ratio"] is None]
    if unmeasured:
        return {name: (False, f"not measured: {', '.join(unmeasured)}")}
    worst_name, worst = max(((page, r["ratio"]) for page, r in pages.items()), key=lambda x: x[1])
    return {name: (worst <= TARGET_RATIO, f"worst {worst:.2f}, {worst_name}")}

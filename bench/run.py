#!/usr/bin/env python3
"""The benchmark suite, on PostgreSQL: imports, the API under load, deep pages, bulk downloads,
the public pages at scale against the curated data, an article's proposals.

    .venv/bin/python bench/run.py              # scale 1: 1,000,000 trade rows, 500,000 events
    .venv/bin/python bench/run.py --smoke      # a tiny scale, to check that everything runs
    .venv/bin/python bench/run.py --baseline REV   # and the app at REV, taking turns with it

Prints a table of every figure and its target, and writes it as JSON to
``bench/results/latest.json``. Missing a target does not fail the run; an error does.
See bench/README.md for what each figure means.
"""

import argparse
import base64
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import pages, servers  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
RESULTS = ROOT / "bench" / "results"
TIMELINE_QUERY = {"date_from": "2010-01-01", "date_to": "2014-12-31", "kind": "meeting"}
TARGETS = {
    "import_ratio": 0.5,
    "rps_ratio": 0.5,
    "baseline_ratio": 0.8,
    "deep_page_ratio": 1.5,
    "official_summary_ratio": 2.0,
    "export_peak_mb": 250,
    "dump_peak_mb": 250,
    "proposals_s": 2.0,
}


def endpoints(delivery: str) -> dict[str, tuple[str, str]]:
    """Name → (path on the app, path on the raw app): the same query on both."""
    timeline = urlencode(TIMELINE_QUERY)
    return {
        "deliveries (page of 100)": ("/api/v1/deliveries/?page_size=100", "/deliveries"),
        "delivery timeline": (
            f"/api/v1/deliveries/{delivery}/timeline/?page_size=100",
            f"/delivery-timeline?slug={delivery}",
        ),
        "timeline, dates + kind": (
            f"/api/v1/timeline/?{timeline}&page_size=100",
            f"/timeline?{timeline}",
        ),
        "trade summary": ("/api/v1/trade-records/summary/", "/summary"),
        "changes feed": ("/api/v1/changes/", "/changes"),
    }


# --- set-up -----------------------------------------------------------------------------------


def fresh_database(name: str) -> str:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def load_dataset(scale: float, reuse: bool) -> tuple[str, float | None]:
    """The data set's database, generated at ``scale`` unless reused. The database is
    labelled with its scale, so that a reuse never measures another scale's data set (a
    smoke run, CI's among them, replaces it)."""
    label = f"indoru data set, scale {scale}, seed 1"
    if reuse:
        found = database_label("indoru_bench")
        if found != label:
            raise SystemExit(
                f"--reuse: indoru_bench holds {found or 'no labelled data set'}, not the {label}; "
                "run without --reuse."
            )
        return f"{PG}/indoru_bench", None
    url = fresh_database("indoru_bench")
    manage(url, "migrate", "-v0")
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    generate = [sys.executable, "bench/generate.py", f"--scale={scale}", "--seed=1"]
    subprocess.run(generate, cwd=ROOT, env=env, check=True)
    seconds = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute(
            sql.SQL("COMMENT ON DATABASE indoru_bench IS {}").format(sql.Literal(label))
        )
    return url, seconds


def proposals_benchmark(database_url: str) -> dict:
    """``bench/proposals.py`` on the data set: a 2,000-word article saved, its proposals
    stored."""
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "bench/proposals.py", f"--database-url={database_url}"]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def database_label(name: str) -> str | None:
    with psycopg.connect(f"{PG}/postgres") as server:
        found = server.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return found and found[0]


def run_imports(rows: int, repeat: int, reuse: bool) -> dict:
    # One file per size, so that a reuse reads the figures of the same number of rows.
    output = RESULTS / f"imports-{rows}.json"
    if reuse and not output.exists():
        raise SystemExit(f"--reuse: no import figures for {rows:,} rows; run without --reuse.")
    if not reuse:
        run_import_script(output, rows, repeat)
    results = json.loads(output.read_text())
    raw = results["raw_copy"]["rows_per_second"]
    for name in results.keys() - {"raw_copy"}:
        results[name]["ratio_to_raw_copy"] = round(results[name]["rows_per_second"] / raw, 3)
    return results


def run_import_script(output: Path, rows: int, repeat: int) -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "imports.py"),
        f"--database-url={PG}/indoru_bench_import",
        f"--rows={rows}",
        f"--repeat={repeat}",
        f"--output={output}",
    ]
    subprocess.run(command, cwd=ROOT, check=True)


# --- HTTP ------------------------------------------------------------------------------------


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def load_endpoints(bases: dict[str, str], paths: dict, pids: dict[str, int], args) -> dict:
    """Each endpoint on each side (the app, the raw app, and the app at ``--baseline`` if
    given), ``--repeat`` times, taking turns.

    Runs on a shared machine drift by up to ±25 % from one to the next; taking turns spreads any
    drift over every side, and each side reports its median run (requests/s with that run's
    latencies and CPU time). ``bases`` and ``pids`` hold each side's URL and server process.
    """
    results = {}
    for name, (app_path, raw_path) in paths.items():
        urls = {
            side: base + (raw_path if side == "raw" else app_path) for side, base in bases.items()
        }
        for url in urls.values():
            get(url)  # every side answers, and is warm
        runs = {side: [] for side in urls}
        for _ in range(args.repeat):
            for side, url in urls.items():
                runs[side].append(timed_load(url, pids[side], args))
        measured = {side: median_run(side_runs) for side, side_runs in runs.items()}
        measured["errors"] = sum(run["errors"] for side_runs in runs.values() for run in side_runs)
        app_rps = measured["app"]["requests_per_second"]
        for ratio, side in (("ratio", "raw"), ("baseline_ratio", "baseline")):
            other = measured[side]["requests_per_second"] if side in measured else 0
            measured[ratio] = round(app_rps / other, 3) if other else None
        measured["runs"] = runs
        results[name] = measured
    return results


def timed_load(url: str, server_pid: int, args) -> dict:
    """A wrk run, with the CPU time each request cost the server and PostgreSQL (ms).

    Requests/s say how much slower the app is; the CPU time says where: in the app's own
    processes, or in PostgreSQL (where a statement of the app's costs more than the raw
    app's). On a shared machine both move with the machine's speed, by up to ±25 %.
    """

    def cpu() -> tuple[float, float]:
        # Looked up anew each time: a worker that gunicorn recycles leaves its time with the
        # master, and its successor counts from its start.
        server, database = servers.process_tree(server_pid), servers.postgres_pids()
        return servers.cpu_seconds(server), servers.cpu_seconds(database)

    before = cpu()
    run = servers.wrk(url, args.connections, args.duration)
    after = cpu()
    requests = max(run["requests"], 1)
    run["server_cpu_ms"] = round((after[0] - before[0]) * 1000 / requests, 3)
    run["database_cpu_ms"] = round((after[1] - before[1]) * 1000 / requests, 3)
    return run


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda run: run["requests_per_second"])[len(runs) // 2]


def deep_cursor(position: str) -> str:
    """A timeline cursor that starts at ``position`` (a date), in DRF's cursor format."""
    return base64.b64encode(urlencode({"p": position}).encode()).decode()


def deep_page(app: str, database_url: str, args) -> dict:
    """Latency of the first page of the merged timeline and of a page in its middle."""
    with psycopg.connect(database_url) as connection:
        middle = connection.execute(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY date) FROM tracker_timelineevent"
        ).fetchone()[0]
    first = f"{app}/api/v1/timeline/?page_size=100"
    deep = f"{first}&{urlencode({'cursor': deep_cursor(str(middle))})}"
    page = json.loads(get(deep))
    if not page["results"] or page["results"][0]["date"]["date"] < str(middle):
        raise RuntimeError("The deep cursor did not land in the middle of the timeline.")
    seconds = max(1, args.duration // 2)
    timings = {"first": servers.wrk(first, 1, seconds), "deep": servers.wrk(deep, 1, seconds)}
    timings["deep_position"] = str(middle)
    timings["ratio"] = round(timings["deep"]["p50_ms"] / timings["first"]["p50_ms"], 3)
    return timings


#: The synthetic data's official releases cover 2020–2024; claims alone cover 2015–2019.
SUMMARY_PERIODS = {
    "released": {"period_from": "2020-01-01", "period_to": "2024-12-31"},
    "claimed": {"period_from": "2015-01-01", "period_to": "2019-12-31"},
}


def official_summary(app: str, args) -> dict:
    """Latency of the trade summary of five years covered by official releases (and claims)
    against five years with claims only."""
    seconds = max(1, args.duration // 2)
    timings = {
        name: servers.wrk(f"{app}/api/v1/trade-records/summary/?{urlencode(query)}", 1, seconds)
        for name, query in SUMMARY_PERIODS.items()
    }
    timings["ratio"] = round(timings["released"]["p50_ms"] / timings["claimed"]["p50_ms"], 3)
    return timings


class MemoryWatch(threading.Thread):
    """Samples the resident memory of a server's processes until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_worker_mb, self.peak_total_mb = pid, 0.0, 0.0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            sizes = [servers.rss_mb(pid) for pid in servers.process_tree(self.pid)]
            self.peak_worker_mb = max(self.peak_worker_mb, max(sizes[1:], default=0.0))
            self.peak_total_mb = max(self.peak_total_mb, sum(sizes))
            self.stopped.wait(0.1)


EXPORT_PATH = "/api/v1/trade-records/export.csv"


def csv_export(app: str, server_pid: int, rows: int, budget: float) -> dict:
    """Export every trade record as CSV through the API, watching the server's memory.

    Uses the streaming export where the API has one, else the CSV pages of the list (a page
    of 500 at a time), stopping after ``budget`` seconds.
    """

    def export() -> tuple[int, str]:
        try:
            return stream_export(app + EXPORT_PATH), "streaming export"
        except urllib.error.HTTPError:
            return paged_export(app, time.perf_counter() + budget), "CSV pages of 500"

    (exported, how), figures = watching_memory(server_pid, export)
    return {
        "method": how,
        "rows": exported,
        "of_rows": rows,
        **figures,
        "rows_per_second": round(exported / figures["seconds"]),
    }


def watching_memory(server_pid: int, download) -> tuple:
    """What ``download()`` returns, and its time and the server's peak memory meanwhile."""
    watch = MemoryWatch(server_pid)
    watch.start()
    started = time.perf_counter()
    try:
        result = download()
    finally:
        seconds = time.perf_counter() - started
        watch.stopped.set()
        watch.join()
    return result, {
        "seconds": round(seconds, 2),
        "peak_worker_mb": round(watch.peak_worker_mb, 1),
        "peak_server_total_mb": round(watch.peak_total_mb, 1),
    }


DUMP_PATH = "/api/v1/dump.ndjson"
#: The rows that are one line each of the dump, after its header.
DUMP_LINES_SQL = """
SELECT (SELECT count(*) FROM tracker_agreement) + (SELECT count(*) FROM tracker_delivery)
     + (SELECT count(*) FROM tracker_traderecord) + (SELECT count(*) FROM tracker_issue)
     + (SELECT count(*) FROM tracker_source)
     + (SELECT count(*) FROM tracker_timelineevent WHERE agreement_id IS NULL
        AND delivery_id IS NULL AND trade_record_id IS NULL AND issue_id IS NULL)
"""


def ndjson_dump(app: str, server_pid: int, records: int) -> dict:
    """Download the whole NDJSON dump (every record with its events and citations) through the
    API, a client reading it as it streams, watching the server's memory."""
    lines, figures = watching_memory(server_pid, lambda: stream_export(app + DUMP_PATH))
    return {
        "lines": lines,
        "of_records": records,
        **figures,
        "lines_per_second": round(lines / figures["seconds"]),
    }


def stream_export(url: str) -> int:
    """The lines of a streamed download after its first (a header), read as they come."""
    lines = 0
    with urllib.request.urlopen(url, timeout=600) as response:
        for _ in response:
            lines += 1
    return lines - 1


def paged_export(app: str, deadline: float) -> int:
    exported, page = 0, 1
    while time.perf_counter() < deadline:
        url = f"{app}/api/v1/trade-records/?format=csv&page_size=500&page={page}"
        try:
            body = get(url)
        except urllib.error.HTTPError as error:
            if error.code == 404:  # past the last page
                return exported
            raise
        exported += max(0, body.count(b"\n") - 1)
        page += 1
    return exported


@contextmanager
def checkout(revision: str):
    """A detached worktree of ``revision`` in a temporary folder outside the repository, removed
    afterwards. It runs with this checkout's virtual environment."""
    folder = Path(tempfile.mkdtemp(prefix="indoru-baseline-"))
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(folder), revision], check=True)
    try:
        yield folder
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(folder)], check=True)


def http_benchmarks(database_url: str, args) -> dict:
    servers.ensure_wrk()
    workers = 2 * (os.cpu_count() or 1) + 1
    with ExitStack() as stack:
        sides = {
            "app": servers.app_server(database_url, workers),
            "raw": servers.raw_server(database_url, workers),
        }
        if args.baseline:
            root = stack.enter_context(checkout(args.baseline))
            sides["baseline"] = servers.app_server(database_url, workers, root)
        pids = {side: stack.enter_context(context).pid for side, (context, _) in sides.items()}
        bases = {side: base for side, (_, base) in sides.items()}
        app = bases["app"]
        results = {
            "workers": workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "repeat": args.repeat,
            "baseline": args.baseline,
            "endpoints": load_endpoints(bases, endpoints("syn-delivery-1"), pids, args),
            "deep_page": deep_page(app, database_url, args),
            "official_summary": official_summary(app, args),
        }
        with psycopg.connect(database_url) as connection:
            rows = connection.execute("SELECT count(*) FROM tracker_traderecord").fetchone()[0]
            records = connection.execute(DUMP_LINES_SQL).fetchone()[0]
        results["csv_export"] = csv_export(app, pids["app"], rows, args.export_budget)
        results["ndjson_dump"] = ndjson_dump(app, pids["app"], records)
    curated = pages.curated_database(PG)
    results["pages"] = pages.load_pages(database_url, curated, workers, args)
    return results


# --- report ------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def cpu_table(endpoints: dict) -> list[str]:
    """CPU time per request of each side's median run: its server's, then PostgreSQL's."""
    lines = [
        "CPU time per request (ms), in the median runs: the server's processes, PostgreSQL's",
        f"{'endpoint':<28}{'app':>10}{'app db':>8}{'raw':>10}{'raw db':>8}{'app server / raw':>18}",
    ]
    for name, result in endpoints.items():
        app, raw = result["app"], result["raw"]
        times = raw["server_cpu_ms"] and app["server_cpu_ms"] / raw["server_cpu_ms"]
        lines.append(
            f"{name:<28}{app['server_cpu_ms']:>10.2f}{app['database_cpu_ms']:>8.2f}"
            f"{raw['server_cpu_ms']:>10.2f}{raw['database_cpu_ms']:>8.2f}{times:>17.2f}×"
        )
    return lines


def baseline_table(revision: str, endpoints: dict) -> list[str]:
    """The app against the app at ``--baseline``, in the same runs."""
    lines = [
        f"The app at {revision} (baseline), in the same runs",
        f"{'endpoint':<28}{'app req/s':>10}{'base req/s':>11}{'p50':>8}{'p99':>8}"
        f"{'app/base':>9}{'base/raw':>9}",
    ]
    for name, result in endpoints.items():
        app, base, raw = result["app"], result["baseline"], result["raw"]
        raw_rps = raw["requests_per_second"]
        base_raw = raw_rps and base["requests_per_second"] / raw_rps
        lines.append(
            f"{name:<28}{app['requests_per_second']:>10.0f}{base['requests_per_second']:>11.0f}"
            f"{base['p50_ms']:>8.1f}{base['p99_ms']:>8.1f}{result['baseline_ratio'] or 0:>9.3f}"
            f"{base_raw:>9.3f}"
        )
    return lines


def table(report: dict) -> str:
    generated = report["generate_dataset_s"]
    lines = [
        f"indoru benchmarks — scale {report['scale']}, {report['machine']}",
        f"data set: {f'generated in {generated:.0f} s' if generated else 'reused'}",
        "",
    ]
    imports = report["imports"]
    lines.append(f"{'import (rows)':<34}{'rows':>10}{'s':>9}{'rows/s':>10}{'× raw':>8}")
    for name, result in imports.items():
        ratio = result.get("ratio_to_raw_copy", 1.0)
        lines.append(
            f"{name:<34}{result['rows']:>10,}{result['seconds']:>9.1f}"
            f"{result['rows_per_second']:>10,}{ratio:>8.3f}"
        )
    steps = imports["import_trade"]["steps"]
    lines += ["", "import_trade steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items())]
    http = report["http"]
    lines += [
        "",
        f"HTTP: {http['workers']} workers each, wrk {http['connections']} connections, "
        f"{http['duration_s']} s per run, median of {http['repeat']} (the sides take turns)",
        f"{'endpoint':<28}{'app req/s':>10}{'p50':>8}{'p99':>8}"
        f"{'raw req/s':>10}{'p50':>8}{'p99':>8}{'app/raw':>9}",
    ]
    for name, result in http["endpoints"].items():
        app, raw = result["app"], result["raw"]
        lines.append(
            f"{name:<28}{app['requests_per_second']:>10.0f}{app['p50_ms']:>8.1f}"
            f"{app['p99_ms']:>8.1f}{raw['requests_per_second']:>10.0f}{raw['p50_ms']:>8.1f}"
            f"{raw['p99_ms']:>8.1f}{result['ratio'] or 0:>9.3f}"
        )
    if http.get("baseline"):
        lines += ["", *baseline_table(http["baseline"], http["endpoints"])]
    lines += ["", *cpu_table(http["endpoints"])]
    deep = http["deep_page"]
    export, dump = http["csv_export"], http["ndjson_dump"]
    summary = http["official_summary"]
    lines += [
        "",
        f"trade summary of 2020–24 (official releases and claims): p50 "
        f"{summary['released']['p50_ms']:.1f} ms vs 2015–19 (claims only) "
        f"{summary['claimed']['p50_ms']:.1f} ms = {summary['ratio']:.2f}×",
        f"deep timeline page (from {deep['deep_position']}): p50 {deep['deep']['p50_ms']:.1f} ms "
        f"vs first page {deep['first']['p50_ms']:.1f} ms = {deep['ratio']:.2f}×",
        f"CSV export ({export['method']}): {export['rows']:,} of {export['of_rows']:,} rows in "
        f"{export['seconds']:.1f} s; peak worker memory {export['peak_worker_mb']:.0f} MB "
        f"(server total {export['peak_server_total_mb']:.0f} MB)",
        f"NDJSON dump: {dump['lines']:,} of {dump['of_records']:,} records in "
        f"{dump['seconds']:.1f} s; peak worker memory {dump['peak_worker_mb']:.0f} MB "
        f"(server total {dump['peak_server_total_mb']:.0f} MB)",
        "",
        *pages.table(http["pages"]),
        "",
        proposals_line(report["proposals"]),
        "",
        "targets:",
    ]
    lines += [f"  {name}: {text}" for name, text in report["targets"].items()]
    return "\n".join(lines)


def proposals_line(result: dict) -> str:
    return (
        f"article saved to proposals stored: {result['words']:,} words, "
        f"{result['records']:,} records, {result['proposals']} proposals in "
        f"{result['best_s']:.2f} s (median {result['median_s']:.2f} s, "
        f"{result['statements']} statements)"
    )


def targets(report: dict) -> dict[str, str]:
    imports, http = report["imports"], report["http"]
    ratio = imports["import_trade"]["ratio_to_raw_copy"]
    summary = http["official_summary"]["ratio"]
    checks = {
        "import_trade ≥ 0.5 × raw COPY": (ratio >= TARGETS["import_ratio"], f"{ratio:.3f}"),
        "summary of released periods ≤ 2 × of claimed ones": (
            summary <= TARGETS["official_summary_ratio"],
            f"{summary:.2f}",
        ),
    }
    for name, result in http["endpoints"].items():
        ratio = result["ratio"] or 0.0
        checks[f"{name}: app ≥ 0.5 × raw req/s"] = (ratio >= TARGETS["rps_ratio"], f"{ratio:.3f}")
        if result.get("baseline_ratio") is not None:
            kept = result["baseline_ratio"]
            checks[f"{name}: app ≥ 0.8 × baseline req/s"] = (
                kept >= TARGETS["baseline_ratio"],
                f"{kept:.3f}",
            )
    deep = http["deep_page"]["ratio"]
    checks["deep page ≤ 1.5 × first page"] = (deep <= TARGETS["deep_page_ratio"], f"{deep:.2f}")
    export = http["csv_export"]
    complete = export["rows"] >= export["of_rows"]
    peak = export["peak_worker_mb"]
    checks["CSV export of every row, peak < 250 MB"] = (
        complete and peak < TARGETS["export_peak_mb"],
        f"{peak:.0f} MB" + ("" if complete else f", only {export['rows']:,} rows exported"),
    )
    dump = http["ndjson_dump"]
    complete = dump["lines"] == dump["of_records"]
    peak = dump["peak_worker_mb"]
    checks["NDJSON dump of every record, peak < 250 MB"] = (
        complete and peak < TARGETS["dump_peak_mb"],
        f"{peak:.0f} MB" + ("" if complete else f", {dump['lines']:,} lines"),
    )
    checks.update(pages.targets(http["pages"]))
    stored = report["proposals"]["median_s"]
    checks["proposals of a 2,000-word article ≤ 2 s"] = (
        stored <= TARGETS["proposals_s"],
        f"{stored:.2f} s",
    )
    return {name: f"{verdict(ok)} ({value})" for name, (ok, value) in checks.items()}


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with psycopg.connect(f"{PG}/postgres") as connection:
        version = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, PostgreSQL {version}, "
        f"Python {platform.python_version()}, load {load:.1f} at start"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--smoke", action="store_true", help="tiny scale and short runs")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per endpoint and side")
    parser.add_argument("--export-budget", type=float, default=300, help="seconds at most")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also serve the app at this git revision (a temporary worktree), taking turns",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the last import figures and the loaded data set; rerun the HTTP part only",
    )
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.duration, args.connections, args.repeat = 0.002, 1, 4, 1
        args.export_budget = 10
    RESULTS.mkdir(parents=True, exist_ok=True)

    report = {
        "scale": args.scale,
        "machine": machine(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    rows = round(1_000_000 * args.scale)
    report["imports"] = run_imports(rows, args.repeat, args.reuse)
    database_url, seconds = load_dataset(args.scale, args.reuse)
    report["generate_dataset_s"] = seconds and round(seconds, 1)
    report["proposals"] = proposals_benchmark(database_url)
    report["http"] = http_benchmarks(database_url, args)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    report["targets"] = targets(report)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    print(table(report))
    http = report["http"]
    errors = sum(
        result["errors"] for result in [*http["endpoints"].values(), *http["pages"].values()]
    )
    if errors:
        print(f"{errors} requests failed under load.", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""The synthetic data set of the benchmarks and scale tests (``bench/synthetic.py``), loaded
into the database ``DATABASE_URL`` names:

    .venv/bin/python bench/generate.py --scale 1 --seed 1

It lives beside the benchmarks, not in the app: production has no use for made-up records.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indoru.settings")
    import django

    django.setup()
    from bench.synthetic import AT_SCALE_1, SyntheticDataExists, generate

    parser = argparse.ArgumentParser(
        description="Load a deterministic synthetic data set; at scale 1: "
        + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in AT_SCALE_1.items())
        + "."
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="report each table as it is written")
    args = parser.parse_args()
    if args.scale <= 0:
        parser.error("--scale is a positive number, e.g. 1 or 0.01.")

    def report(table: str, rows: int) -> None:
        print(f"  wrote {rows:,} {table}", file=sys.stderr)

    started = time.perf_counter()
    try:
        counts = generate(args.scale, args.seed, progress=report if args.verbose else None)
    except SyntheticDataExists as error:
        raise SystemExit(str(error)) from None
    for name, count in counts.items():
        print(f"{count:>10,} {name}")
    seconds = time.perf_counter() - started
    print(f"Generated scale {args.scale} (seed {args.seed}) in {seconds:.1f} s.")


if __name__ == "__main__":
    main()

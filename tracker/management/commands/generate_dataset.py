"""``manage.py generate_dataset --scale N --seed S``: the synthetic data set (see the service)."""

import time

from django.core.management.base import BaseCommand, CommandError

from tracker.services.synthetic import AT_SCALE_1, SyntheticDataExists, generate


class Command(BaseCommand):
    help = (
        "Load a deterministic synthetic data set; at scale 1: "
        + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in AT_SCALE_1.items())
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale: float, seed: int, verbosity: int, **options):
        if scale <= 0:
            raise CommandError("--scale is a positive number, e.g. 1 or 0.01.")
        started = time.perf_counter()
        report = self.report if verbosity > 1 else None
        try:
            counts = generate(scale, seed, progress=report)
        except SyntheticDataExists as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        for name, count in counts.items():
            self.stdout.write(f"{count:>10,} {name}")
        self.stdout.write(
            self.style.SUCCESS(f"Generated scale {scale} (seed {seed}) in {seconds:.1f} s.")
        )

    def report(self, table: str, rows: int) -> None:
        self.stderr.write(f"  wrote {rows:,} {table}")

"""From saving an article to its proposals stored, in-process, with many records to match.

    .venv/bin/python bench/proposals.py                   # on indoru_bench (bench/run.py's)
    .venv/bin/python bench/proposals.py --database-url URL --words 2000 --repeat 3

Writes an article of about ``--words`` words naming the data set's own deliveries and
agreements — postponements, contract values, ratifications, trade figures, and sentences that
report nothing — and times ``services.sources.archive``: the text stored as a new source's
current version and its proposals read (sentences, parsing, one matching query against every
record's names) and stored. Each run is rolled back, so the data set is left as it was. Prints
one JSON line: words, proposals, statements, and the best and median seconds of the runs.
"""

import argparse
import json
import os
import statistics
import sys
import time
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MONTHS = ["January", "March", "June", "August", "October", "December"]
#: Sentences an article is written from; ``{d}`` a delivery's title, ``{a}`` an agreement's.
SENTENCES = [
    "Delivery of the {d}, originally due in {y}, has now been postponed to {y2}, officials said.",
    "The {d} was ordered under a contract worth ${v} billion signed in {m} {y}.",
    "The {a} was ratified by Russia's State Duma on {n} {m} {y}.",
    "Bilateral trade reached ${v} billion in FY{y}-{yy}, according to the Ministry of Commerce.",
    "Analysts in New Delhi said the relationship remained steady despite the sanctions.",
    "Two regiments of the {d} are now expected by early {y2}.",
    "Payments for the {d} have been routed through third countries since the war began.",
    "Officials said talks on the {a} would continue at the next summit.",
]


def article(deliveries: list[str], agreements: list[str], words: int) -> str:
    """About ``words`` words, four sentences a paragraph, naming the records in turn."""
    sentences, count = [], 0
    names = cycle(zip(cycle(deliveries), agreements, strict=False))
    for i, template in enumerate(cycle(SENTENCES)):
        if count >= words:
            break
        delivery, agreement = next(names)
        year = 2020 + i % 10
        sentence = template.format(
            d=delivery,
            a=agreement,
            y=year,
            y2=year + 2,
            yy=(year + 1) % 100,
            v=f"{1 + i % 9}.{i % 100:02d}",
            m=MONTHS[i % len(MONTHS)],
            n=1 + i % 28,
        )
        sentences.append(sentence)
        count += len(sentence.split())
    return "\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/indoru_bench")
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indoru.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from tracker.models import Agreement, Delivery, Issue, Source
    from tracker.services.sources import archive, pasted

    deliveries = list(Delivery.objects.order_by("?").values_list("title", flat=True)[:40])
    agreements = list(Agreement.objects.order_by("?").values_list("title", flat=True)[:40])
    text = article(deliveries, agreements, args.words)
    runs, statements, proposals = [], [], 0
    for run in range(args.repeat):
        with transaction.atomic():
            source = Source.objects.create(slug=f"bench-article-{run}", title="Bench article")
            started = time.perf_counter()
            with connection.execute_wrapper(
                lambda execute, *a: statements.append(1) or execute(*a)
            ):
                archive(source, pasted(text))
            runs.append(time.perf_counter() - started)
            proposals = source.proposals.count()
            transaction.set_rollback(True)
    result = {
        "words": len(text.split()),
        "records": sum(m.objects.count() for m in (Agreement, Delivery, Issue)),
        "proposals": proposals,
        "statements": len(statements) // args.repeat,
        "best_s": round(min(runs), 3),
        "median_s": round(statistics.median(runs), 3),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""``manage.py propose FILE [--date YYYY-MM-DD]``: the proposals for a text, one a line.

Shows what the proposer makes of an article before anything is stored: each proposal's
sentence number, action, the values it read and the records it matched, then how many
proposals came from how many words, and how long it took.
"""

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.dates import fiscal_year_label
from tracker.figures import stated_value
from tracker.proposals.proposer import Proposal, propose


class Command(BaseCommand):
    help = "List the proposals the proposer makes for a text file (UTF-8), without storing any."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The text of the source, UTF-8.")
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="The source's date (YYYY-MM-DD), which places words like “end of the decade”; "
            "today by default.",
        )

    def handle(self, *args, file: Path, date: dt.date | None, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"file: cannot read {file}: {error}") from None
        started = time.perf_counter()
        proposals = propose(text, date)
        elapsed = time.perf_counter() - started
        for proposal in proposals:
            self.stdout.write(describe(proposal))
        self.stdout.write(
            f"{len(proposals)} proposals from {len(text.split())} words in {elapsed:.2f} s"
        )


def describe(proposal: Proposal) -> str:
    """One line: "#12 event postponed new=2026 → s-400-triumf"."""
    parts = [f"#{proposal.sentence.index}", proposal.action]
    parts += [p for p in (proposal.kind, proposal.figure, proposal.party, proposal.body) if p]
    for name in ("date", "old_date", "new_date"):
        mention = getattr(proposal, name)
        if mention:
            shown = fiscal_year_label(mention.fiscal_year) if mention.fiscal_year else mention.date
            parts.append(f"{name}={shown}" + ("~" if mention.is_estimate else ""))
    if proposal.amount:
        a = proposal.amount
        parts.append(stated_value(a.value, a.value_high, a.qualifier, a.currency, a.unit))
    if proposal.quantity:
        parts.append(f"{proposal.quantity.value} {proposal.quantity.unit}")
    if proposal.flow:
        parts.append(f"{proposal.flow} {proposal.metric} {proposal.trade_kind}")
    if proposal.records:
        parts.append("→ " + ", ".join(r.slug for r in proposal.records))
    return " ".join(parts)

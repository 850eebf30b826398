"""``manage.py propose`` lists a text's proposals without storing anything."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_agreement
from tracker.models import TimelineEvent

pytestmark = pytest.mark.django_db


def test_the_proposals_of_a_file_one_a_line(tmp_path):
    make_agreement(1, slug="relos", title="Reciprocal Exchange of Logistics Support")
    article = tmp_path / "article.txt"
    article.write_text(
        "Russia’s State Duma ratified the Reciprocal Exchange of Logistics Support on "
        "1 December 2025.\nTrade reached $68.7 billion in FY2024-25.\n",
        encoding="utf-8",
    )
    events = TimelineEvent.objects.count()
    out = StringIO()
    call_command("propose", str(article), "--date", "2025-12-10", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "#0 event ratified RUS state_duma date=2025-12-01 → relos"
    assert lines[1] == "#1 trade_figure date=FY2024-25 USD 68.7 billion total value reported"
    assert lines[-1].startswith("2 proposals from 20 words in ")
    assert TimelineEvent.objects.count() == events


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"^file: cannot read .*missing\.txt"):
        call_command("propose", str(tmp_path / "missing.txt"))

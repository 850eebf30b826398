"""The README is the front door: its commands and vocabularies must stay true."""

from pathlib import Path

import pytest
from django.conf import settings

from tracker import choices

README = (Path(settings.BASE_DIR) / "README.md").read_text()


def test_the_two_commands_are_at_the_top():
    first_block = README.split("```")[1]
    assert "python3 dev.py run" in first_block
    assert "python3 dev.py test" in first_block


@pytest.mark.parametrize(
    "vocabulary",
    [
        choices.AgreementStatus,
        choices.DeliveryStatus,
        choices.IssueStatus,
        choices.Severity,
        choices.TradeKind,
        choices.EventKind,
    ],
)
def test_every_status_and_event_kind_is_documented(vocabulary):
    undocumented = [value for value in vocabulary.values if f"`{value}`" not in README]
    assert not undocumented, f"README does not document {vocabulary.__name__}: {undocumented}"

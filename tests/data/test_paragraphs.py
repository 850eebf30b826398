"""Every paragraph of every source is cited or listed as reporting no fact, and the list of
uncited paragraphs cannot rot: a listed paragraph that is cited, or that does not exist, fails."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Citation
from tracker.services.citations import paragraph_coverage, paragraphs
from tracker.services.citations import uncited_paragraphs as uncited

pytestmark = pytest.mark.usefixtures("curated")


def test_a_paragraph_is_a_non_blank_line():
    assert paragraphs("Title\n\n  • first\n    • second  \n\n\nLast") == [
        "Title",
        "• first",
        "• second",
        "Last",
    ]


def test_every_paragraph_of_every_source_is_cited_or_listed(db):
    coverage = paragraph_coverage(uncited())
    assert coverage.problems == []
    assert coverage.paragraphs == len(coverage.cited) + len(coverage.listed)


def test_an_uncited_paragraph_that_is_not_listed_fails(db):
    Citation.objects.filter(event__key="druzhba-2025-exercise").delete()
    (problem,) = paragraph_coverage(uncited()).problems
    assert problem.startswith("rebalancing-relations-2025 ¶67 is neither cited nor listed: ")
    assert "Druzhba-2025" in problem


def test_a_listed_paragraph_that_is_cited_or_missing_fails(db):
    coverage = paragraph_coverage(uncited())
    slug, number = sorted(coverage.cited)[0]
    listed = [
        *uncited(),
        {"source": slug, "paragraph": number, "reason": "analysis"},
        {"source": slug, "paragraph": 999, "reason": "heading"},
        {"source": "no-such-source", "paragraph": 1, "reason": "byline"},
    ]
    assert set(paragraph_coverage(listed).problems) == {
        f"{slug} ¶{number} is listed as reporting no fact but is cited",
        f"{slug} ¶999 is listed but the source has no such paragraph",
        "no-such-source ¶1 is listed but there is no such source",
    }


def test_a_listed_paragraph_needs_a_known_reason(db):
    listed = [{**entry, "reason": "boring"} for entry in uncited()[:1]]
    (problem,) = paragraph_coverage(listed).problems[-1:]
    assert "reason must be one of" in problem


def test_verify_citations_accounts_for_every_paragraph(db):
    out = StringIO()
    call_command("verify_citations", stdout=out)
    coverage = paragraph_coverage(uncited())
    assert (
        f"All {coverage.paragraphs} paragraphs are accounted for: {len(coverage.cited)} cited, "
        f"{len(coverage.listed)} listed as reporting no fact."
    ) in out.getvalue()
    Citation.objects.filter(event__key="druzhba-2025-exercise").delete()
    err = StringIO()
    with pytest.raises(CommandError, match=r"^Paragraphs not accounted for: 1 of \d+\.$"):
        call_command("verify_citations", stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("rebalancing-relations-2025 ¶67 is neither cited")

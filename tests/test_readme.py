"""The README is the front door and docs/ the rest: their commands, vocabularies and links
must stay true."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tracker import choices

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md")), *sorted((ROOT / "bench").glob("*.md"))]
FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def prose(page: Path) -> str:
    """A page without its code blocks, where `#` starts a comment rather than a heading."""
    return FENCED.sub("", page.read_text())


def section(page: Path, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    text = prose(page)
    level, _, title = heading.partition(" ")
    start = re.search(rf"^{re.escape(heading)}$", text, re.MULTILINE)
    assert start, f"{page.name} has no section {title!r}"
    end = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE).search(text, start.end())
    return text[start.end() : end.start() if end else len(text)]


def anchors(page: Path) -> set[str]:
    """The anchors a Markdown renderer gives the page's headings (repeats get -1, -2 …)."""
    found, seen = set(), {}
    for title in HEADING.findall(prose(page)):
        slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(f"{slug}-{count}" if count else slug)
    return found


def test_the_two_commands_are_at_the_top():
    first_block = README.read_text().split("```")[1]
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
    documented = section(DOCS / "data.md", "### Vocabularies")
    undocumented = [value for value in vocabulary.values if f"`{value}`" not in documented]
    assert not undocumented, f"docs/data.md does not document {vocabulary.__name__}: {undocumented}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_link_between_the_pages_leads_somewhere(page):
    broken = []
    for target in LINK.findall(prose(page)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and anchor not in anchors(linked)):
            broken.append(target)
    assert not broken, f"{page.name} links to what is not there: {broken}"


def test_the_readme_links_every_page_of_the_docs():
    links = set(LINK.findall(prose(README)))
    unlinked = [page.name for page in DOCS.glob("*.md") if f"docs/{page.name}" not in links]
    assert not unlinked, f"README.md does not link {unlinked}"

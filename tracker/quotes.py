"""Finding a quote in a source's archived text: the form both are compared in, where the quote
sits, and the passage closest to a quote that is not there.

Quotes are compared after normalising both sides the same way: Unicode NFKC, typographic
quotes and apostrophes made straight, dashes made hyphens, runs of whitespace made one space.
So “junior partner” matches "junior partner", and a line break in the text matches a space.

A quote that is not found is answered with the closest passage of the text, found with
``difflib`` on the normalised text: the comparison has to happen on the same normalised form
as the search (which PostgreSQL's ``pg_trgm`` would not see), and a text is a few thousand words,
which difflib scores in milliseconds.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form in which quotes and archived texts are compared."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _WHITESPACE.sub(" ", text).strip()


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` character by character, with the offset in ``text`` where each of
    its characters comes from, so that a match in the normalised text maps back to the
    words as written."""
    chars, offsets = [], []
    for offset, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                offsets.append(offset)
            continue
        for normal in unicodedata.normalize("NFKC", char).translate(_TYPOGRAPHY):
            chars.append(normal)
            offsets.append(offset)
    return "".join(chars), offsets


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs, numbered from 1 in this order: its non-blank lines.

    The archived texts put one paragraph, bullet, heading or pull quote on each line, with or
    without blank lines between them, so a line is the unit that citations account for.
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote sits: character offsets into the normalised text (end exclusive), and
    the number of the paragraph it starts in (from 1)."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Searchable:
    """A text in normalised form, with where each of its paragraphs starts in it."""

    body: str
    starts: tuple[int, ...]

    def paragraph_at(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset), 1)

    def paragraph_span(self, first: int, last: int) -> tuple[int, int]:
        """The offsets of paragraphs ``first`` to ``last`` (numbered from 1) in ``body``."""
        end = self.starts[last] - 1 if last < len(self.starts) else len(self.body)
        return self.starts[first - 1], end


@functools.lru_cache(maxsize=32)
def searchable(text: str) -> Searchable:
    """``text`` normalised, with its paragraphs' offsets. Archived texts never change, so the
    few in use are kept normalised between saves."""
    body = normalise(text)
    starts, position = [], 0
    for paragraph in paragraphs(text):
        found = body.find(normalise(paragraph), position)
        position = max(found, position)
        starts.append(position)
    return Searchable(body, tuple(starts) or (0,))


def locate(quote: str, text: str) -> QuoteLocation | None:
    """Where ``quote`` first occurs in ``text`` (both normalised), or None."""
    wanted = normalise(quote)
    found = searchable(text)
    start = found.body.find(wanted) if wanted else -1
    if start < 0:
        return None
    return QuoteLocation(start, start + len(wanted), found.paragraph_at(start))


def closest_passage(quote: str, text: str) -> str:
    """The run of the text's words most like ``quote``: first the most similar paragraph,
    then the window of as many words as the quote within it (and the next paragraph, for a
    quote across a paragraph break)."""
    wanted = normalise(quote)
    found = searchable(text)
    if not wanted or not found.body:
        return ""
    count = len(found.starts)
    spans = [found.paragraph_span(n, min(n + 1, count)) for n in range(1, count + 1)]
    best = max(spans, key=lambda span: _similarity(wanted, found.body[span[0] : span[1]]))
    words = found.body[best[0] : best[1]].split(" ")
    size = len(wanted.split(" "))
    windows = [" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))]
    return max(windows, key=lambda window: _similarity(wanted, window))


def _similarity(wanted: str, passage: str) -> float:
    """How much of ``wanted`` the passage holds, in matching characters."""
    matcher = difflib.SequenceMatcher(None, wanted, passage, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(wanted)

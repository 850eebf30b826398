"""A text as paragraphs and sentences, each with its place in the text.

A proposal keeps the offsets of its sentence and of the paragraph around it, so the inbox can
show the sentence highlighted where it stands. A paragraph is a line of the archived text (the
texts keep one paragraph, or one bullet point, a line); a sentence ends at ".", "!" or "?"
followed by a space and a capital, a digit or a quote, except after an abbreviation ("Rs.",
"U.S.", "No.", "Dr.", an initial) — decimals ("5.43") have no space and never end one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset(
    [
        "rs",
        "no",
        "nos",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "adm",
        "sr",
        "jr",
        "st",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "govt",
        "approx",
        "est",
        "fig",
        "vol",
        "art",
        "sec",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "u.s.a",
        "e.u",
    ]
)
_PARAGRAPH = re.compile(r"[^\n]+")
#: Bullets and list marks at the start of a paragraph, which belong to no sentence.
_BULLET = re.compile(r"\s*(?:[•·▪◦‣*–—-]|\d{1,2}[.)])?\s*")
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9₹$])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]+[\"'”’)\]]*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its ``text``, where it starts and ends in the whole text, and where its
    paragraph does (``paragraph_start``, ``paragraph_end``); ``index`` is its place in
    reading order."""

    index: int
    text: str
    start: int
    end: int
    paragraph_start: int
    paragraph_end: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph of ``text`` that has words."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group(0).strip()]


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in reading order, with their offsets in ``text``."""
    found: list[Sentence] = []
    for para_start, para_end in paragraphs(text):
        start = _BULLET.match(text, para_start, para_end).end()
        for end in [*_ends(text, start, para_end), para_end]:
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                first = start + piece.index(stripped)
                found.append(
                    Sentence(
                        len(found), stripped, first, first + len(stripped), para_start, para_end
                    )
                )
            start = end
    return found


def _ends(text: str, start: int, end: int) -> list[int]:
    """Where sentences end between ``start`` and ``end``: after each full stop (or "!", "?")
    that is not an abbreviation's."""
    ends = []
    for match in _END.finditer(text, start, end):
        word = _WORD_BEFORE.search(text, max(start, match.start() - 12), match.end())
        last = word.group(1).lower() if word else ""
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        ends.append(match.end())
    return ends

"""What text the tracker stores and publishes may hold.

Control characters have no place in a title or a summary, and XML 1.0 (the Atom feed) and
iCalendar cannot carry them: one stored in a title made the Atom feed fail for every
subscriber. Tab, newline and carriage return are kept: they are text's own layout, every
format carries them, and a browser sends each line break of a text area as CR LF.
"""

import re

#: The C0 controls other than tab, newline and carriage return; DEL; the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_CHARACTER_MESSAGE = (
    "Remove the control characters: text may hold tabs and line breaks, but no other."
)


def has_control_characters(value) -> bool:
    """Whether a text value, or any text in a list of them, holds a control character."""
    texts = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(text, str) and CONTROL_CHARACTERS.search(text) for text in texts)


def printable(text: str) -> str:
    """The text without its control characters, for a feed built from what is already stored
    (rows written before the rule, or by SQL that bypasses it)."""
    return CONTROL_CHARACTERS.sub("", text)

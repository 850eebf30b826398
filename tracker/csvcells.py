"""What a CSV cell may hold: text a spreadsheet would run as a formula is defused.

Every CSV the app writes (the API's ``?format=csv``, the streamed trade export, the admin's
export) passes its cells through ``safe_cell``, so a record titled ``=cmd|' /C calc'!A0`` opens
in a spreadsheet as that text, not as a formula (OWASP, "CSV Injection").
"""

import re

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain decimal number, such as a trade value of "-1.5": a spreadsheet reads it as that
#: number, never as a formula, so it is left as it is and its column stays numeric.
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    """The value to write in a CSV cell: text that would start a formula gets a leading ``'``,
    which makes a spreadsheet take the cell as text; numbers and other text are kept as given."""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return f"'{text}"
    return value

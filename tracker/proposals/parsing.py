"""What a sentence says in numbers: dates at their precision, money, percentages and counts.

Each parser returns what it found with its place in the text (``start``, ``end``), so a
proposal can show the words it read. The rules that no general parser knows are ours:

- a date keeps the precision its words give ("June 2025" is a month, never 1 June), and
  words that only place it loosely ("early 2026", "end of the decade") mark it an estimate;
- India's fiscal years ("FY2024-25", "2026-27", "FY25") are April-to-March periods
  (``tracker.dates.fiscal_year_start``);
- Indian number words: a lakh is 100,000 and a crore 10,000,000 ("Rs 40,000 crore" is
  INR 400 billion), written in the tracker's units (``tracker.choices.Unit``).

Amounts are read with ``price-parser`` (the number and the currency sign of a money phrase);
the phrase around them (qualifier, scale word, range, "per barrel") with the patterns below.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from price_parser import Price

from ..choices import Qualifier, Rate, Unit
from ..dates import PreciseDate, Precision, fiscal_year_start, months_after, quarter_start

# --- numbers ---------------------------------------------------------------------------------

_UNITS_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: Numbers written as words, as sources write counts: "three squadrons", "twenty-five".
NUMBER_WORDS = {word: n for n, word in enumerate(_UNITS_WORDS)} | {
    word: 10 * (n + 2) for n, word in enumerate(_TENS_WORDS)
}
NUMBER_WORDS |= {"a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100}
_NUMBER_WORD = (
    r"(?:(?:" + "|".join(_TENS_WORDS) + r")-(?:" + "|".join(_UNITS_WORDS[1:10]) + r")"
    r"|a dozen|a hundred|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
)
_DIGITS = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = rf"(?:{_DIGITS}|{_NUMBER_WORD})"


def number_value(text: str) -> Decimal:
    """The value of a number in digits ("40,000", "5.43") or words ("three", "twenty-five")."""
    text = text.strip().lower()
    if text in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[text])
    if "-" in text and text.split("-")[0] in NUMBER_WORDS:
        tens, units = text.split("-", 1)
        return Decimal(NUMBER_WORDS[tens] + NUMBER_WORDS[units])
    return Decimal(text.replace(",", ""))


#: Scale words, as the tracker's unit and the factor that brings the amount to it. Indian
#: number words are written in the nearest unit the tracker has: a crore is ten million.
SCALES = {
    "thousand": (Unit.THOUSAND, 1),
    "k": (Unit.THOUSAND, 1),
    "lakh": (Unit.THOUSAND, 100),
    "lakhs": (Unit.THOUSAND, 100),
    "million": (Unit.MILLION, 1),
    "mn": (Unit.MILLION, 1),
    "m": (Unit.MILLION, 1),
    "crore": (Unit.MILLION, 10),
    "crores": (Unit.MILLION, 10),
    "cr": (Unit.MILLION, 10),
    "billion": (Unit.BILLION, 1),
    "bn": (Unit.BILLION, 1),
    "b": (Unit.BILLION, 1),
    "trillion": (Unit.BILLION, 1000),
    "tn": (Unit.BILLION, 1000),
}
#: A unit is written with the largest scale that keeps the amount at least 1 ("40,000 crore"
#: is 400 billion, "50 crore" 500 million).
_UNIT_STEPS = [(Unit.BILLION, 10**9), (Unit.MILLION, 10**6), (Unit.THOUSAND, 10**3)]
_UNIT_FACTOR = dict(_UNIT_STEPS)


def scaled(value: Decimal, scale_word: str) -> tuple[Decimal, str]:
    """``value`` given in ``scale_word`` ("crore", "bn", "" for none), as the tracker writes
    it: an amount and a unit of ``Unit``."""
    if not scale_word:
        return value, Unit.ONE
    unit, factor = SCALES[scale_word.lower()]
    if factor == 1:
        return value, unit
    absolute = value * factor * _UNIT_FACTOR[unit]
    for step, size in _UNIT_STEPS:
        if absolute >= size:
            return _tidy(absolute / size), step
    return _tidy(absolute), Unit.ONE


def _tidy(value: Decimal) -> Decimal:
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


#: Words before a figure that say how exact it is: "over 90 %", "approximately $68.7 B".
QUALIFIER_WORDS = {
    Qualifier.MORE_THAN: r"more than|over|above|exceeding|surpassing|upwards of|in excess of|>",
    Qualifier.LESS_THAN: r"less than|under|below|fewer than|<",
    Qualifier.UP_TO: r"up to|as much as|as many as|≤",
    Qualifier.ABOUT: r"about|approximately|approx\.?|around|nearly|almost|roughly|some|close to"
    r"|an estimated|estimated|~",
}
_QUALIFIER = "|".join(f"(?P<q_{key}>{words})" for key, words in QUALIFIER_WORDS.items())
_QUALIFIER_PREFIX = rf"(?:(?:{_QUALIFIER})\s*)?"
_RANGE_JOIN = r"\s*(?:–|—|-|to)\s*"


def _qualifier(match: re.Match) -> str:
    for key in QUALIFIER_WORDS:
        if match.group(f"q_{key}"):
            return key
    return Qualifier.EXACT


# --- amounts: money and percentages -----------------------------------------------------------

#: Currency signs and words, as ISO 4217 codes.
CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "us dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "rupees": "INR",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "₽": "RUB",
    "rub": "RUB",
    "roubles": "RUB",
    "rubles": "RUB",
    "yuan": "CNY",
}
_PREFIX_CURRENCY = r"US\$|\$|USD|₹|Rs\.?|INR|€|EUR|₽|RUB"
_SUFFIX_CURRENCY = r"(?:US )?dollars?|rupees|euros|roubles|rubles|yuan"
_SCALE = r"(?:trillion|billion|million|thousand|lakhs?|crores?|bn|tn|mn|cr|B|M|k)\b"
_PER = r"(?P<per>\s*(?:per|a|/)\s*(?P<per_what>barrel|bbl|month|year|annum|day))?"

MONEY = re.compile(
    rf"{_QUALIFIER_PREFIX}(?:between\s+)?"
    rf"(?:(?P<sign>{_PREFIX_CURRENCY})\s?(?P<value>{_DIGITS})"
    rf"(?:{_RANGE_JOIN}(?:{_PREFIX_CURRENCY})?\s?(?P<high>{_DIGITS}))?(?:\s?(?P<scale>{_SCALE}))?"
    rf"(?:\s(?P<after_sign>{_SUFFIX_CURRENCY}))?"
    rf"|(?P<value2>{_DIGITS})(?:{_RANGE_JOIN}(?P<high2>{_DIGITS}))?"
    rf"(?:\s?(?P<scale2>{_SCALE}))?\s(?P<word>{_SUFFIX_CURRENCY})\b)"
    rf"{_PER}",
    re.IGNORECASE,
)
PERCENT = re.compile(
    rf"{_QUALIFIER_PREFIX}(?<![\d.,])(?P<value>{NUMBER})(?:\s*[–-]\s*(?P<high>{NUMBER}))?"
    r"\s*(?:%|per\s?cent\b|percent\b)(?:\s*percent\b)?",
    re.IGNORECASE,
)
PER_UNITS = {"barrel": Unit.PER_BARREL, "bbl": Unit.PER_BARREL}
#: "… per month", "… a year": the value is a rate, not the total of a period.
PER_RATES = {"month": Rate.PER_MONTH, "year": Rate.PER_YEAR, "annum": Rate.PER_YEAR}
#: "annual savings of $15–20 billion": the word before a sum that makes it a rate.
RATE_BEFORE = re.compile(r"\b(?P<word>annual|yearly|monthly)\b[^$₹€£\d]{0,40}$", re.IGNORECASE)
RATE_WORDS = {"annual": Rate.PER_YEAR, "yearly": Rate.PER_YEAR, "monthly": Rate.PER_MONTH}
#: "$1 billion in rupee assets per month": the span a little after a sum that makes it a rate.
RATE_AFTER = re.compile(r"[^.;$₹€£\d]{0,40}?\b(?:per|a|each)\s+(?P<what>month|year|annum)\b", re.I)


@dataclass(frozen=True)
class Amount:
    """A sum of money or a percentage, as the tracker stores a figure: a decimal ``value``
    (and ``value_high`` for a range), its ``qualifier``, ``currency`` (ISO 4217, empty for a
    percentage), ``unit`` (a ``Unit``) and ``rate`` (a ``Rate``: empty for a total)."""

    value: Decimal
    currency: str
    unit: str
    qualifier: str = Qualifier.EXACT
    value_high: Decimal | None = None
    text: str = ""
    start: int = 0
    end: int = 0
    rate: str = Rate.NONE

    @property
    def is_percentage(self) -> bool:
        return self.unit == Unit.PERCENT


def parse_money(text: str) -> list[Amount]:
    """Sums of money in ``text``: "$5.43 billion", "Rs 40,000 crore", "₹21,700 crore",
    "$3 B", "USD 68.7 bn", "12.6 billion dollars", "$15–20 billion", "2.3 dollars per
    barrel"."""
    found = []
    for match in MONEY.finditer(text):
        if match.group("value"):
            price = Price.fromstring(f"{match.group('sign')}{match.group('value')}")
            amount, sign = price.amount, price.currency or match.group("sign")
            high, scale = match.group("high"), match.group("scale")
        else:
            amount = Price.fromstring(match.group("value2")).amount
            sign, high, scale = match.group("word"), match.group("high2"), match.group("scale2")
        if amount is None:
            continue
        currency = CURRENCIES.get(sign.lower().strip(), "")
        value, unit = scaled(amount, scale or "")
        value_high = scaled(number_value(high), scale or "")[0] if high else None
        rate = _rate(text, match)
        if match.group("per"):
            unit = PER_UNITS.get(match.group("per_what").lower(), unit)
        qualifier = Qualifier.RANGE if value_high is not None else _qualifier(match)
        found.append(
            Amount(value, currency, unit, qualifier, value_high, **_span(match), rate=rate)
        )
    return found


def _rate(text: str, match: re.Match) -> str:
    """The rate a sum is given at: "per month" after it, or "annual" shortly before it."""
    if match.group("per") and match.group("per_what").lower() in PER_RATES:
        return PER_RATES[match.group("per_what").lower()]
    after = RATE_AFTER.match(text, match.end())
    if after:
        return PER_RATES[after.group("what").lower()]
    before = RATE_BEFORE.search(text, 0, match.start())
    return RATE_WORDS[before.group("word").lower()] if before else Rate.NONE


def parse_percentages(text: str) -> list[Amount]:
    """Percentages in ``text``: "over 90 %", "50.5 per cent", "less than one percent"."""
    found = []
    for match in PERCENT.finditer(text):
        high = match.group("high")
        found.append(
            Amount(
                value=number_value(match.group("value")),
                currency="",
                unit=Unit.PERCENT,
                qualifier=Qualifier.RANGE if high else _qualifier(match),
                value_high=number_value(high) if high else None,
                **_span(match),
            )
        )
    return found


def _span(match: re.Match) -> dict:
    """Where a parser's ``match`` lies: the fields ``text``, ``start`` and ``end``."""
    return {"text": match.group(0), "start": match.start(), "end": match.end()}


# --- dates ---------------------------------------------------------------------------------

_MONTH_NAMES = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY_END = r"(?:\s*(?:–|—|-|to|and)\s*(?P<day_end>[0-3]?\d)(?:st|nd|rd|th)?)?"
#: Words that place a date loosely: the date is the year (or month), marked an estimate.
_LOOSE = r"(?P<loose>early|mid|mid-|late|the (?:beginning|start|middle) of)"
_END_OF = r"(?P<end_of>(?:the )?end(?:\s+of(?:\s+the)?|-))"
#: Words before a date that make it a deadline: "by 2030", "until 2026".
_BY = r"\b(?P<by>by|before|until|till|no later than)\s+(?:the\s+)?"

#: Each form a date takes, most specific first; the first to claim a span of text keeps it.
DATE_FORMS = [
    ("iso_day", rf"\b{_YEAR}-(?P<imonth>[01]\d)-(?P<iday>[0-3]\d)\b"),
    ("month_day_year", rf"\b{_MONTH}\s+{_DAY}{_DAY_END},?\s+{_YEAR}\b"),
    ("day_month_year", rf"\b{_DAY}{_DAY_END}\s+{_MONTH},?\s+{_YEAR}\b"),
    ("fiscal", r"\bFY\s?(?P<fy_first>(?:19|20)\d{2})\s?[-–/]\s?(?P<fy_next>\d{2}|\d{4})\b"),
    ("fiscal_short", r"\bFY\s?'?(?P<fy_last>\d{2})\b"),
    ("fiscal_bare", r"(?<![\d-])(?P<fy_first>(?:19|20)\d{2})[-–](?P<fy_next>\d{2})(?![\d-])"),
    ("year_range", rf"(?<![\d-]){_YEAR}\s?[-–]\s?(?P<year_high>(?:19|20)\d{{2}})(?![\d-])"),
    (
        "quarter",
        rf"\b(?:Q(?P<quarter>[1-4])|(?P<qword>first|second|third|fourth) quarter of)"
        rf"\s*{_YEAR}\b",
    ),
    ("month_year", rf"\b{_MONTH},?\s+{_YEAR}\b"),
    ("loose_year", rf"\b{_LOOSE}[\s-]?{_YEAR}\b"),
    ("end_of_year", rf"\b{_END_OF}\s?{_YEAR}\b"),
    ("decade", r"\b(?:the\s+)?end of the decade\b"),
    ("year", rf"(?<![\w$₹-]){_YEAR}(?![\w%-])(?!\s?(?:%|per\s?cent|percent|km|GW|MW))"),
]
_DATE_FORM = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.replace('?P<', f'?P<{name}__')})" for name, pattern in DATE_FORMS
    ),
    re.IGNORECASE,
)
_BY_BEFORE = re.compile(rf"{_BY}$", re.IGNORECASE)
#: A date followed by a noun names a thing ("as seen by the 2025 agreement"): the "by" before
#: it is an agent's, not a deadline's.
_ATTRIBUTIVE = re.compile(
    r"\s+(?!(?:and|or|to|when|at|in|on|as|for|with|from|if|but|the|while|after|before|was"
    r"|were|is|are|will|would|has|had|have|amid|despite|through|under|over)\b)[a-z]"
)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


@dataclass(frozen=True)
class DateMention:
    """A date as a sentence gives it.

    ``date`` is its start at the precision the words give; ``until`` the start of its last
    period where the words name a span ("December 4–5, 2025", "2024–2025", a fiscal year,
    which runs from April to March); ``is_estimate`` where the words place it loosely ("early
    2026", "end of the decade"); ``by`` where they give a deadline ("by 2030", "by the end of
    2023"); ``fiscal_year``, the first calendar year of an Indian fiscal year it names.
    """

    date: PreciseDate
    until: PreciseDate | None = None
    is_estimate: bool = False
    by: bool = False
    fiscal_year: int | None = None
    text: str = ""
    start: int = 0
    end: int = 0


def parse_dates(text: str, today: dt.date | None = None) -> list[DateMention]:
    """Dates in ``text``, each at the precision its words give.

    ``today`` (the source's date, or the current day) places words that name no year: "the
    end of the decade" is the year that closes ``today``'s decade as sources mean it ("by
    2030" in the 2020s), marked an estimate.
    """
    today = today or dt.date.today()
    found = []
    for match in _DATE_FORM.finditer(text):
        form = match.lastgroup
        groups = {
            key.split("__", 1)[1]: value
            for key, value in match.groupdict().items()
            if key.startswith(f"{form}__") and value is not None
        }
        mention = _date_mention(form, groups, today)
        if mention is None:
            continue
        by = _BY_BEFORE.search(text[max(0, match.start() - 20) : match.start()]) and not (
            _ATTRIBUTIVE.match(text, match.end())
        )
        found.append(replace(mention, by=bool(by), **_span(match)))
    return found


def _day(year: int, month: int, day: int) -> PreciseDate | None:
    try:
        return PreciseDate(dt.date(year, month, day), Precision.DAY)
    except ValueError:
        return None


def _year(year: int) -> PreciseDate:
    return PreciseDate(dt.date(year, 1, 1), Precision.YEAR)


def fiscal_year(first_year: int) -> DateMention:
    """India's fiscal year that begins in ``first_year``: April of it to March of the next."""
    start = fiscal_year_start(first_year)
    last_month = months_after(start, 11)
    return DateMention(
        date=PreciseDate(start, Precision.MONTH),
        until=PreciseDate(last_month, Precision.MONTH),
        fiscal_year=first_year,
    )


def _date_mention(form: str, g: dict, today: dt.date) -> DateMention | None:
    year = int(g["year"]) if "year" in g else None
    if form == "iso_day":
        day = _day(year, int(g["imonth"]), int(g["iday"]))
        return day and DateMention(day)
    if form in ("month_day_year", "day_month_year"):
        month = _MONTH_NAMES[g["month"].lower().rstrip(".")]
        day = _day(year, month, int(g["day"]))
        until = _day(year, month, int(g["day_end"])) if "day_end" in g else None
        if day is None or ("day_end" in g and (until is None or until.date <= day.date)):
            return None
        return DateMention(day, until)
    if form in ("fiscal", "fiscal_bare"):
        first, following = int(g["fy_first"]), g["fy_next"]
        if int(following[-2:]) != (first + 1) % 100:
            return None
        return fiscal_year(first)
    if form == "fiscal_short":
        return fiscal_year(2000 + int(g["fy_last"]) - 1)
    if form == "year_range":
        high = int(g["year_high"])
        return DateMention(_year(year), _year(high)) if high > year else None
    if form == "quarter":
        quarter = int(g["quarter"]) if "quarter" in g else _QUARTER_WORDS[g["qword"].lower()]
        return DateMention(PreciseDate(quarter_start(year, quarter), Precision.QUARTER))
    if form == "month_year":
        month = _MONTH_NAMES[g["month"].lower().rstrip(".")]
        return DateMention(PreciseDate(dt.date(year, month, 1), Precision.MONTH))
    if form == "loose_year":
        return DateMention(_year(year), is_estimate=True)
    if form == "end_of_year":
        return DateMention(_year(year))
    if form == "decade":
        return DateMention(_year(today.year // 10 * 10 + 10), is_estimate=True)
    return DateMention(_year(year))


# --- quantities ----------------------------------------------------------------------------

#: Words after a number that are not what it counts.
_NOT_COUNTED = (
    r"of|per|percent|per cent|times|and|or|to|the|a|an|in|on|at|by|for|from|with|years?|months?"
    r"|weeks?|days?|hours?|decades?|centuries|%|km|kms|kilometres?|kilometers?|nautical|GW|MW"
    r"|kg|tonnes?|tons?|barrels?|bbl"
)
QUANTITY = re.compile(
    rf"(?<![\w$₹.,-])(?:(?:{_QUALIFIER})\s+)?(?P<value>{NUMBER})(?![\w%.,-]|\.\d)"
    rf"\s+(?!(?:{_NOT_COUNTED}|{NUMBER})\b)(?P<unit>(?:[A-Za-z][\w-]*\s+){{0,2}}?[A-Za-z][\w-]*s\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A count of things: ``value`` (a decimal) and what it counts, ``unit`` ("squadrons",
    "Indian nationals"), as the sentence words it."""

    value: Decimal
    unit: str
    qualifier: str = Qualifier.EXACT
    text: str = ""
    start: int = 0
    end: int = 0


def parse_quantities(text: str) -> list[Quantity]:
    """Counts of things in ``text``: "three squadrons", "two regiments", "44 Indian
    nationals", "another five squadrons". A number is a count when a plural noun follows it
    within three words; years, sums and percentages are not counts (``parse_facts`` leaves
    out the counts that overlap them)."""
    return [
        Quantity(
            value=number_value(match.group("value")),
            unit=match.group("unit"),
            qualifier=_qualifier(match),
            **_span(match),
        )
        for match in QUANTITY.finditer(text)
    ]


# --- all of them -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What ``parse_facts`` found in one sentence."""

    dates: tuple[DateMention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    quantities: tuple[Quantity, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dates or self.amounts or self.quantities)

    def within(self, start: int, end: int) -> Facts:
        """The facts that begin between ``start`` and ``end`` (a clause of the sentence)."""

        def keep(items: tuple) -> tuple:
            return tuple(item for item in items if start <= item.start < end)

        return Facts(keep(self.dates), keep(self.amounts), keep(self.quantities))


def parse_facts(text: str, today: dt.date | None = None) -> Facts:
    """The dates, amounts (money, then percentages) and counts of ``text``, each span of the
    text read once: a number inside a sum or a date is not also a count or a year."""
    taken: list[tuple[int, int]] = []

    def free(item) -> bool:
        if any(item.start < end and start < item.end for start, end in taken):
            return False
        taken.append((item.start, item.end))
        return True

    amounts = [a for a in [*parse_money(text), *parse_percentages(text)] if free(a)]
    dates = [d for d in parse_dates(text, today) if free(d)]
    quantities = [q for q in parse_quantities(text) if free(q)]
    return Facts(
        dates=tuple(dates),
        amounts=tuple(sorted(amounts, key=lambda a: a.start)),
        quantities=tuple(quantities),
    )

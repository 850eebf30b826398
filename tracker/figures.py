"""How figures are written: without trailing zeros, and with the qualifier, currency and unit
their source gives ("about USD 4.9 billion"). The admin, the front page and the validation
messages of the models write them so."""

from decimal import Decimal

from .choices import Qualifier, Rate, Unit


def number(value: Decimal | None) -> str:
    """A number without trailing zeros: 5.43, 5, 68.7."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return f"{value.normalize():f}"


#: How a list column marks a figure's qualifier: "~USD 4.9 billion".
QUALIFIER_SIGNS = {
    Qualifier.ABOUT: "~",
    Qualifier.MORE_THAN: ">",
    Qualifier.LESS_THAN: "<",
    Qualifier.UP_TO: "≤",
}
#: How prose says it: "about USD 4.9 billion".
QUALIFIER_WORDS = {
    Qualifier.ABOUT: "about ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.LESS_THAN: "less than ",
    Qualifier.UP_TO: "up to ",
}


def stated_value(
    value: Decimal,
    value_high: Decimal | None,
    qualifier: str,
    currency: str,
    unit: str,
    qualifiers: dict = QUALIFIER_SIGNS,
    rate: str = Rate.NONE,
) -> str:
    """A figure with its qualifier, currency, unit and rate: "~USD 4.9 billion", "USD 15–20
    billion per year"; ``qualifiers`` says how a qualifier reads (signs, or ``QUALIFIER_WORDS``)."""
    shown = number(value)
    if qualifier == Qualifier.RANGE:
        shown = f"{shown}–{number(value_high)}"
    parts = [currency, shown, Unit(unit).label, rate and Rate(rate).label]
    return qualifiers.get(qualifier, "") + " ".join(p for p in parts if p)

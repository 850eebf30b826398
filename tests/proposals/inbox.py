"""The article written for the inbox's tests, and the delivery it reports on: two frigates
postponed from 2026 to 2027, and the contract's value."""

import datetime as dt
from pathlib import Path

from tests.factories import make_delivery, make_source
from tracker.models import Delivery, Source
from tracker.services.sources import archive, pasted

ARTICLE = (Path(__file__).parent / "articles" / "frigates_postponed.txt").read_text()
#: The words of the revision's sentence an editor keeps as its quote.
REVISION_QUOTE = "originally due in 2026, has now been postponed to 2027"


def make_frigates() -> Delivery:
    """The delivery the article is about, with no value and no revision yet."""
    return make_delivery(
        1,
        title="Talwar-class frigates",
        designation="Project 11356",
        quantity_ordered=2,
        quantity_unit="frigates",
        value=None,
        value_currency="",
        value_unit="",
    )


def article_source() -> Source:
    """A source of 3 March 2026 whose text is the article, archived (so its proposals are
    stored)."""
    source = make_source(
        1, no_archived_text=False, published_on=dt.date(2026, 3, 3), published_precision="day"
    )
    archive(source, pasted(ARTICLE))
    return source

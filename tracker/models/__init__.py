"""The tracker's records, split by domain."""

from .agreements import Agreement, AgreementParty, AgreementRelation
from .deliveries import Delivery, Tranche
from .events import TimelineEvent
from .issues import Issue
from .proposals import Proposal
from .sources import Citation, Source, SourceText
from .trade import TradeRecord
from .vocab import Party, Sector

__all__ = [
    "Agreement",
    "AgreementParty",
    "AgreementRelation",
    "Citation",
    "Delivery",
    "Issue",
    "Party",
    "Proposal",
    "Sector",
    "Source",
    "SourceText",
    "TimelineEvent",
    "TradeRecord",
    "Tranche",
]

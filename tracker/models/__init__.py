"""The tracker's records, split by domain."""

from .agreements import Agreement, AgreementParty, AgreementRelation
from .deliveries import Delivery, Tranche
from .events import TimelineEvent
from .issues import Issue
from .releases import ObservationFlag, TradeObservation, TradePeriod, TradeRelease
from .sources import Citation, Source
from .trade import TradeRecord
from .vocab import Party, Sector

__all__ = [
    "Agreement",
    "AgreementParty",
    "AgreementRelation",
    "Citation",
    "Delivery",
    "Issue",
    "ObservationFlag",
    "Party",
    "Sector",
    "Source",
    "TimelineEvent",
    "TradeObservation",
    "TradePeriod",
    "TradeRecord",
    "TradeRelease",
    "Tranche",
]

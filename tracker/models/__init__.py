"""The tracker's records, split by domain."""

from .agreements import Agreement, AgreementParty, AgreementRelation
from .deliveries import Delivery, Tranche
from .events import TimelineEvent
from .idempotency import IdempotencyKey
from .issues import Issue
from .sources import Citation, Source
from .trade import TradeRecord
from .vocab import Party, Sector

__all__ = [
    "Agreement",
    "AgreementParty",
    "AgreementRelation",
    "Citation",
    "Delivery",
    "IdempotencyKey",
    "Issue",
    "Party",
    "Sector",
    "Source",
    "TimelineEvent",
    "TradeRecord",
    "Tranche",
]

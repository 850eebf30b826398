"""The tracker's records, split by domain."""

from .agreements import Agreement, AgreementParty, AgreementRelation
from .deliveries import Delivery, Tranche
from .events import TimelineEvent
from .idempotency import IdempotencyKey
from .issues import Issue
from .proposals import Proposal
from .releases import ObservationFlag, TradeObservation, TradePeriod, TradeRelease
from .slugs import (
    AgreementFormerSlug,
    DeliveryFormerSlug,
    IssueFormerSlug,
    SourceFormerSlug,
    TradeRecordFormerSlug,
)
from .sources import Citation, Source, SourceText
from .trade import TradeRecord
from .vocab import Party, Sector

__all__ = [
    "Agreement",
    "AgreementFormerSlug",
    "AgreementParty",
    "AgreementRelation",
    "Citation",
    "Delivery",
    "DeliveryFormerSlug",
    "IdempotencyKey",
    "Issue",
    "IssueFormerSlug",
    "ObservationFlag",
    "Party",
    "Proposal",
    "Sector",
    "Source",
    "SourceFormerSlug",
    "SourceText",
    "TimelineEvent",
    "TradeObservation",
    "TradePeriod",
    "TradeRecord",
    "TradeRecordFormerSlug",
    "TradeRelease",
    "Tranche",
]

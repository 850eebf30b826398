"""The tracker's records, split by domain."""

from .agreements import Agreement, AgreementParty, AgreementRelation
from .deliveries import Delivery, Tranche
from .events import TimelineEvent
from .issues import Issue
from .slugs import (
    AgreementFormerSlug,
    DeliveryFormerSlug,
    IssueFormerSlug,
    SourceFormerSlug,
    TradeRecordFormerSlug,
)
from .sources import Citation, Source
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
    "Issue",
    "IssueFormerSlug",
    "Party",
    "Sector",
    "Source",
    "SourceFormerSlug",
    "TimelineEvent",
    "TradeRecord",
    "TradeRecordFormerSlug",
    "Tranche",
]

"""The vocabularies of the tracker.

Each status vocabulary carries the colour the admin badge and the dashboard use, so the UI and
the API read one definition (``COLOURS[value]``). The database refuses values outside these
lists through check constraints (see ``tracker.db.choices_check``).

Sectors and parties are lookup tables instead (``Sector``, ``Party``): editors add to them
without a code change.
"""

from django.db import models


class ColouredChoices(models.TextChoices):
    """TextChoices whose members have a badge colour, set in ``COLOURS`` below each class."""

    @property
    def colour(self) -> str:
        return COLOURS.get(self.value, "grey")


class AgreementKind(models.TextChoices):
    TREATY = "treaty", "Treaty"
    AGREEMENT = "agreement", "Intergovernmental agreement"
    PACT = "pact", "Pact"
    MOU = "mou", "Memorandum of understanding"
    CONTRACT = "contract", "Contract"
    PROGRAMME = "programme", "Programme"
    PAYMENT_MECHANISM = "payment_mechanism", "Payment mechanism"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    FRAMEWORK = "framework", "Cooperation framework"


class AgreementStatus(ColouredChoices):
    PROPOSED = "proposed", "Proposed"
    NEGOTIATING = "negotiating", "Under negotiation"
    SIGNED = "signed", "Signed"
    # Agreed, adopted or announced at a summit, where no source reports a signature.
    CONCLUDED = "concluded", "Concluded"
    RATIFICATION_PENDING = "ratification_pending", "Ratification pending"
    IN_FORCE = "in_force", "In force"
    IN_OPERATION = "in_operation", "In operation"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class RelationKind(models.TextChoices):
    IMPLEMENTS = "implements", "Implements"
    AMENDS = "amends", "Amends"
    REPLACES = "replaces", "Replaces"
    RELATED = "related", "Related to"


class DeliveryKind(models.TextChoices):
    PURCHASE = "purchase", "Purchase"
    LEASE = "lease", "Lease"
    LICENSED_PRODUCTION = "licensed_production", "Licensed production"
    TECHNOLOGY_TRANSFER = "technology_transfer", "Technology transfer"
    FUEL_SUPPLY = "fuel_supply", "Fuel supply"
    COMMODITY_SUPPLY = "commodity_supply", "Commodity supply"
    TRAINING = "training", "Training"
    CONSTRUCTION = "construction", "Construction"


class DeliveryStatus(ColouredChoices):
    OFFERED = "offered", "Offered"
    UNDER_DISCUSSION = "under_discussion", "Under discussion"
    CONTRACTED = "contracted", "Contracted"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


class Lateness(models.TextChoices):
    """The ways a delivery is known to be late (``DeliveryQuerySet.with_lateness``)."""

    SLIPPED = "slipped", "Slipped past the baseline"
    POSTPONED = "postponed", "Postponed by an unknown span"
    OVERDUE = "overdue", "Overdue: forecast passed"


class PeriodType(models.TextChoices):
    FISCAL_YEAR = "fiscal_year", "India's fiscal year (April–March)"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    QUARTER = "quarter", "Quarter"
    MONTH = "month", "Month"
    RANGE = "range", "Other period"


class TradeFlow(models.TextChoices):
    """Seen from the reporter: exports go to the partner, imports come from it."""

    EXPORT = "export", "Exports (reporter → partner)"
    IMPORT = "import", "Imports (partner → reporter)"
    TOTAL = "total", "Total trade"


class TradeMetric(models.TextChoices):
    VALUE = "value", "Trade value"
    SHARE = "share", "Share"
    PRICE = "price", "Price or discount"
    SAVINGS = "savings", "Savings"
    VOLUME = "volume", "Volume"
    ASSETS = "assets", "Assets acquired"


class TradeKind(ColouredChoices):
    REPORTED = "reported", "Reported"
    PROVISIONAL = "provisional", "Provisional"
    REVISED = "revised", "Revised"
    ESTIMATE = "estimate", "Estimate"
    TARGET = "target", "Target"


class Qualifier(models.TextChoices):
    """How a source states a figure: "$68.7 B", "about $4.9 B", "> 90 %", "$15–20 B"."""

    EXACT = "exact", "Exactly"
    ABOUT = "about", "About"
    MORE_THAN = "more_than", "More than"
    LESS_THAN = "less_than", "Less than"
    UP_TO = "up_to", "Up to"
    RANGE = "range", "Range"


class Unit(models.TextChoices):
    ONE = "one", "units"
    THOUSAND = "thousand", "thousand"
    MILLION = "million", "million"
    BILLION = "billion", "billion"
    PERCENT = "percent", "per cent"
    PER_BARREL = "per_barrel", "per barrel"
    TONNE = "tonne", "tonnes"
    BARREL_PER_DAY = "barrel_per_day", "barrels per day"


class Rate(models.TextChoices):
    """A value given per span of time ("annual savings of $15–20 billion", "up to $1 billion …
    per month"); empty for a value that is the total of its period."""

    NONE = "", "total for the period"
    PER_MONTH = "per_month", "per month"
    PER_YEAR = "per_year", "per year"


class IssueCategory(models.TextChoices):
    DEFENCE = "defence", "Defence supply"
    ECONOMIC = "economic", "Economic"
    FINANCIAL = "financial", "Financial and payments"
    ENERGY = "energy", "Energy"
    HUMANITARIAN = "humanitarian", "Humanitarian and consular"
    GEOPOLITICAL = "geopolitical", "Geopolitical alignment"
    SANCTIONS = "sanctions", "Sanctions and third-party pressure"


class Severity(ColouredChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IssueStatus(ColouredChoices):
    WATCHING = "watching", "Watching"
    ACTIVE = "active", "Active"
    ESCALATING = "escalating", "Escalating"
    EASING = "easing", "Easing"
    RESOLVED = "resolved", "Resolved"


class EventKind(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    NEGOTIATED = "negotiated", "Negotiation round"
    SIGNED = "signed", "Signed"
    APPROVED = "approved", "Approved"
    RATIFIED = "ratified", "Ratified"
    ENTERED_INTO_FORCE = "entered_into_force", "Entered into force"
    ENTERED_SERVICE = "entered_service", "Entered service"
    DENOUNCED = "denounced", "Denounced"
    ORDERED = "ordered", "Ordered"
    DELIVERED_IN_PART = "delivered_in_part", "Delivered in part"
    DELIVERED = "delivered", "Delivered"
    POSTPONED = "postponed", "Postponed"
    FORECAST_REVISED = "forecast_revised", "Forecast revised"
    CANCELLED = "cancelled", "Cancelled"
    RAISED = "raised", "Raised"
    ESCALATED = "escalated", "Escalated"
    EASED = "eased", "Eased"
    RESOLVED = "resolved", "Resolved"
    MEETING = "meeting", "Meeting or visit"
    ANNOUNCED = "announced", "Announced"
    REPORTED = "reported", "Figure reported"
    OTHER = "other", "Other"


#: Steps a party takes on an agreement; each names the party.
PARTY_STEP_KINDS = frozenset(
    {
        EventKind.SIGNED,
        EventKind.APPROVED,
        EventKind.RATIFIED,
        EventKind.ENTERED_INTO_FORCE,
        EventKind.DENOUNCED,
    }
)
#: Steps a party can only take once it has signed.
AFTER_SIGNATURE_KINDS = frozenset(
    {EventKind.RATIFIED, EventKind.ENTERED_INTO_FORCE, EventKind.DENOUNCED}
)
#: Events that move a delivery's schedule; they record the old and the new date.
REVISION_KINDS = frozenset({EventKind.POSTPONED, EventKind.FORECAST_REVISED})
#: Events that only tranches create (see ``Tranche.sync_delivery_event``).
DELIVERY_KINDS = frozenset({EventKind.DELIVERED_IN_PART, EventKind.DELIVERED})
#: Events a delivery's schedule is derived from (``derive_schedule``): the revisions and the
#: completion. A "delivered in part" event is not one: its tranche is.
SCHEDULE_KINDS = REVISION_KINDS | {EventKind.DELIVERED}


class ProposalAction(models.TextChoices):
    """What a proposal offers to do with what a sentence reports."""

    EVENT = "event", "Add a timeline event"
    FIGURE = "figure", "Set a figure of a record"
    TRADE_FIGURE = "trade_figure", "Add a trade figure"
    CITATION = "citation", "Cite for what the record says"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class ActingBody(models.TextChoices):
    UNION_CABINET = "union_cabinet", "Union Cabinet (India)"
    PARLIAMENT_OF_INDIA = "parliament_of_india", "Parliament of India"
    PRESIDENT_OF_INDIA = "president_of_india", "President of India"
    PRIME_MINISTER_OF_INDIA = "prime_minister_of_india", "Prime Minister of India"
    STATE_DUMA = "state_duma", "State Duma (Russia)"
    FEDERATION_COUNCIL = "federation_council", "Federation Council (Russia)"
    PRESIDENT_OF_RUSSIA = "president_of_russia", "President of Russia"
    GOVERNMENT_OF_RUSSIA = "government_of_russia", "Government of Russia"
    MINISTRY = "ministry", "A ministry or agency"
    COMPANY = "company", "A company"


COLOURS = {
    # Agreement status
    "proposed": "grey",
    "negotiating": "blue",
    "signed": "teal",
    "concluded": "teal",
    "ratification_pending": "orange",
    "in_force": "green",
    "in_operation": "green",
    "suspended": "orange",
    "expired": "grey",
    "terminated": "red",
    # Delivery status
    "offered": "grey",
    "under_discussion": "blue",
    "contracted": "teal",
    "in_progress": "orange",
    "delivered": "green",
    "cancelled": "red",
    # Trade kind
    "reported": "green",
    "provisional": "teal",
    "revised": "blue",
    "estimate": "orange",
    "target": "purple",
    # Severity
    "low": "grey",
    "medium": "orange",
    "high": "red",
    "critical": "darkred",
    # Issue status
    "watching": "blue",
    "active": "orange",
    "escalating": "red",
    "easing": "teal",
    "resolved": "green",
}

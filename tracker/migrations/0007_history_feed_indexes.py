"""An index on (history_date, history_id) for each history table the changes feed reads.

The feed pages by (time, row). The index django-simple-history makes covers ``history_date``
alone, and a bulk load writes thousands of history rows with one timestamp: the newest page
then sorts every row of that instant. With the pair indexed it is read straight off the index.
"""

from django.db import migrations

FEED_TABLES = [
    "agreement",
    "citation",
    "delivery",
    "timelineevent",
    "issue",
    "source",
    "traderecord",
    "tranche",
]


def feed_index(model: str) -> migrations.RunSQL:
    table, name = f"tracker_historical{model}", f"history_{model}_feed_idx"
    return migrations.RunSQL(
        f"CREATE INDEX {name} ON {table} (history_date, history_id)",
        f"DROP INDEX {name}",
    )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0006_performance_indexes")]

    operations = [feed_index(model) for model in FEED_TABLES]

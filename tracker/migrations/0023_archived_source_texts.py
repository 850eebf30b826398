"""Sources carry their archived text: versions of it (never edited, a correction is a new
version), the source's current one, the mark of a source without one (a printed book), and
where each citation's quote sits in the text it was found in."""

import django.db.models.deletion
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0022_former_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name="citation",
            name="paragraph",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="citation",
            name="quote_end",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="citation",
            name="quote_start",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="paragraph",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="quote_end",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="quote_start",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="no_archived_text",
            field=models.BooleanField(
                default=False,
                help_text="The text cannot be archived (e.g. a printed book): its citations are accepted, and listed as unverified.",
                verbose_name="no archived text",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="no_archived_text",
            field=models.BooleanField(
                default=False,
                help_text="The text cannot be archived (e.g. a printed book): its citations are accepted, and listed as unverified.",
                verbose_name="no archived text",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="archive_name",
            field=models.CharField(
                blank=True,
                help_text="File name of the archived text this source ships with, if any.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="archive_name",
            field=models.CharField(
                blank=True,
                help_text="File name of the archived text this source ships with, if any.",
                max_length=200,
            ),
        ),
        migrations.CreateModel(
            name="SourceText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField()),
                ("text", models.TextField()),
                ("sha256", models.CharField(editable=False, max_length=64, verbose_name="SHA-256")),
                (
                    "media_type",
                    models.CharField(
                        choices=[
                            ("text/plain", "plain text"),
                            ("text/html", "HTML"),
                            ("application/pdf", "PDF"),
                        ],
                        help_text="The format the text was extracted from.",
                        max_length=40,
                    ),
                ),
                ("file_name", models.CharField(blank=True, max_length=200)),
                (
                    "archived_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="texts",
                        to="tracker.source",
                    ),
                ),
            ],
            options={
                "ordering": ["source", "version"],
            },
        ),
        migrations.AddField(
            model_name="citation",
            name="text",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The version of the source's text the quote was found in.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="citations",
                to="tracker.sourcetext",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="text",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                help_text="The version of the source's text the quote was found in.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.sourcetext",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="current_text",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                help_text="The version of the archived text that quotes are checked against.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.sourcetext",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="current_text",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The version of the archived text that quotes are checked against.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="tracker.sourcetext",
            ),
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("paragraph__isnull", True),
                        ("quote_end__isnull", True),
                        ("quote_start__isnull", True),
                        ("text__isnull", True),
                    ),
                    models.Q(
                        ("paragraph__isnull", False),
                        ("quote_end__isnull", False),
                        ("quote_start__isnull", False),
                        ("text__isnull", False),
                        ("quote_start__lt", models.F("quote_end")),
                    ),
                    _connector="OR",
                ),
                name="citation_location_whole",
                violation_error_message="A citation's location is a text, a start before an end, and a paragraph, or none of them.",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("no_archived_text", False), ("current_text__isnull", True), _connector="OR"
                ),
                name="source_text_or_none",
                violation_error_message="A source marked as having no archived text cannot have one.",
            ),
        ),
        migrations.AddConstraint(
            model_name="sourcetext",
            constraint=models.UniqueConstraint(
                fields=("source", "version"), name="source_text_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="sourcetext",
            constraint=models.CheckConstraint(
                condition=models.Q(("text", ""), _negated=True),
                name="source_text_not_empty",
                violation_error_message="An archived text cannot be empty.",
            ),
        ),
        migrations.AddConstraint(
            model_name="sourcetext",
            constraint=models.CheckConstraint(
                condition=models.Q(("sha256__regex", "^[0-9a-f]{64}$")),
                name="source_text_sha256",
                violation_error_message="The SHA-256 is 64 lowercase hexadecimal digits.",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="sourcetext",
            trigger=pgtrigger.compiler.Trigger(
                name="archived_text_unchanged",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="c49952470a594e4458e06842ba152d88203b2bed",
                    operation="UPDATE",
                    pgid="pgtrigger_archived_text_unchanged_60284",
                    table="tracker_sourcetext",
                    when="BEFORE",
                ),
            ),
        ),
    ]

"""Every quote occurs in the archived text of its source, and an altered quote is caught."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Citation, Source, SourceText
from tracker.services.citations import citations_verify
from tracker.services.sources import PLAIN

pytestmark = pytest.mark.usefixtures("curated")


def verify(seeds) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_citations", sources_dir=seeds, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_quote_of_the_data_set_is_in_its_source(db, seeds_dir):
    out, err = verify(seeds_dir)
    assert f"All {Citation.objects.count()} quotes were found" in out
    assert err == ""


def test_an_altered_quote_fails_and_names_the_record(db, seeds_dir):
    # Written around the models (a save is refused), as SQL or an old database could hold it.
    citation = Citation.objects.filter(delivery__slug="s-400-triumf", figure="value").get()
    Citation.objects.filter(pk=citation.pk).update(quote=citation.quote.replace("5.43", "5.34"))
    err = StringIO()
    with pytest.raises(CommandError, match=r"^1 of \d+ quotes were not found"):
        call_command("verify_citations", sources_dir=seeds_dir, stderr=err)
    assert err.getvalue().strip() == (
        "delivery s-400-triumf — source rebalancing-relations-2025: quote not found: "
        '"the remaining S-400 Triumf regiments (valued $5.34 billion)"'
    )


def test_a_failing_event_quote_names_the_event_and_its_record(db, seeds_dir):
    Citation.objects.filter(event__key="relos-ratified-rus-state-duma").update(
        quote="Russia's State Duma ratified RELOS on December 2, 2025"
    )
    result = citations_verify(sources_dir=seeds_dir)
    assert {failure.record for failure in result.failures} == {
        "event relos-ratified-rus-state-duma on agreement relos"
    }


def test_a_missing_archived_text_is_a_failure(db, seeds_dir, tmp_path):
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    (tmp_path / "seeds" / "003_d5257a8f794ea5ae.txt").unlink()
    result = citations_verify(sources_dir=tmp_path / "seeds")
    cited = Citation.objects.filter(source__archive_name="003_d5257a8f794ea5ae.txt").count()
    assert len(result.failures) == cited > 0
    assert {failure.source for failure in result.failures} == {
        "india-russia-bilateral-relationship"
    }
    assert "archived text 003_d5257a8f794ea5ae.txt not found" in result.failures[0].reason


def test_a_source_without_archived_text_fails_its_quotes(db, seeds_dir):
    Source.objects.filter(slug="exploring-new-pathways").update(archive_name="")
    reasons = {failure.reason for failure in citations_verify(sources_dir=seeds_dir).failures}
    assert reasons == {"the source has no archived text"}


def test_by_default_quotes_are_checked_against_the_texts_in_the_database(db, tmp_path):
    """No folder is read: the check passes with none beside the project, and a new version
    of a text (made current here around ``archive()``, which would refuse it) is checked."""
    out = StringIO()
    call_command("verify_citations", stdout=out, stderr=StringIO())
    assert f"All {Citation.objects.count()} quotes were found" in out.getvalue()
    source = Source.objects.get(slug="rebalancing-relations-2025")
    altered = source.current_text.text.replace("$5.43", "$5.34")
    version = SourceText.objects.create(source=source, version=2, text=altered, media_type=PLAIN)
    Source.objects.filter(pk=source.pk).update(current_text=version)
    result = citations_verify()
    assert {failure.quote for failure in result.failures} == {
        "the remaining S-400 Triumf regiments (valued $5.43 billion)"
    }


def test_citations_of_a_source_marked_without_text_are_listed_unverified(db):
    book = Source.objects.create(slug="printed-book", title="A printed book", no_archived_text=True)
    Citation.objects.create(
        source=book,
        quote="Words on page 12",
        issue=Citation.objects.filter(issue__isnull=False).first().issue,
    )
    out = StringIO()
    call_command("verify_citations", stdout=out, stderr=StringIO())
    assert "Unverified (the source has no archived text): issue " in out.getvalue()
    assert "source printed-book" in out.getvalue()

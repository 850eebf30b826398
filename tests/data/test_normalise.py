"""Quotes are compared with the archived text after normalising typography."""

from tracker.services.citations import normalise


def test_normalising_ignores_typography_and_line_breaks():
    archived = "Moscow is turning into Beijing’s “junior partner”\n  and that — this"
    assert (
        normalise(archived) == 'Moscow is turning into Beijing\'s "junior partner" and that - this'
    )
    assert normalise('Beijing\'s "junior partner" and') in normalise(archived)

"""Sentences and paragraphs keep their place in the text, and abbreviations and decimals do
not end a sentence."""

from tracker.proposals.sentences import paragraphs, split_sentences

TEXT = """Title of the report

  • The deal is worth Rs. 40,000 crore. U.S. sanctions bite; No. 5 was late! Dr. Singh said so.
It cost $5.43 billion. V. Putin came on Dec. 4, 2025. “A quote ends here.” And (this one).
"""


def test_sentences_in_reading_order_with_their_offsets():
    sentences = split_sentences(TEXT)
    assert [s.text for s in sentences] == [
        "Title of the report",
        "The deal is worth Rs. 40,000 crore.",
        "U.S. sanctions bite; No. 5 was late!",
        "Dr. Singh said so.",
        "It cost $5.43 billion.",
        "V. Putin came on Dec. 4, 2025.",
        "“A quote ends here.”",
        "And (this one).",
    ]
    assert [s.index for s in sentences] == list(range(8))
    for sentence in sentences:
        assert TEXT[sentence.start : sentence.end] == sentence.text


def test_a_sentence_knows_its_paragraph_and_a_bullet_is_not_part_of_it():
    sentences = split_sentences(TEXT)
    second = sentences[1]
    paragraph = TEXT[second.paragraph_start : second.paragraph_end]
    assert paragraph.startswith("  • The deal")
    assert second.text in paragraph
    assert (sentences[4].paragraph_start, sentences[4].paragraph_end) == (
        sentences[7].paragraph_start,
        sentences[7].paragraph_end,
    )


def test_blank_lines_are_no_paragraphs():
    assert len(paragraphs(TEXT)) == 3
    assert split_sentences("\n\n  \n") == []

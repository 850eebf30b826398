"""Control characters are refused in every text field, by the models' own validation."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tests.factories import (
    make_agreement,
    make_citation,
    make_delivery,
    make_event,
    make_issue,
    make_party,
    make_sector,
    make_source,
    make_trade,
)
from tracker.models.base import CleanTextModel
from tracker.text import CONTROL_CHARACTER_MESSAGE

pytestmark = pytest.mark.usefixtures("curated")


def test_every_tracker_model_checks_its_text():
    models = [
        model
        for model in apps.get_app_config("tracker").get_models()
        if not model.__name__.startswith("Historical")
    ]
    assert models and all(issubclass(model, CleanTextModel) for model in models)


@pytest.mark.parametrize(
    ("factory", "field", "value"),
    [
        (make_source, "title", "Escape\x1b[31m"),
        (make_source, "notes", "Null\x00byte"),
        (make_agreement, "summary", "Delete\x7f"),
        (make_delivery, "aliases", ["Triumf", "Bell\x07"]),
        (make_issue, "title", "Next\x85line"),
        (make_trade, "title", "Form\x0cfeed"),
        (make_event, "description", "Vertical\x0btab"),
        (make_citation, "quote", "Back\x08space"),
        (make_party, "name", "Country\x01"),
        (make_sector, "name", "Sector\x1f"),
    ],
)
def test_a_control_character_is_refused_naming_the_field(factory, field, value):
    record = factory(80)
    setattr(record, field, value)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict[field] == [CONTROL_CHARACTER_MESSAGE]


def test_tabs_and_line_breaks_are_text():
    source = make_source(81, title="Tab\tand more", notes="One\r\nTwo\nThree")
    source.full_clean()

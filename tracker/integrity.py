"""The database's refusals as the rules' own messages, on the fields they concern.

Validation says what it can before a write; the database enforces the same rules, and is
alone to see a race (two editors taking one slug at once) or a rule across rows that a
trigger checks (the order date after a delivered tranche). Its refusal is an
``IntegrityError`` whose text names constraints, ids and PL/pgSQL context; editors and API
clients get, instead, the rule's own message on the field it concerns:

- a check or unique constraint the models declare: its ``violation_error_message`` (the
  message ``full_clean`` gives), on its one field (or the one ``CONSTRAINT_FIELDS`` names
  for a rule across fields), or on the record as a whole;
- a unique field: Django's "… with this … already exists.", on that field;
- a trigger (``RAISE EXCEPTION`` with a rule's message): the message PostgreSQL reports, which
  is the rule's wording (``TRIGGER_RULES`` of each models module), on the field the rule
  names for the model being saved.

Anything else gets a general message, never the database's text.
"""

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models

from .models.deliveries import TRIGGER_RULES as DELIVERY_RULES
from .models.events import TRIGGER_RULES as EVENT_RULES
from .models.trade import CONSTRAINT_FIELDS

#: A rule's message (how its trigger's message begins) → model label → field.
TRIGGER_RULES = {**DELIVERY_RULES, **EVENT_RULES}
UNKNOWN = "The database refused this change: it conflicts with other data."


def rule_error(error: IntegrityError, model: type[models.Model]) -> ValidationError:
    """``error`` (raised while saving a ``model``) as the rule's message on its field."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is None:
        return ValidationError({NON_FIELD_ERRORS: [UNKNOWN]})
    if diag.constraint_name:
        return constraint_error(diag.constraint_name, diag.table_name, model)
    return trigger_error(diag.message_primary or "", model)


def constraint_error(name: str, table: str | None, model: type[models.Model]) -> ValidationError:
    owner = next(
        (m for m in apps.get_app_config("tracker").get_models() if m._meta.db_table == table),
        model,
    )
    for constraint in owner._meta.constraints:
        if constraint.name == name:
            return ValidationError({field_of(constraint, model): [constraint_message(constraint)]})
    for field in owner._meta.concrete_fields:
        if field.unique and not field.primary_key and f"_{field.column}_" in f"{name}_":
            message = owner().unique_error_message(owner, (field.name,))
            return ValidationError({on(model, field.name): [message]})
    return ValidationError({NON_FIELD_ERRORS: [UNKNOWN]})


def constraint_message(constraint) -> str:
    if isinstance(constraint, models.UniqueConstraint) and not constraint.violation_error_message:
        return "A record with these values already exists."
    return str(constraint.get_violation_error_message())


def field_of(constraint, model) -> str:
    """The one field a constraint is about (or is told on, ``CONSTRAINT_FIELDS``), for
    ``model``'s form; none for a rule of the record as a whole."""
    if constraint.name in CONSTRAINT_FIELDS:
        return on(model, CONSTRAINT_FIELDS[constraint.name])
    fields = set(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    if not fields and condition is not None:
        fields = {name.split("__")[0] for name in condition.referenced_base_fields}
    return on(model, fields.pop()) if len(fields) == 1 else NON_FIELD_ERRORS


def trigger_error(message: str, model: type[models.Model]) -> ValidationError:
    for rule, fields in TRIGGER_RULES.items():
        if message.startswith(rule):
            return ValidationError({on(model, fields.get(model._meta.model_name)): [message]})
    return ValidationError({NON_FIELD_ERRORS: [UNKNOWN]})


def on(model: type[models.Model], field: str | None) -> str:
    """``field`` if ``model`` has it (so a form or serializer can show it there), else the
    record as a whole."""
    names = {f.name for f in model._meta.get_fields()}
    return field if field in names else NON_FIELD_ERRORS

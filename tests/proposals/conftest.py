"""The archived source texts come from the one fixture that knows where they are."""

from tests.data.conftest import seeds_dir  # noqa: F401

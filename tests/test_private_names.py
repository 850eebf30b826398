"""App code names no private attribute of the libraries it builds on (Django, DRF, psycopg and
psycopg_pool, django-filter, django-csp, drf-spectacular …), nor their undocumented query and
view internals: each is the first thing to break on an upgrade.

The check reads the source (``ast``): an attribute whose name starts with one underscore is a
library's private one unless the project defines that name itself, or it is one of the few
that the libraries document (``Model._meta``, ``_default_manager``, ``_base_manager``,
django-simple-history's ``_change_reason``, a named tuple's ``_fields``).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_PACKAGES = ("tracker", "indoru")
#: Underscored names the libraries document as their public interface.
DOCUMENTED = frozenset(
    {
        "_meta",
        "_default_manager",
        "_base_manager",
        "_change_reason",
        "_fields",
        "_asdict",
        "_replace",
    }
)
#: Names without an underscore that are still internals: ORM compiler and query state, the
#: filter sets' class-level filters, DRF's parser context.
INTERNALS = frozenset(
    {
        "base_filters",
        "parser_context",
        "col_count",
        "selected",
        "values_select",
        "annotation_select",
        "extra_select",
        "low_mark",
        "high_mark",
    }
)


#: Built-ins that reach an attribute by its name as a string.
NAMED_ACCESS = frozenset({"getattr", "hasattr", "setattr", "delattr"})


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def defined_names(tree: ast.AST) -> set[str]:
    """Names the code defines: functions, classes, and what it assigns to itself
    (``self._x = …``; ``pool._check = …`` sets a library's)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and getattr(node.value, "id", None) in ("self", "cls")
        ):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def project_imports(tree: ast.AST) -> set[str]:
    """Underscored names imported from the project's own modules."""
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.level or (node.module or "").split(".")[0] in APP_PACKAGES)
        for alias in node.names
    }


def private_uses(tree: ast.AST, own: set[str]) -> list[tuple[int, str]]:
    """(line, name) of every private or internal name of another package that ``tree`` uses."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = node.attr
            # ``super()._x``: a method a library keeps to itself, overridden.
            inherited = isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == (
                "super"
            )
            unknown = name not in own or inherited
            if (is_private(name) and unknown and name not in DOCUMENTED) or name in INTERNALS:
                found.append((node.lineno, name))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in NAMED_ACCESS:
            named = node.args[1] if len(node.args) > 1 else None
            name = getattr(named, "value", None)
            if isinstance(name, str) and is_private(name) and name not in own:
                found.append((node.lineno, name))
        elif isinstance(node, ast.ImportFrom) and not node.level:
            if (node.module or "").split(".")[0] in APP_PACKAGES:
                continue
            found += [(node.lineno, a.name) for a in node.names if is_private(a.name)]
    return found


def app_sources() -> list[Path]:
    return sorted(
        path
        for package in APP_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def test_app_code_names_no_private_attribute_of_a_library():
    trees = {path: ast.parse(path.read_text(), str(path)) for path in app_sources()}
    own = set().union(*(defined_names(tree) | project_imports(tree) for tree in trees.values()))
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path, tree in trees.items()
        for line, name in private_uses(tree, own)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("snippet", "name"),
    [
        ("pool._check = check", "_check"),
        ("responses = super()._get_response_bodies(direction)", "_get_response_bodies"),
        ('getattr(request, "_csp_nonce", None)', "_csp_nonce"),
        ("ops._get_limit_offset_params(low, high)", "_get_limit_offset_params"),
        ("queryset._prefetch_related_lookups", "_prefetch_related_lookups"),
        ("from psycopg_pool.pool import _Scheduler", "_Scheduler"),
        ("self.base_filters = given", "base_filters"),
        ("columns = compiler.select[: compiler.col_count]", "col_count"),
        ("names = query.selected", "selected"),
        ("request.parser_context = None", "parser_context"),
    ],
)
def test_the_check_finds_a_private_name(snippet, name):
    tree = ast.parse(snippet)
    assert name in [found for _line, found in private_uses(tree, defined_names(tree))]


def test_the_check_lets_the_project_s_own_and_documented_names_pass():
    tree = ast.parse(
        "class A:\n"
        "    def _own(self):\n"
        "        self._cache = {}\n"
        "        return self._cache, model._meta.label, Model._default_manager\n"
        "a._own()\n"
    )
    assert private_uses(tree, defined_names(tree)) == []

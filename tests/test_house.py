"""The house rules that import-linter does not check: deferred imports, rooms, sizes, symbols."""

from __future__ import annotations

import ast
import importlib
import inspect
import re

import pytest

from app.domain.kinds import AREA_KINDS, RESOURCE_KINDS
from app.outputs.symbology import AREA_STYLES, RESOURCE_SYMBOLS, browser_symbology
from tests.conftest import ROOT

APP = ROOT / "app"
PYTHON = sorted(APP.rglob("*.py"))
SCRIPTS = sorted((APP / "static").rglob("*.js"))
ROOMS = ["domain", "importers", "storage", "services", "outputs", "web", "cli"]


def _function_imports(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner.lineno, lines[inner.lineno - 2], lines[inner.lineno - 1]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_import_inside_a_function_says_why_it_is_deferred(path):
    undeclared = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                  for n, before, line in _function_imports(path)
                  if "deferred" not in line and "deferred" not in before]
    assert undeclared == [], "import at the top, or comment '# deferred: why'"


@pytest.mark.parametrize("room", ROOMS)
def test_every_room_says_what_it_holds_and_may_import(room):
    doc = ast.get_docstring(ast.parse((APP / room / "__init__.py").read_text(encoding="utf-8")))
    assert doc and re.search(r"[Mm]ay import", doc), f"app/{room}/__init__.py needs its one docstring"


@pytest.mark.parametrize("path", PYTHON + SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300 or "longer than 300 lines because" in text


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_functions_stay_short(path):
    long = [f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno >= 60]
    assert long == []


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_are_modules_without_their_own_copy_of_esc_or_colours(path):
    text = path.read_text(encoding="utf-8")
    assert "(function ()" not in text, "an ES module, not one big closure"
    if path.name != "util.js":
        assert "function esc(" not in text
    assert not re.search(r"#[0-9a-fA-F]{6}", text), "colours come from the page's symbology"


def test_one_symbol_for_every_kind_and_hazard():
    assert set(RESOURCE_SYMBOLS) == set(RESOURCE_KINDS)
    assert set(AREA_STYLES) == set(AREA_KINDS)
    shapes = {(s.marker, s.letter_ja) for s in RESOURCE_SYMBOLS.values()}
    assert len(shapes) == len(RESOURCE_SYMBOLS), "each kind reads apart on black-and-white paper"
    figures = {s.shape for s in RESOURCE_SYMBOLS.values()}
    assert len(figures) == len(RESOURCE_SYMBOLS), "each kind has its own figure on the map too"
    sent = browser_symbology()
    assert set(sent["resources"]) == set(RESOURCE_KINDS) and set(sent["areas"]) == set(AREA_KINDS)


DOORS = [p for p in PYTHON if p.parts[-2] in ("web", "cli", "outputs")]
STORE_EXTENSIONS = re.compile(r"extensions\[[\"'](repository|accounts|register|safety|surveys|analyzer|networks"
                              r"|geocoder|schema_status)[\"']\]")


@pytest.mark.parametrize("path", DOORS, ids=lambda p: str(p.relative_to(ROOT)))
def test_web_cli_and_outputs_hold_no_store(path):
    """The stores are private to services (import-linter forbids ``_stores``; this, the back door)."""
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if STORE_EXTENSIONS.search(line)]
    assert found == [], "ask a use case in services instead"


def _services_called(path):
    """(line, module, function) of every call of a services function in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, functions = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app.services"):
            for alias in node.names:
                target = importlib.import_module(node.module)
                if inspect.ismodule(getattr(target, alias.name, None)):
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                else:
                    functions[alias.asname or alias.name] = (node.module, alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in functions:
            yield node.lineno, *functions[node.func.id]
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in modules:
            yield node.lineno, modules[node.func.value.id], node.func.attr


@pytest.mark.parametrize("path", DOORS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_use_case_called_without_its_stores_finds_them(path):
    """A use case whose first parameter is a store is ``@uses_stores``, else a web call could not give it one."""
    from app.services._stores import STORES  # deferred: only this test reads the services' private door

    bare = []
    for line, module, name in _services_called(path):
        function = getattr(importlib.import_module(module), name)
        if not inspect.isfunction(function) or hasattr(function, "__wrapped__"):
            continue
        first = next(iter(inspect.signature(function).parameters), None)
        if first in STORES:
            bare.append(f"{path.relative_to(ROOT)}:{line}: {module}.{name}")
    assert bare == [], "decorate the use case with services._stores.uses_stores"

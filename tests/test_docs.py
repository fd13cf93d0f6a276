"""The documents tell the truth about the product: every command and route they name exists.

A newcomer copies what the README, the guides and the references show; a command renamed or a
route moved must fail here, not in their hands. The architecture picture is the code's own.
"""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from app import cli
from tests.conftest import ROOT

DOCUMENTS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *ROOT.glob("docs/**/*.md")])
COMMAND = re.compile(r"\bfureai ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)")
# A route: after an HTTP method, or a path in backticks or a table cell that starts at the root.
ROUTE = re.compile(r"(?:\b(GET|POST|PATCH|PUT|DELETE) |`)(/[^\s`|)]*)")
NOT_ROUTES = ("/usr/", "/tmp", "/etc/", "/var/", "/work", "/dev/", "/proc/", "/home/", "/root")
PLACEHOLDER = re.compile(r"\{[^}]*\}|<[^>]*>|\b[A-Z][A-Z_]+\b")


def _texts():
    return [(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in DOCUMENTS]


def test_documents_exist_by_audience():
    names = {name for name, _ in _texts()}
    assert {"README.md", "CONTRIBUTING.md", "docs/cli.md", "docs/api.md", "docs/architecture.md",
            "docs/guide/residents.md", "docs/guide/coordinators.md", "docs/guide/planners.md",
            "docs/guide/supporters.md"} <= names
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 200
    for guide in ROOT.glob("docs/guide/*.md"):
        text = guide.read_text(encoding="utf-8")
        assert text.index("## 日本語") < text.index("## English"), guide.name  # Japanese first


def _commands() -> dict[str, click.Command]:
    return {command.name: command for command in cli.COMMANDS}


def test_every_command_in_the_documents_exists():
    commands, missing, seen = _commands(), [], 0
    for name, text in _texts():
        for words in COMMAND.findall(text):
            first, _, second = words.partition(" ")
            seen += 1
            command = commands.get(first)
            if command is None and first not in ("serve", "routes", "run", "shell"):
                missing.append((name, f"fureai {first}"))
            elif isinstance(command, click.Group) and second and second not in command.commands:
                missing.append((name, f"fureai {words}"))
    assert seen > 50 and not missing


def _routes():
    for name, text in _texts():
        for method, path in ROUTE.findall(text):
            if path.startswith(NOT_ROUTES) or (path == "/" and not method):
                continue
            yield name, method or "GET", PLACEHOLDER.sub("1", path.split("?")[0].split("#")[0]).rstrip(".,:")


def test_every_route_in_the_documents_exists(demo_app):
    adapter = demo_app.url_map.bind("localhost")
    missing, seen = [], 0
    for name, method, path in _routes():
        seen += 1
        try:
            adapter.match(path, method=method)
        except RequestRedirect:
            pass
        except (NotFound, MethodNotAllowed):
            missing.append((name, method, path))
    assert seen > 40 and not missing


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/nowhere/at/all"])
def test_the_route_check_can_fail(demo_app, path):
    with pytest.raises(NotFound):
        demo_app.url_map.bind("localhost").match(path)


def test_the_architecture_picture_is_the_codes_own():
    drawn = subprocess.run([sys.executable, str(ROOT / "scripts" / "draw_rooms.py")], capture_output=True,
                           text=True, check=True, cwd=ROOT).stdout
    assert drawn in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"), \
        "the rooms changed: run scripts/draw_rooms.py and paste its output into docs/architecture.md"

"""Draw the rooms of ``app`` and the imports between them, as a Mermaid diagram (Markdown).

Anyone can run it: ``.venv/bin/python scripts/draw_rooms.py``. It reads the import graph with
grimp (import-linter's own reader), so the picture is the code's, not a drawing kept by hand;
``docs/architecture.md`` holds its output and ``tests/test_docs.py`` fails when they differ.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("web", "cli", "outputs", "services", "importers", "storage", "domain")


def room_of(module: str) -> str | None:
    """The room (``app.<room>``) a module lives in, or None for the app factory and config."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def drawing() -> str:
    """The diagram: each room, and an arrow wherever a module of one room imports one of another.

    No counts: the picture changes when the house does (a new arrow), not with every import.
    """
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("app")
    modules = Counter(room_of(m) for m in graph.modules if room_of(m))
    arrows: Counter = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            here, there = room_of(module), room_of(imported)
            if here and there and here != there:
                arrows[here, there] += 1
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"  {room}[{room}]" for room in ROOMS if modules[room]]
    ordered = sorted(arrows.items(), key=lambda arrow: tuple(ROOMS.index(room) for room in arrow[0]))
    lines += [f"  {a} --> {b}" for (a, b), _ in ordered]
    lines.append("```")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(drawing())

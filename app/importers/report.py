"""What an import says back: row errors, placements, counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    """One problem in a source file, located precisely enough to fix it."""

    file: str
    row: int | None  # the row as Excel numbers it (the header is row 1), or the feature number
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class Unplaced:
    """A row kept but not on the map: its row (as Excel numbers it), its name, and why."""

    row: int
    name: str
    why: str

    def __str__(self) -> str:
        return f"row {self.row} {self.name}: {self.why}"


class ImportFailed(Exception):
    """The file was rejected as a whole; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "\n".join(f"  - {e}" for e in errors[:50])
        more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"import rejected, nothing was stored:\n{shown}{more}")


@dataclass
class ImportReport:
    """Summary of one file's import, printed by the CLI and returned by the API."""

    file: str
    layer: str
    read: int = 0
    stored: int = 0
    placements: Counter = field(default_factory=Counter)
    not_placed: list = field(default_factory=list)  # Unplaced, or a sentence where no row is meant
    notes: list[str] = field(default_factory=list)
    skipped: bool = False

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"{self.file}: skipped — {'; '.join(self.notes)}"]
        out = [f"{self.file}: {self.layer}: read {self.read}, stored {self.stored}"]
        if self.placements:
            placed = ", ".join(f"{k} {v}" for k, v in sorted(self.placements.items()))
            out.append(f"  placed: {placed}")
        out.extend(f"  not placed: {item}" for item in self.not_placed)
        out.extend(f"  note: {n}" for n in self.notes)
        return out


def fail_if(errors: list[RowError]) -> None:
    if errors:
        raise ImportFailed(errors)

"""What an import of a list says about rows it kept but could not fully read (targets, schedules)."""

from __future__ import annotations

from app.domain.schedule import parse_schedule
from app.importers.report import ImportReport


def report_unread_targets(report: ImportReport, unread: list[dict]) -> None:
    """Rows whose 対象 text names no target group (counted only when no target is asked for)."""
    if not unread:
        return
    rows = "; ".join(f"row {r['source_row']} {r['name']} 「{r['attributes'].get('target_group', '')}」"
                     for r in unread[:10])
    report.notes.append(f"{len(unread)} rows with no recognisable target group (counted only when no "
                        f"target is asked for): {rows}")


def report_undated_schedules(report: ImportReport, records: list[dict]) -> None:
    """Schedules that do not read as dates are kept as text; the report says which and why."""
    undated = [(r, why) for r in records if r["attributes"].get("schedule")
               for schedule, why in [parse_schedule(r["attributes"]["schedule"])] if schedule is None]
    if undated:
        rows = "; ".join(f"row {r['source_row']} {r['name']}: {why}" for r, why in undated[:10])
        report.notes.append(f"{len(undated)} schedules kept as text, not as dates: {rows}")

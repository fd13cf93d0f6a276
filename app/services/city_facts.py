"""Facts about whole cities transcribed from public pages: capacities, vacant houses, programmes."""

from __future__ import annotations

from pathlib import Path

from app.importers.city_facts import parse_programmes, parse_shelter_capacity, parse_vacant_houses
from app.importers.report import ImportReport
from app.services.imports import gsi_city_codes
from app.storage.repository import DatasetMeta, Repository


def import_city_statistics(repo: Repository, path: Path, topic: str) -> ImportReport:
    """Import city-level figures (``shelter_capacity`` or ``vacant_houses`` facts tables)."""
    path = Path(path)
    parse = {"shelter_capacity": parse_shelter_capacity, "vacant_houses": parse_vacant_houses}[topic]
    rows, report = parse(path, gsi_city_codes(repo))
    repo.replace_dataset(
        DatasetMeta(key=f"city_statistics:{topic}:{path.stem}", layer="city_statistics",
                    title=f"{topic} ({path.name})", source_file=path.name,
                    attribution="公開ウェブページから手作業で転記した事実 (facts/SOURCES.md) / "
                                "facts transcribed from public pages"),
        statistics_rows=rows)
    return report


def import_programmes(repo: Repository, path: Path) -> ImportReport:
    """Import council programmes and their rules (facts ``salon_programs.csv``)."""
    path = Path(path)
    rows, report = parse_programmes(path, gsi_city_codes(repo))
    repo.replace_dataset(
        DatasetMeta(key=f"programmes:{path.stem}", layer="programmes", title=f"programmes ({path.name})",
                    source_file=path.name,
                    attribution="公開ウェブページから手作業で転記した事実 (facts/SOURCES.md) / "
                                "facts transcribed from public pages"),
        programme_rows=rows)
    return report

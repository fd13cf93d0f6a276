"""The errors the use cases raise, in one place for the web and the command line to catch."""

from __future__ import annotations

from app.importers.report import ImportFailed, ImportReport, RowError
from app.services.analysis import AnalysisError
from app.storage.engine import StorageError

__all__ = ["AnalysisError", "ImportFailed", "ImportReport", "RowError", "StorageError"]

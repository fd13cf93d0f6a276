"""The errors the use cases raise, in one place for the web and the command line to catch."""

from __future__ import annotations

from app.importers.report import ImportFailed, ImportReport, RowError
from app.services.analysis import AnalysisError
from app.services.district_sheet import PrintError
from app.storage.backup import BackupError
from app.storage.edits import NoSuchResource, StaleWrite
from app.storage.engine import StorageBusy, StorageError, StorageReadOnly

__all__ = ["AnalysisError", "BackupError", "ImportFailed", "ImportReport", "NoSuchResource", "PrintError",
           "RowError", "StaleWrite", "StorageBusy", "StorageError", "StorageReadOnly"]

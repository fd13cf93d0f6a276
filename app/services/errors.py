"""The errors the use cases raise, in one place for the web and the command line to catch."""

from __future__ import annotations

from app.importers.report import ImportFailed, ImportReport, RowError
from app.services.analysis import AnalysisError
from app.services.district_sheet import PrintError
from app.services.persons import NotAllowed
from app.storage.backup import BackupError
from app.storage.cql import FilterRefused
from app.storage.edits import NoSuchResource, StaleWrite
from app.storage.engine import StorageBusy, StorageError, StorageReadOnly
from app.storage.safety import EventClosed
from app.storage.sealing import NoKey, WrongKey

__all__ = ["AnalysisError", "BackupError", "EventClosed", "FilterRefused", "ImportFailed", "ImportReport",
           "NoKey", "NoSuchResource", "NotAllowed", "PrintError", "RowError", "StaleWrite", "StorageBusy",
           "StorageError", "StorageReadOnly", "WrongKey"]

"""The application's stores, private to services: web, cli and outputs ask use cases, never a store.

A use case names the stores it needs as its first parameters (``repo``, ``accounts`` …), so a
test can hand it a store it built. ``@uses_stores`` lets the web and the command line call the
same function without them: when its first argument is not a store, the app's stores are put
in front (and any store-named keyword not given is filled), from ``current_app``. ``store``
is the only door to ``current_app.extensions`` for stores; import-linter forbids web, cli
and outputs to import this module (pyproject.toml).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from flask import current_app

from app.storage import Repository
from app.storage.accounts import Accounts
from app.storage.networks import NetworkStore
from app.storage.persons import Register
from app.storage.safety import SafetyChecks
from app.storage.surveys import SurveyBook

# A use case's parameter name -> the app extension holding the store it means (storage.init_app
# and services.init_app put them there).
STORES = {"repo": "repository", "accounts": "accounts", "register": "register", "safety": "safety",
          "book": "surveys", "analyzer": "analyzer", "store": "networks", "networks": "networks",
          "geocoder": "geocoder"}


def store(name: str):
    """The app's store a use case calls ``name``; the geocoder is built on first use (or None)."""
    found = current_app.extensions[STORES[name]]
    return found.get() if name == "geocoder" else found


def get_repository():
    """The application's ``storage.Repository``."""
    return store("repo")


def get_geocoder():
    """The offline 町丁目 geocoder, or None without address data."""
    return store("geocoder")


def get_schema_status():
    """Where the database stands against this release's migrations."""
    return current_app.extensions["schema_status"]


@functools.cache
def _store_types() -> tuple[type, ...]:
    from app.services.analysis import Analyzer  # deferred: analysis imports use cases that import this

    return Repository, Accounts, Register, SafetyChecks, SurveyBook, NetworkStore, Analyzer


def uses_stores(use_case: Callable) -> Callable:
    """Let ``use_case`` be called with its stores (a test) or without them (the web, the CLI).

    Parameters
    ----------
    use_case : callable
        A function whose leading parameters are stores named as in ``STORES``; later
        store-named keyword parameters (``geocoder=None``) are filled too when not given.
    """
    params = list(inspect.signature(use_case).parameters.values())
    leading = []
    for p in params:
        if p.name not in STORES:
            break
        leading.append(p.name)
    later = [p.name for p in params[len(leading):] if p.name in STORES]

    @functools.wraps(use_case)
    def call(*args, **kwargs):
        if (args and isinstance(args[0], _store_types())) or any(n in kwargs for n in leading):
            return use_case(*args, **kwargs)
        filled = {n: store(n) for n in later if n not in kwargs}
        return use_case(*(store(n) for n in leading), *args, **filled, **kwargs)

    return call

"""Facts about a city's data (which lists it publishes, whether its desks have areas), kept per data version.

A card or a near-me answer asks them for every request, and they change only when a list is
imported or a place edited: each is computed once per data version (``Repository.data_version``)
and newest edit (``Repository.last_change``), in each process.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from app.storage.repository import Repository

T = TypeVar("T")
# A repository → (data version, facts by key); weak, so a repository let go takes its facts along.
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept(repo: Repository, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s answer, kept until the next import or edit."""
    version = (repo.data_version(), repo.last_change())
    held = _KEPT.get(repo)
    if held is None or held[0] != version:
        held = _KEPT[repo] = (version, {})
    facts = held[1]
    if key not in facts:
        facts[key] = compute()
    return facts[key]

"""Facts about a city's data (which lists it publishes, whether its desks have areas), kept per data version.

A card or a near-me answer asks them for every request, and they change only when a list is
imported or a place edited: each is computed once per data version (``Repository.data_version``)
and newest edit (``Repository.last_change``), in each process.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from app.services._stores import get_repository
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


# Answers kept across requests (the same city view asked by every resident who opens the map):
# bounded by their bytes in each worker, least recently used out first, each under the data
# version it was built from.
KEPT_ANSWER_BYTES = 48 * 1024 * 1024
_ANSWERS: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()
_ANSWERS_LOCK = threading.Lock()
_HELD = [0]  # bytes kept now


def kept_answer(key: tuple, build: Callable[[], bytes]) -> tuple[str, bytes]:
    """The ETag and bytes of ``build()`` for ``key``, built once per data version and kept.

    ``key`` must name everything the answer depends on (the request and the viewer's scope); the
    data version (every import and edit moves it) and the database are added here. The ETag lets
    a client that holds the answer be told 304.
    """
    repo = get_repository()
    version = (str(repo.reads.url), repo.data_version(), repo.last_change())
    full = (version, key)
    with _ANSWERS_LOCK:
        held = _ANSWERS.get(full)
        if held is not None:
            _ANSWERS.move_to_end(full)
            return held
    body = build()
    etag = hashlib.sha256(repr(full).encode() + body).hexdigest()[:32]
    with _ANSWERS_LOCK:
        if full not in _ANSWERS:
            _ANSWERS[full] = (etag, body)
            _HELD[0] += len(body)
        while _HELD[0] > KEPT_ANSWER_BYTES and len(_ANSWERS) > 1:
            _HELD[0] -= len(_ANSWERS.popitem(last=False)[1][1])
    return etag, body

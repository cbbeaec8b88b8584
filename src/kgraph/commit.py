"""Putting a finished build into ``<out>/`` so that it is never seen half done.

A build writes every output (store, cache, files) into a staging directory
inside ``<out>/`` (same file system, so renames are atomic). Committing it:

1. fsync everything staged;
2. write the journal ``<out>/.kgraph-commit`` (naming the staging directory and
   the entries to move) to a temporary file, fsync it and rename it into place:
   **this rename is the commit point**;
3. move each entry over the old one (directories: old one renamed aside into
   the staging directory first, then the new one renamed in; files: atomic
   ``os.replace``), and delete the old files this build does not make (``remove``:
   graph.ttl and graph.trig of an earlier build, after a build with ``--no-exports``);
4. delete the journal, then the staging directory with the old entries.

A process killed before step 2 leaves ``<out>/`` exactly as it was, plus a
staging directory that no journal names: garbage, removed by the next writer.
Killed after step 2, the journal says what remains to do, and every step of 3
can be redone from any point, so :func:`recover` rolls the commit forward.
Every command that opens ``<out>/`` recovers first: writers under their lock
(:func:`recover`), readers through :func:`settle` (called by
:func:`kgraph.rdf.store.open_store`). So any kgraph command sees either the
old build or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from kgraph.errors import StoreError
from kgraph.lock import try_lock

__all__ = ["JOURNAL", "commit", "new_staging", "pending", "recover", "settle"]

JOURNAL = ".kgraph-commit"
STAGING_PREFIX = ".staging-"
_RETIRED = ".retired"
# Left by builds before the journal existed, or by a crash while the journal was written.
_GARBAGE_PREFIXES = (STAGING_PREFIX, ".retired-", JOURNAL + ".tmp")

def new_staging(out_dir: Path) -> Path:
    """A fresh, empty staging directory inside ``out_dir``."""
    staging = out_dir / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    return staging


def commit(staging: Path, out_dir: Path, entries: Sequence[str], remove: Sequence[str] = ()) -> None:
    """Move ``entries`` (names inside ``staging``) over ``out_dir``'s and delete the files ``remove``
    names from ``out_dir``, as one step that survives a kill."""
    _fsync_tree(staging)
    tmp = out_dir / f"{JOURNAL}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"staging": staging.name, "entries": list(entries), "remove": list(remove)}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out_dir / JOURNAL)
    _fsync_dir(out_dir)
    _roll_forward(out_dir, staging, list(entries), list(remove))


def pending(out_dir: Path) -> bool:
    """Is a committed build waiting to be rolled forward in ``out_dir``?"""
    return (out_dir / JOURNAL).exists()


def recover(out_dir: Path) -> bool:
    """Finish a commit a killed writer left half done, and remove its garbage.

    The caller must hold the write lock (:func:`kgraph.lock.write_lock`): without
    it, another build's staging directory would look like garbage. Returns
    whether a commit was rolled forward.
    """
    rolled = False
    journal = out_dir / JOURNAL
    if journal.exists():
        staging, entries, remove = _read_journal(journal)
        _roll_forward(out_dir, out_dir / staging, entries, remove)
        rolled = True
    if out_dir.is_dir():
        for path in out_dir.iterdir():
            if path.name.startswith(_GARBAGE_PREFIXES):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    return rolled


def settle(out_dir: Path, timeout: float = 60.0) -> None:
    """For readers: make sure what ``out_dir`` holds is one whole build before reading it.

    A pending commit is waited for, or finished when its writer died (a live
    writer holds the lock only for the few renames of its commit, so the wait is
    short). The staging directory of a killed build is removed, if no writer is
    running. Either takes the write lock for a moment, and only when there is
    something to do.
    """
    deadline = time.monotonic() + timeout
    while pending(out_dir) or _has_garbage(out_dir):
        with try_lock(out_dir) as locked:
            if locked:
                recover(out_dir)
                return
        if not pending(out_dir):
            return  # a live build's staging directory: not ours to touch, nothing to wait for
        if time.monotonic() >= deadline:
            raise StoreError(f"{out_dir}/ is being updated by another kgraph process; try again in a moment")
        time.sleep(0.05)


def _has_garbage(out_dir: Path) -> bool:
    try:
        return any(name.startswith(_GARBAGE_PREFIXES) for name in os.listdir(out_dir))
    except OSError:
        return False


def _read_journal(journal: Path) -> tuple[str, list[str], list[str]]:
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        staging, entries, remove = data["staging"], data["entries"], data.get("remove", [])
        names = [staging, *entries, *remove]
        if not all(isinstance(n, str) and n and "/" not in n and n not in (".", "..") for n in names):
            raise ValueError("bad names")
        return staging, entries, remove
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise StoreError(
            f"{journal} is unreadable ({err}); the build in {journal.parent}/ may be incomplete: rebuild it"
        ) from None


def _roll_forward(out_dir: Path, staging: Path, entries: Sequence[str], remove: Sequence[str] = ()) -> None:
    """Move every entry still in ``staging`` into ``out_dir``, delete ``remove``; safe to rerun from any point."""
    retired = staging / _RETIRED
    for name in entries:
        new, target = staging / name, out_dir / name
        if not os.path.lexists(new):
            continue  # moved by an earlier, interrupted run
        if os.path.lexists(target) and (new.is_dir() or (target.is_dir() and not target.is_symlink())):
            retired.mkdir(exist_ok=True)
            aside = retired / name
            if os.path.lexists(aside):
                shutil.rmtree(aside) if aside.is_dir() else aside.unlink()
            target.rename(aside)
        os.replace(new, target)
    for name in remove:
        target = out_dir / name
        if target.is_file() or target.is_symlink():
            target.unlink(missing_ok=True)
    _fsync_dir(out_dir)
    (out_dir / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(out_dir)
    shutil.rmtree(staging, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    """Make everything under ``root`` durable before the journal points at it."""
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            try:
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            except FileNotFoundError:  # gone since the listing (a store's obsolete log): nothing to make durable
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the renames are still atomic
    finally:
        os.close(fd)

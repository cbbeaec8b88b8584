"""One writer at a time per output directory: an exclusive ``flock`` on ``<out>/.kgraph.lock``.

``kgraph build`` and ``kgraph remove`` hold the lock from before they read the
previous build until their outputs are in place. A second writer fails at once
with a message naming the holder, or waits for it (``wait=True``). The kernel
drops the lock when its process dies, however it dies, so a killed build never
leaves a stale lock behind. The file itself is never deleted (deleting a lock
file lets two processes lock two different files of the same name).

Readers (``query``, ``export``, ``serve``) do not take this lock; they only take
it for an instant to finish a commit that a killed writer left half done
(:func:`kgraph.commit.settle`).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kgraph.errors import StoreError

__all__ = ["LOCK_FILE", "holder", "try_lock", "write_lock"]

LOCK_FILE = ".kgraph.lock"
# Readers take the lock for an instant to clean up after a killed build; a writer does not fail for that.
_READER_GRACE = 1.0


def holder(out_dir: Path) -> tuple[int | None, str]:
    """(pid, command) of the process that last took the lock ((None, '') if unknown)."""
    try:
        text = (out_dir / LOCK_FILE).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return None, ""
    pid = int(text[0]) if text and text[0].isdigit() else None
    return pid, text[1] if len(text) > 1 else ""


def _open(out_dir: Path) -> int:
    try:
        return os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise StoreError(f"cannot create the lock file {out_dir / LOCK_FILE}: {err.strerror or err}") from None


def _busy_message(out_dir: Path) -> str:
    pid, command = holder(out_dir)
    who = f"another kgraph {command or 'build'}" + (f" (pid {pid})" if pid else "")
    return f"{who} is writing to {out_dir}/; wait for it or pass --wait"


def _lock_within(fd: int, seconds: float) -> bool:
    """Try to lock for up to ``seconds`` (a reader finishing a commit holds it for a moment only)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)


@contextmanager
def write_lock(
    out_dir: Path,
    *,
    command: str = "build",
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the write lock of ``out_dir`` (which must exist) for the ``with`` block.

    Raises :class:`StoreError` at once when another process holds it, unless
    ``wait``; then ``on_wait`` is told once who is being waited for.
    """
    fd = _open(out_dir)
    try:
        if not _lock_within(fd, _READER_GRACE):
            if not wait:
                raise StoreError(_busy_message(out_dir))
            if on_wait:
                on_wait(_busy_message(out_dir).split(";")[0] + "; waiting for it")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def try_lock(out_dir: Path) -> Iterator[bool]:
    """The write lock if it is free right now; yields whether it was taken.

    For readers that need a moment of exclusive access. Never creates ``out_dir``;
    where the lock file cannot be opened (a read-only copy of an output) it yields False.
    """
    try:
        fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)

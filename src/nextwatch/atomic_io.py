"""Write files so that a reader sees either the old file or the complete new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nextwatch.errors import InvalidOptionError

__all__ = ["atomic_path", "atomic_paths", "ensure_parent_dir"]


def ensure_parent_dir(path: Path) -> None:
    """Create ``path``'s folder, or raise InvalidOptionError naming why it cannot be written."""
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidOptionError(f"cannot create folder {parent} for {path}: {error.strerror}") from error
    if path.is_dir():
        raise InvalidOptionError(f"output path {path} is a directory: give a file name")
    if not os.access(parent, os.W_OK):
        raise InvalidOptionError(f"cannot write to folder {parent}: check its permissions")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``, on error delete it.

    >>> with atomic_path("out/recs.parquet") as tmp:  # doctest: +SKIP
    ...     frame.write_parquet(tmp)                 # out/recs.parquet appears only now, complete
    """
    target = Path(path)
    with _temporary_beside(target) as tmp:
        yield tmp
        os.replace(tmp, target)


@contextlib.contextmanager
def atomic_paths(paths: list[Path]) -> Iterator[list[Path]]:
    """Like ``atomic_path`` for a set of files: all are renamed into place only after every one was written.

    The renames happen back to back at the end, so a failure while writing leaves every old file as it was.
    """
    with contextlib.ExitStack() as stack:
        temporaries = [stack.enter_context(_temporary_beside(Path(path))) for path in paths]
        yield temporaries
        for tmp, path in zip(temporaries, paths, strict=True):
            os.replace(tmp, path)


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    ensure_parent_dir(target)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); the renamed result should get the usual mode for new files.
    os.chmod(tmp, 0o666 & ~_current_umask())
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

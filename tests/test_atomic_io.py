"""atomic_path: a reader sees the old file or the complete new one."""

from pathlib import Path

import pytest

from nextwatch.atomic_io import atomic_path
from nextwatch.errors import InvalidOptionError


def test_success_replaces_target(tmp_path: Path) -> None:
    """A completed write replaces the old file and leaves no temporary file."""
    target = tmp_path / "out.txt"
    target.write_text("old")
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_failure_keeps_old_file(tmp_path: Path) -> None:
    """A write that fails half-way leaves the old file as it was and no temporary file."""
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_directory_target_is_refused(tmp_path: Path) -> None:
    """A directory given as the output file is a clear error."""
    with pytest.raises(InvalidOptionError, match="is a directory"), atomic_path(tmp_path):
        pass


def test_creates_missing_parent(tmp_path: Path) -> None:
    """A missing output folder is created."""
    target = tmp_path / "a" / "b" / "out.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("x")
    assert target.read_text() == "x"


def test_result_has_the_usual_file_mode(tmp_path: Path) -> None:
    """The renamed file gets 0666 less the umask, not the temporary file's private 0600."""
    import os

    mask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644

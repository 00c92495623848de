"""Shared fixtures: the tiny checkpoint of tiny_recommender.py, saved once per session."""

from pathlib import Path

import pytest

from nextwatch.checkpoint import save_checkpoint
from tiny_recommender import tiny_checkpoint


@pytest.fixture(scope="session")
def tiny_checkpoint_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checkpoint") / "tiny.pth"
    save_checkpoint(path, tiny_checkpoint())
    return path

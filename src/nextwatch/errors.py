"""The errors nextwatch raises on purpose.

Every one is a problem the user can fix; its message names the file, column, row or field and says what to do.
The CLI prints ``str(error)`` on one line and exits with code 2; the HTTP service turns them into 4xx answers.
"""

from __future__ import annotations

__all__ = [
    "CheckpointError",
    "InvalidInputError",
    "InvalidOptionError",
    "NextwatchError",
    "TrainingError",
    "UnknownShowError",
    "UnknownUserError",
]


class NextwatchError(Exception):
    """Base of every error nextwatch raises on purpose."""


class InvalidInputError(NextwatchError):
    """An input file (log, dataset, CSV) is missing, unreadable or breaks the schema."""


class InvalidOptionError(NextwatchError):
    """A command-line option or config value is out of range or inconsistent."""


class CheckpointError(NextwatchError):
    """A checkpoint is truncated, of another format version, or not a nextwatch checkpoint."""


class TrainingError(NextwatchError):
    """Training cannot go on (for example a NaN loss)."""


class UnknownUserError(NextwatchError):
    """A viewer id that the model has no history for."""


class UnknownShowError(NextwatchError):
    """A show id that is not in the model's vocabulary."""

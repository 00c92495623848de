"""The ``nextwatch`` command line: one module per command, each with ``register`` and ``run``.

A known error becomes one line on stderr and exit code 2; a bad option is argparse's usage line and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from nextwatch.errors import NextwatchError

__all__ = ["main"]

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _command_modules() -> list[ModuleType]:
    # Imported here so that `nextwatch --help` does not pay for torch.
    from nextwatch.cli import describe, evaluate, experiments, generate, importing, prepare, train, validate

    return [
        generate,
        describe,
        importing,
        validate,
        prepare,
        train,
        evaluate,
        experiments,
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nextwatch", description="Predict the next TV show a viewer will watch.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (also the process's, through the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except NextwatchError as error:
        print(f"nextwatch {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"nextwatch {args.command}: error: {error.strerror or error}{where}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"nextwatch {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code

"""``nextwatch serve``: the HTTP service (FastAPI on uvicorn), bound to loopback unless told otherwise."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nextwatch.cli.options import port_number, positive_int

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve recommendations over HTTP",
        description="Load a checkpoint once and answer HTTP requests (OpenAPI docs at /docs).",
    )
    parser.add_argument("--checkpoint", type=Path, required=True, help="checkpoint file (from nextwatch train)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=port_number, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--threads",
        type=positive_int,
        default=1,
        help="torch threads per request (default 1: requests run side by side, and one small request gains "
        "nothing from more threads but waits on them when the CPU is busy)",
    )
    parser.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug"],
        default="info",
        help="uvicorn log level (default info)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import torch
    import uvicorn

    from nextwatch.recommend import Recommender
    from nextwatch.serving import create_app

    torch.set_num_threads(args.threads)
    app = create_app(Recommender.from_checkpoint(args.checkpoint))
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0

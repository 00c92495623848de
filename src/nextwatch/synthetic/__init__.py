"""Synthetic playback logs in the project's schema, with a known ceiling (the oracle).

``docs/synthetic.md`` describes the generative model, its constants and how the oracle is computed.
"""

from __future__ import annotations

from nextwatch.synthetic.config import GeneratorConfig
from nextwatch.synthetic.generate import GeneratedLog, generate_log, write_log, write_oracle
from nextwatch.synthetic.oracle import ORACLE_COLUMNS, ORACLE_TOP_K, oracle_recall

__all__ = [
    "ORACLE_COLUMNS",
    "ORACLE_TOP_K",
    "GeneratedLog",
    "GeneratorConfig",
    "generate_log",
    "oracle_recall",
    "write_log",
    "write_oracle",
]

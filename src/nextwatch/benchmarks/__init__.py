"""Benchmarks on public data: reproducible tables that compare nextwatch with published figures."""

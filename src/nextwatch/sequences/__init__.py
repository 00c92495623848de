"""Sequences: vocabulary, protocols that cut a clean log into samples, and the dataset directory."""

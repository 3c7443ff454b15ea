"""Benchmark registers generated in bulk (``main.py demo-data --cases N --bulk``), apart from the
demo's real-code-path builder (``storage.demo``)."""

from storage.bulk.builder import BATCH, BUILDER_VERSION, build, cache_key

__all__ = ["BATCH", "BUILDER_VERSION", "build", "cache_key"]

"""Helpers for govlab's own tests and benchmarks: real servers, started and thrown away."""

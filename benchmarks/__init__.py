"""Benchmarks run by ``make bench`` (never timed inside the test suite)."""

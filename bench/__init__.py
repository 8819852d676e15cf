"""Benchmark harness for Impact: a realistic data generator, a runner under gunicorn and reference limits."""

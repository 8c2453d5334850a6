"""``make load``: the registry under gunicorn driven by locust (issue 10). See ``benchmarks/load/run.py``."""

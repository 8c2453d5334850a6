"""Fuzzing the live API with schemathesis (issue 11): ``python -m fuzz.run``, wired into ``.ci/run``."""

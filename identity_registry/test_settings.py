"""Settings for the test suite: production settings plus a throw-away key (DEBUG stays off)."""

from identity_registry.settings import *  # noqa: F403
from identity_registry.settings import SECRET_KEY

SECRET_KEY = SECRET_KEY or "test-suite-only-not-a-secret"
# The Emetteur sent by the SOAP backend in tests that use no certificate (issue 14: never empty).
INSI_EMITTER = "10B0152872"
# Issue 11: fuzz and contract tests fire hundreds of calls per account; throttling tests lower the rate again.
API_THROTTLE_RATE = "1000000/min"

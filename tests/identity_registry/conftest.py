# The consent fixtures (referent, patient, episode, make_professional) serve the issue 11 audit tests too.
from tests.consent.conftest import auditor, episode, make_professional, patient, referent  # noqa: F401

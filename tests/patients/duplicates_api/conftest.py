from tests.patients.api.conftest import *  # noqa: F403 - the API clients of each role

from tests.patients.admin.conftest import *  # noqa: F403 - the staff clients of the identity screens

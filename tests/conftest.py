import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@pytest.fixture
def agent(db):
    from tests.factories import UserFactory

    return UserFactory(username="agent")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness only slows the suite; production keeps Django's default hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _flush_through_append_only_triggers():
    # AUD-01: PostgreSQL refuses TRUNCATE on history tables and logs. The flush that ends each transactional
    # test (TRUNCATE of every table) is let through, in the test suite only.
    from django.test import TransactionTestCase

    from identity_registry.append_only import flush_exception_for_tests

    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        with flush_exception_for_tests():
            original(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Issue 11: API throttling and log-in lockouts count in the cache; each test starts from zero.
    from django.core.cache import cache

    cache.clear()

"""Issue 10: the database router sends lag-tolerant reads to replicas, everything else to the primary.

These tests need no replica server: they ask the router where a query would go. The real streaming replica
is exercised by test_issue10_replica.py (.ci/run starts one).
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from rest_framework.authtoken.models import Token

from identity_registry.database.config import pooled, replica_databases
from identity_registry.database.middleware import PIN_COOKIE, DatabaseRoutingMiddleware
from identity_registry.database.routing import (
    current,
    replica_reads,
    replica_reads_block,
    view_reads_from_replica,
)
from patients.api_tokens import ApiTokenState
from patients.events import PatientEvent
from patients.models import Patient, PatientAccess

SOME_UUID = "0b8e2c52-3f5e-4a8e-9a37-5d6a3c1f2e10"


@pytest.fixture
def one_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


def test_issue10_reads_of_a_declared_block_go_to_the_replica(one_replica):
    with replica_reads_block():
        assert router.db_for_read(Patient) == "replica1"
        assert router.db_for_read(PatientEvent) == "replica1"


def test_issue10_without_replicas_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with replica_reads_block():
        assert router.db_for_read(Patient) == "default"


def test_issue10_reads_outside_a_declared_view_or_block_go_to_the_primary(one_replica):
    assert router.db_for_read(Patient) == "default"


def test_issue10_writes_go_to_the_primary_and_pin_the_rest_of_the_request(one_replica):
    with replica_reads_block() as routing:
        assert router.db_for_read(Patient) == "replica1"
        assert router.db_for_write(Patient) == "default"
        assert router.db_for_read(Patient) == "default"  # read your own write
        assert routing.wrote


def test_issue10_bookkeeping_writes_do_not_pin(one_replica):
    # The access log of a search (AUD-03) is written on the primary, but must not pin every search.
    with replica_reads_block() as routing:
        assert router.db_for_write(PatientAccess) == "default"
        assert router.db_for_read(Patient) == "replica1"
        assert not routing.wrote


@pytest.mark.parametrize("model", [User, Permission, Token, ApiTokenState, PatientAccess])
def test_issue10_authorisation_reads_never_use_a_replica(one_replica, model):
    # A revoked token or a withdrawn permission must count at once, whatever the view declared.
    with replica_reads_block():
        assert router.db_for_read(model) == "default"


def test_issue10_reads_inside_a_transaction_use_the_primary(one_replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica_reads_block():
        assert router.db_for_read(Patient) == "default"


def test_issue10_one_request_reads_one_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2", "replica3"]
    with replica_reads_block():
        chosen = {router.db_for_read(Patient) for _ in range(20)}
    assert len(chosen) == 1


def test_issue10_replicas_are_never_migrated(one_replica):
    assert router.allow_migrate("default", "patients")
    assert not router.allow_migrate("replica1", "patients")


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        ("/api/v1/patients/search/", "POST", True),
        ("/api/v1/events/", "GET", True),
        ("/api/v1/identifier-authorities/", "GET", True),
        ("/admin/patients/patient/", "GET", True),
        ("/admin/patients/patient/", "POST", False),  # admin actions write
        (f"/api/v1/patients/{SOME_UUID}/", "GET", False),  # read by id: often right after a write
        ("/api/v1/patients/", "POST", False),
        ("/api/v1/patients/match/", "POST", False),  # decides whether to create: must see the newest
        ("/admin/patients/patient/1/change/", "GET", False),
    ],
)
def test_issue10_only_declared_views_read_replicas(path, method, expected):
    assert view_reads_from_replica(resolve(path).func, method) is expected


@replica_reads
def _search_like(request):
    return HttpResponse(router.db_for_read(Patient))


@replica_reads
def _writing(request):
    router.db_for_write(Patient)
    return HttpResponse(router.db_for_read(Patient))


def _undeclared(request):
    return HttpResponse(router.db_for_read(Patient))


def _through_middleware(view, *, cookies=None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    middleware = DatabaseRoutingMiddleware(lambda r: middleware.process_view(r, view, (), {}) or view(r))
    response = middleware(request)
    assert current() is None  # the state ends with the request
    return response


def test_issue10_middleware_lets_a_declared_view_read_the_replica(one_replica):
    assert _through_middleware(_search_like).content == b"replica1"
    assert _through_middleware(_undeclared).content == b"default"


def test_issue10_a_write_sets_the_pin_cookie_and_the_pin_reads_the_primary(one_replica, settings):
    settings.REPLICA_PIN_SECONDS = 7
    response = _through_middleware(_writing)
    assert response.content == b"default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 7
    assert response.cookies[PIN_COOKIE]["httponly"]
    # The next request of the same client, within the pin, reads the primary even for a search.
    assert _through_middleware(_search_like, cookies={PIN_COOKIE: "1"}).content == b"default"
    assert PIN_COOKIE not in _through_middleware(_search_like).cookies


def test_issue10_no_pin_cookie_without_replicas(settings):
    settings.DATABASE_REPLICAS = []
    assert PIN_COOKIE not in _through_middleware(_writing).cookies


def test_issue10_pgbouncer_turns_off_server_side_cursors_and_prepared_statements():
    database = pooled({"ENGINE": "django.db.backends.postgresql", "NAME": "registry"}, "pgbouncer")
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert "DISABLE_SERVER_SIDE_CURSORS" not in pooled({"ENGINE": "django.db.backends.postgresql"}, "")
    with pytest.raises(ValueError, match="DATABASE_POOLER"):
        pooled({"ENGINE": "django.db.backends.postgresql"}, "pgpool")


def test_issue10_replica_urls_become_mirrors_of_the_primary_in_tests():
    databases = replica_databases(
        ["postgres://root@127.0.0.1:5433/registry", "postgres://root@replica2.example:5432/registry"], conn_max_age=60
    )
    assert list(databases) == ["replica1", "replica2"]
    assert databases["replica1"]["PORT"] == 5433
    assert databases["replica1"]["TEST"] == {"MIRROR": "default"}

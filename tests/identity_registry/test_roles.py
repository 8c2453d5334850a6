"""ST-09, AUD-02: four role groups, each with exactly the permissions the code lists."""

import pytest
from django.contrib.auth.models import Group

from consent.roles import ROLE_PERMISSIONS as CONSENT_ROLES
from insi.roles import ROLE_PERMISSIONS as INSI_ROLES
from patients import roles
from patients.roles import current_role_permissions

pytestmark = pytest.mark.django_db


def expected_permissions() -> dict[str, set[str]]:
    expected: dict[str, set[str]] = {}
    for mapping in (current_role_permissions(), INSI_ROLES, CONSENT_ROLES):
        for role, perms in mapping.items():
            expected.setdefault(role, set()).update(perms)
    return expected


def test_st09_each_role_group_holds_exactly_its_permissions():
    expected = expected_permissions()
    assert set(Group.objects.values_list("name", flat=True)) >= set(expected)
    for role, perms in expected.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == perms, role


def test_aud02_auditor_role_only_reads():
    for perm in expected_permissions()[roles.AUDITOR]:
        codename = perm.split(".")[1]
        assert codename.startswith("view_"), perm


def test_st09_only_referents_may_set_attributes_and_downgrade():
    expected = expected_permissions()
    for role in (roles.AGENT, roles.AUDITOR, roles.DPI):
        assert not {"patients.set_attribute", "patients.downgrade_identity"} & expected[role], role
    assert {"patients.set_attribute", "patients.downgrade_identity"} <= expected[roles.REFERENT]


def test_st09_a_permission_no_longer_listed_is_taken_back_at_the_next_migrate():
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    agent = Group.objects.get(name=roles.AGENT)
    agent.permissions.add(Permission.objects.get(content_type__app_label="patients", codename="delete_patient"))

    call_command("migrate", verbosity=0)

    assert not agent.permissions.filter(codename="delete_patient").exists()
    held = {f"{p.content_type.app_label}.{p.codename}" for p in agent.permissions.select_related("content_type")}
    assert held == expected_permissions()[roles.AGENT]

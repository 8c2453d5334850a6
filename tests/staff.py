"""Staff users of the four roles, as the admin sees them (ST-09)."""

from django.contrib.auth.models import Group, Permission

from patients.roles import ROLE_PERMISSIONS
from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test"


def role_group(role: str) -> Group:
    """Return the role's group with its permissions (re-seeded: transactional tests flush migration data)."""
    group, _ = Group.objects.get_or_create(name=role)
    if not group.permissions.exists():
        for perm in ROLE_PERMISSIONS[role]:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def staff_member(role: str, *, username: str):
    """A non-superuser staff account in ``role``; its password is ``PASSWORD``."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(role_group(role))
    return user

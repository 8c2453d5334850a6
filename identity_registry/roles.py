"""Seed role groups with permissions from data migrations (cross-app plumbing)."""

from django.contrib.auth.management import create_permissions

# What each app's ready() declared through connect_role_sync: app label → role → permissions.
_DECLARED: dict[str, dict[str, list[str]]] = {}


def grant_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Create the groups if missing and add the listed ``app_label.codename`` permissions to them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, perms in role_permissions.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)


def sync_role_groups(
    role_permissions: dict[str, list[str]], *, using: str = "default", app_label: str | None = None
) -> None:
    """Give the role groups exactly the permissions listed (runtime registry; idempotent).

    With ``app_label``, a permission of that app held by a group but no longer listed is taken back, so a
    permission removed from the code does not linger in the database. Permissions of other apps are left
    to their own app's sync.

    Connected to ``post_migrate`` by each app, so that groups follow the code after every migrate and come
    back after a flush (which re-emits post_migrate).
    """
    from django.contrib.auth.models import Group, Permission

    for name, perms in role_permissions.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for perm in perms:
            label, codename = perm.split(".")
            wanted.extend(Permission.objects.using(using).filter(content_type__app_label=label, codename=codename))
        group.permissions.add(*wanted)
        if app_label is not None:
            stale = group.permissions.filter(content_type__app_label=app_label).exclude(pk__in=[p.pk for p in wanted])
            group.permissions.remove(*stale)


def connect_role_sync(app_config, role_permissions: dict[str, list[str]]) -> None:
    """Sync ``role_permissions`` after each migrate of ``app_config`` (call from its ``ready()``)."""
    from django.db.models.signals import post_migrate

    _DECLARED[app_config.label] = role_permissions

    def _sync(sender, using: str = "default", **kwargs) -> None:
        sync_role_groups(role_permissions, using=using, app_label=app_config.label)

    post_migrate.connect(_sync, sender=app_config, weak=False, dispatch_uid=f"role-sync-{app_config.label}")


def roles_holding(permission: str) -> list[str]:
    """The role groups granted ``permission`` by the mappings the apps sync (for the API documentation)."""
    return sorted(role for mapping in _DECLARED.values() for role, perms in mapping.items() if permission in perms)


def declared_roles() -> list[str]:
    """Every role group named by an app's mapping, in a stable order."""
    return sorted({role for mapping in _DECLARED.values() for role in mapping})

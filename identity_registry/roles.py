"""Seed role groups with permissions from data migrations (cross-app plumbing)."""

from django.contrib.auth.management import create_permissions


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

"""Helpers for data migrations that give a group of people its permissions.

Django creates permissions after all migrations have run (post_migrate), so a
migration that grants them must create them first, from the historical models.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps):
    """Create the permissions of every app's historical models, as post_migrate
    would."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name, permissions, *, only=True):
    """Give the group `group_name` (created if missing) the permissions named as
    (app_label, codename) pairs: exactly these with `only`, else in addition."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    chosen = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in permissions
    ]
    if only:
        group.permissions.set(chosen)
    else:
        group.permissions.add(*chosen)


def revoke(apps, group_name, permissions):
    """Undo grant(..., only=False): take these permissions from the group."""
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label__in={app for app, _ in permissions},
                codename__in={codename for _, codename in permissions},
            )
        )


def delete_group(apps, group_name):
    apps.get_model("auth", "Group").objects.filter(name=group_name).delete()

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors keep the categories; moderators look after topics and read the trail.
GRANTS = {
    "Editors": [
        f"{action}_category" for action in ("add", "change", "delete", "view")
    ],
    "Moderators": ["view_category", "view_topic", "change_topic", "view_topicrecord"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="forums", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="forums")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_counts_trigger"),
        ("articles", "0002_editors_group"),
        ("comments", "0004_moderators_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

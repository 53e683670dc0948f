from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Moderators"
# Exactly what moderating needs: comments, reports, posting rights, words and
# thresholds, notes on members, and seeing members to name them. Nothing editorial.
PERMISSIONS = [
    ("comments", "moderate_comment"),
    ("comments", "view_comment"),
    ("comments", "view_moderationrecord"),
    ("comments", "view_report"),
    ("comments", "delete_report"),
    ("comments", "view_moderationsettings"),
    ("comments", "change_moderationsettings"),
    ("accounts", "view_user"),
] + [
    ("comments", f"{action}_{model}")
    for model in ("restriction", "membernote", "moderationword")
    for action in ("add", "change", "delete", "view")
]


def create_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PERMISSIONS
        ]
    )


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_moderation"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_moderators, remove_moderators)]

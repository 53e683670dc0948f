from django.db import migrations

from config.data_migrations import delete_group, grant

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
    grant(apps, MODERATORS, PERMISSIONS)


def remove_moderators(apps, schema_editor):
    delete_group(apps, MODERATORS)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_moderation"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_moderators, remove_moderators)]

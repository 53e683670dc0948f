from django.db import migrations

from config.data_migrations import delete_group, grant

EDITORS = "Editors"
PERMISSIONS = [
    (app, action, model)
    for app, model in [("articles", "article"), ("articles", "section"),
                       ("articles", "tag")]
    for action in ("add", "change", "delete", "view")
]


def create_editors(apps, schema_editor):
    grant(
        apps,
        EDITORS,
        [(app, f"{action}_{model}") for app, action, model in PERMISSIONS],
    )


def remove_editors(apps, schema_editor):
    delete_group(apps, EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_editors, remove_editors)]

"""The public reasons moderators pick from, and the Moderators' right to keep the
list (retiring a reason instead of deleting it, since comments carry it)."""

from django.db import migrations

from config.data_migrations import grant, revoke

REASONS = [
    "Off-topic",
    "Personal attack",
    "Spam",
    "Medical misinformation",
    "Private information",
    "Other",
]
MODERATORS = "Moderators"
PERMISSIONS = [
    ("comments", f"{action}_removalreason") for action in ("add", "change", "view")
]


def seed(apps, schema_editor):
    RemovalReason = apps.get_model("comments", "RemovalReason")
    for position, label in enumerate(REASONS):
        RemovalReason.objects.get_or_create(
            label=label, defaults={"position": position}
        )
    grant(apps, MODERATORS, PERMISSIONS, only=False)


def unseed(apps, schema_editor):
    revoke(apps, MODERATORS, PERMISSIONS)
    apps.get_model("comments", "RemovalReason").objects.filter(
        label__in=REASONS, comments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_reasons_and_report_decisions")]
    operations = [migrations.RunPython(seed, unseed)]

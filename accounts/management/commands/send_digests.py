from django.core.management.base import BaseCommand

from accounts.emails import send_digests


class Command(BaseCommand):
    help = (
        "Queue the email digests now (the task workers queue them by themselves"
        " once a day at KINDRED_DIGEST_HOUR)."
    )

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"Digests queued (task {result.id}).")

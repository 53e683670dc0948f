from django.core.management.base import BaseCommand

from accounts.emails import send_digests


class Command(BaseCommand):
    help = "Queue today's email digests (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"Digests queued (task {result.id}).")

import importlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_TEST_DB_NAME", "bench_kindred")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

OUT = Path(settings.BASE_DIR) / "var" / "bench"


def main(argv):
    suites = ["comments", "moderation", "forums", "reactions", "members", "memory"]
    parts = ["firstpage"]  # a part of a suite, run alone only when named
    chosen = [name for name in argv if name in suites + parts] or suites
    settings.ALLOWED_HOSTS = ["*"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        for name in chosen:
            figures = importlib.import_module(f"bench.{name}").run()
            path = OUT / f"{name}.json"
            path.write_text(json.dumps(figures, indent=2) + "\n")
            print(f"(written to {path.relative_to(settings.BASE_DIR)})\n")
    finally:
        connection.creation.destroy_test_db(
            settings.DATABASES["default"]["NAME"], verbosity=0
        )


if __name__ == "__main__":
    main(sys.argv[1:])

"""Only the first page as the site serves it, and a reply through the view, the
last parts of bench/comments.py, at the site's own page size (bench/comments.py
times the replies with the whole discussion on one page, where no page ever
splits): `make bench BENCH_ARGS=firstpage`."""

from django.conf import settings

from bench.build import thread
from bench.comments import first_page, reply_growth
from comments.models import ModerationSettings


def run():
    kindred = settings.KINDRED
    settings.KINDRED = {**kindred, "COMMENTS_RATE_SECONDS": 0}
    ModerationSettings.objects.create(hold_first_comments=False)
    try:
        built = {size: thread(size, depth=8, seed=size) for size in (10, 1000, 20000)}
        first = first_page(built)
        replies = reply_growth(built)
    finally:
        settings.KINDRED = kindred
    return {"first_page": first, "reply_growth": replies}

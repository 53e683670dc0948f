from django.db.models import F

from comments.models import Comment, Discussion

# What a rendered thread shows of each member who wrote in it.
SHOWN_IN_THREADS = ("display_name", "is_staff", "avatar", "role")


def refresh_threads_of(member):
    """Make every discussion where `member` wrote render afresh, in one UPDATE.

    Threads are cached under their discussion's version and show each author's
    display name, picture, role and staff badge, so whoever saves a change of
    any of them calls this.
    """
    wrote_in = Comment.objects.filter(author=member).values("discussion_id")
    Discussion.objects.filter(pk__in=wrote_in).update(version=F("version") + 1)

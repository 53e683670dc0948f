"""Moderation from the Django admin.

Comments are never edited or deleted here: a comment's words belong to its author,
and every decision is a status transition (Moderatable) with a reason and a record.
Everything is gated by the `moderate_comment` permission, for proxies too.
"""

from comments.admin.comments import CommentAdmin
from comments.admin.queues import PendingCommentAdmin, ReportedCommentAdmin
from comments.admin.safeguards import RemovalReasonAdmin, RestrictionAdmin

__all__ = [
    "CommentAdmin",
    "PendingCommentAdmin",
    "RemovalReasonAdmin",
    "ReportedCommentAdmin",
    "RestrictionAdmin",
]

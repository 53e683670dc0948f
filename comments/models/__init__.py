"""Comments' models, in two modules: the thread itself and its moderation."""

from comments.models.discussion import (  # noqa: F401
    Comment,
    CommentQuerySet,
    Discussion,
    path_step,
)
from comments.models.moderation import (  # noqa: F401
    MemberNote,
    Moderatable,
    ModerationRecord,
    ModerationSettings,
    ModerationWord,
    RemovalReason,
    Report,
    Restriction,
    fold,
)
from comments.models.queues import PendingComment, ReportedComment  # noqa: F401

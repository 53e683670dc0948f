"""Comments' models: the thread itself, the transitions of a comment's status,
what moderation keeps, and the admin's queues."""

from comments.models.discussion import (  # noqa: F401
    Comment,
    CommentQuerySet,
    Discussion,
    path_step,
)
from comments.models.drafts import Draft, place_for  # noqa: F401
from comments.models.moderation import (  # noqa: F401
    MemberNote,
    ModerationRecord,
    ModerationSettings,
    ModerationWord,
    RemovalReason,
    Report,
    Restriction,
    fold,
)
from comments.models.pages import DiscussionPage  # noqa: F401
from comments.models.queues import PendingComment, ReportedComment  # noqa: F401
from comments.models.reactions import Reaction  # noqa: F401
from comments.models.reading import Visit  # noqa: F401
from comments.models.transitions import Moderatable, Status  # noqa: F401

from django import template

from comments.models import Comment, Report

register = template.Library()


@register.inclusion_tag("admin/comments/_queues.html", takes_context=True)
def moderation_queues(context):
    """How many comments wait in each queue, for moderators on the admin index."""
    user = context["request"].user
    if not user.has_perm("comments.moderate_comment"):
        return {"show": False}
    return {
        "show": True,
        "pending": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "reported": Report.objects.to_decide().values("comment").distinct().count(),
    }

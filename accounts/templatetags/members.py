from django import template

from accounts.models import Follow

register = template.Library()


@register.inclusion_tag("accounts/_follow.html", takes_context=True)
def follow_button(context, discussion):
    """Follow / Unfollow for a discussion, with its state in words; one query
    for members, none for visitors (they are offered a log-in link)."""
    user = context["request"].user
    following = (
        user.is_authenticated
        and Follow.objects.filter(member=user, discussion=discussion).exists()
    )
    return {
        "discussion": discussion,
        "following": following,
        "member": user.is_authenticated,
        "csrf_token": context.get("csrf_token"),
    }

"""Who may do what, URL by URL: the permissions table of the moderation issue.

`member` wrote the comments; `other_member` is anyone else signed in. Forbidden means
forbidden: the answer is a redirect to a login page, 403 or 404, no pending or
removed text is shown, and nothing changes in the database.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Comment, ModerationRecord, Report, Restriction
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "member", "other_member", "editor", "moderator", "superuser"]
SECRET = "Secret words only moderators may read"
LOGIN = "login"  # a redirect to a login page


@pytest.fixture
def people():
    editor = UserFactory(is_staff=True, display_name="Editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = UserFactory(is_staff=True, display_name="Moderator")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return {
        "anonymous": None,
        "member": UserFactory(display_name="Writer"),
        "other_member": UserFactory(display_name="Someone else"),
        "editor": editor,
        "moderator": moderator,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


@pytest.fixture
def scene(people):
    """An article with the member's published comment and a held one."""
    article = ArticleFactory()
    published = comment(
        article.discussion, author=people["member"], body="My published words"
    )
    held = comment(
        article.discussion,
        author=people["member"],
        body=SECRET,
        status=Comment.Status.PENDING,
    )
    return {"article": article, "published": published, "held": held}


def answer(client, people, role, method, url, data=None):
    if people[role]:
        client.force_login(people[role])
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and "login" in response["Location"]:
        return LOGIN, response
    return response.status_code, response


ADMIN_LISTS = [
    "comments_comment",
    "comments_pendingcomment",
    "comments_reportedcomment",
    "comments_moderationrecord",
    "comments_restriction",
    "comments_membernote",
    "comments_moderationword",
    "comments_moderationsettings",
]
# Members are not staff: the admin sends them to log in as staff.
ADMIN_DENIED = {"anonymous": LOGIN, "member": LOGIN, "other_member": LOGIN}
MODERATORS_ONLY = {**ADMIN_DENIED, "editor": 403, "moderator": 200, "superuser": 200}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_moderation_admin_lists(client, people, scene, role, model):
    status, response = answer(
        client, people, role, "get", reverse(f"admin:{model}_changelist")
    )
    if status == 302 and model == "comments_moderationsettings":
        # One row of settings: its list opens the row itself.
        status, response = answer(client, people, role, "get", response["Location"])
    assert status == MODERATORS_ONLY[role]
    if status != 200:
        assert SECRET.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_moderation_admin_comment_page(client, people, scene, role):
    url = reverse("admin:comments_comment_change", args=[scene["held"].pk])
    status, response = answer(client, people, role, "get", url)
    assert status == MODERATORS_ONLY[role]
    assert (SECRET.encode() in response.content) == (status == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action, reason, end",
    [
        ("approve", "", Comment.Status.PUBLISHED),
        ("reject", "Off-topic", Comment.Status.REJECTED),
        ("mark_spam", "", Comment.Status.SPAM),
    ],
)
def test_moderation_admin_actions(client, people, scene, role, action, reason, end):
    data = {"action": action, "_selected_action": [scene["held"].pk]}
    if reason:
        data |= {"apply": "1", "reason": reason}
    url = reverse("admin:comments_comment_changelist")
    status, _ = answer(client, people, role, "post", url, data)
    scene["held"].refresh_from_db()
    allowed = MODERATORS_ONLY[role] == 200
    assert scene["held"].status == (end if allowed else Comment.Status.PENDING)
    assert ModerationRecord.objects.filter(actor__isnull=False).exists() == allowed
    if not allowed:
        assert status == MODERATORS_ONLY[role]


@pytest.mark.parametrize("role", ROLES)
def test_restricting_a_member(client, people, scene, role):
    url = reverse("admin:comments_restriction_add")
    data = {
        "kind": Restriction.Kind.BAN,
        "member": people["member"].pk,
        "reason": "Harassment",
        "guest_email": "",
        "ip_address": "",
    }
    status, _ = answer(client, people, role, "post", url, data)
    allowed = MODERATORS_ONLY[role] == 200
    assert Restriction.objects.exists() == allowed
    if not allowed:
        assert status == MODERATORS_ONLY[role]


@pytest.mark.parametrize("role", ROLES)
def test_view_in_thread(client, people, scene, role):
    url = reverse("comments:moderate_in_thread", args=[scene["held"].pk])
    status, response = answer(client, people, role, "get", url)
    expected = {"moderator": 302, "superuser": 302}
    assert status == expected.get(role, 403)
    if status == 302:
        assert "moderation=on" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_moderator_view_of_the_thread(client, people, scene, role):
    """`?moderation=on` shows held comments to moderators, to no one else but
    their author (who sees their own, marked "awaiting moderation")."""
    url = scene["article"].get_absolute_url() + "?moderation=on"
    status, response = answer(client, people, role, "get", url)
    assert status == 200
    html = response.content.decode()
    sees = role in ("member", "moderator", "superuser")
    assert (SECRET in html) == sees
    assert ("Moderator view" in html) == (role in ("moderator", "superuser"))


@pytest.mark.parametrize("role", ROLES)
def test_reporting(client, people, scene, role):
    url = reverse("comments:report", args=[scene["published"].pk])
    status, _ = answer(client, people, role, "post", url, {"reason": "spam"})
    # Anyone signed in may report someone else's comment; the author is sent back.
    expected = {"anonymous": LOGIN}
    assert status == expected.get(role, 302)
    assert Report.objects.exists() == (role not in ("anonymous", "member"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", ["edit", "delete"])
def test_editing_and_deleting_a_comment(client, people, scene, role, verb):
    target = scene["published"]
    url = reverse(f"comments:{verb}", args=[target.pk])
    data = {"body": "Changed words", "token": "x"} if verb == "edit" else {}
    status, _ = answer(client, people, role, "post", url, data)
    target.refresh_from_db()
    if role == "member":
        assert status == 302
        assert target.body == "Changed words" or target.status == "deleted"
    else:
        # Moderators act from the admin, with a reason; here they are readers.
        assert status == 404
        assert (target.body, target.status) == ("My published words", "published")


@pytest.mark.parametrize("role", ROLES)
def test_editorial_admin(client, people, scene, role):
    url = reverse("admin:articles_article_changelist")
    status, _ = answer(client, people, role, "get", url)
    expected = {**ADMIN_DENIED, "editor": 200, "moderator": 403, "superuser": 200}
    assert status == expected[role]

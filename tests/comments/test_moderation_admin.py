"""The moderation admin: who may see and do what, actions, queues and their cost."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Comment, Discussion, ModerationRecord, Report, Restriction
from tests.comments.make import comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def person(role):
    if role == "anonymous":
        return None
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(is_staff=role in ("editor", "moderator"))
    if role == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    if role == "moderator":
        user.groups.add(Group.objects.get(name="Moderators"))
    return user


def login(client, role):
    user = person(role)
    if user:
        client.force_login(user)
    return user


ADMIN_PAGES = [
    "admin:comments_comment_changelist",
    "admin:comments_pendingcomment_changelist",
    "admin:comments_reportedcomment_changelist",
    "admin:comments_moderationrecord_changelist",
    "admin:comments_restriction_changelist",
    "admin:comments_restriction_add",
    "admin:comments_membernote_changelist",
    "admin:comments_moderationword_changelist",
]
ALLOWED = {
    "anonymous": False,
    "member": False,
    "other_member": False,
    "editor": False,
    "moderator": True,
    "superuser": True,
}


@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_moderation_admin_pages_are_for_moderators_only(client, role, name):
    comment(body="Secret pending words", status=Comment.Status.PENDING)
    login(client, role)
    response = client.get(reverse(name))
    if ALLOWED[role]:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert b"Secret pending words" not in response.content


@pytest.mark.parametrize("role", ALLOWED)
def test_comment_detail_in_admin_is_for_moderators_only(client, role):
    target = comment(body="Secret pending words", status=Comment.Status.PENDING)
    login(client, role)
    response = client.get(reverse("admin:comments_comment_change", args=[target.pk]))
    if ALLOWED[role]:
        assert response.status_code == 200
        assert b"Secret pending words" in response.content
        assert b"View in thread" in response.content
    else:
        assert response.status_code in (302, 403)
        assert b"Secret pending words" not in response.content


@pytest.mark.parametrize("role", ALLOWED)
def test_only_moderators_can_approve_through_the_admin(client, role):
    target = comment(status=Comment.Status.PENDING)
    login(client, role)
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [target.pk]},
    )
    target.refresh_from_db()
    expected = Comment.Status.PUBLISHED if ALLOWED[role] else Comment.Status.PENDING
    assert target.status == expected
    assert ModerationRecord.objects.exists() == ALLOWED[role]


@pytest.mark.parametrize("role", ALLOWED)
def test_view_in_thread_is_for_moderators_only(client, role):
    target = comment(status=Comment.Status.PENDING)
    login(client, role)
    response = client.get(reverse("comments:moderate_in_thread", args=[target.pk]))
    permalink = reverse("comments:permalink", args=[target.pk])
    if ALLOWED[role]:
        assert response.status_code == 302
        assert response["Location"] == f"{permalink}?moderation=on"
    elif role == "anonymous":
        assert response.status_code == 403  # raise_exception: no login detour
    else:
        assert response.status_code == 403


def test_moderators_cannot_edit_or_delete_comments_or_touch_articles(client):
    login(client, "moderator")
    target = comment()
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    response = client.post(
        reverse("admin:comments_comment_delete", args=[target.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Comment.objects.filter(pk=target.pk).exists()


def test_editors_group_has_nothing_of_moderation_and_moderators_nothing_editorial():
    editors = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", flat=True
        )
    )
    moderators = Group.objects.get(name="Moderators").permissions.values_list(
        "content_type__app_label", "codename"
    )
    assert editors == {"articles", "forums"}  # articles, and forum categories
    assert not [p for p in moderators if p[0] == "articles"]
    assert ("comments", "moderate_comment") in set(moderators)


def test_reject_asks_for_a_reason_once_for_the_whole_batch(client):
    moderator = login(client, "moderator")
    pending = [comment(status=Comment.Status.PENDING) for _ in range(3)]
    url = reverse("admin:comments_comment_changelist")
    ids = [c.pk for c in pending]
    response = client.post(url, {"action": "reject", "_selected_action": ids})
    assert response.status_code == 200
    assert b"Give the reason once" in response.content
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 3
    client.post(
        url,
        {
            "action": "reject",
            "_selected_action": ids,
            "apply": "1",
            "reason": "Medical misinformation",
        },
    )
    for target in pending:
        target.refresh_from_db()
        assert target.status == Comment.Status.REJECTED
        assert target.status_reason == "Medical misinformation"
    assert (
        ModerationRecord.objects.filter(actor=moderator, to_status="rejected").count()
        == 3
    )


def test_a_bulk_action_on_500_comments_completes_in_one_request(client):
    login(client, "moderator")
    discussion = Discussion.objects.create()
    ids = [comment(discussion, status=Comment.Status.PENDING).pk for _ in range(500)]
    response = client.post(
        reverse("admin:comments_pendingcomment_changelist"),
        {"action": "approve", "_selected_action": ids},
    )
    assert response.status_code == 302
    assert Comment.objects.published().count() == 500
    discussion.refresh_from_db()
    assert discussion.comment_count == 500


def test_pending_list_query_count_does_not_depend_on_page_size(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "moderator")
    discussion = Discussion.objects.create()
    for _ in range(5):
        comment(discussion, status=Comment.Status.PENDING)
    url = reverse("admin:comments_pendingcomment_changelist")
    client.get(url)  # warm up what is cached per process (content types)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(60):
        comment(discussion, status=Comment.Status.PENDING, author=UserFactory())
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 50


def test_reported_queue_lists_most_reported_first_and_index_counts(client):
    login(client, "moderator")
    once, twice = comment(body="Reported once"), comment(body="Reported twice")
    comment(body="Never reported", status=Comment.Status.PENDING)
    Report.objects.create(comment=once, reporter=UserFactory(), reason="spam")
    for _ in range(2):
        Report.objects.create(comment=twice, reporter=UserFactory(), reason="abusive")
    response = client.get(reverse("admin:comments_reportedcomment_changelist"))
    assert [c.body for c in response.context["cl"].result_list] == [
        "Reported twice",
        "Reported once",
    ]
    index = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for moderators" in index
    assert "<td>1</td>" in index and "<td>2</td>" in index


def test_search_finds_guest_email_and_ip(client):
    login(client, "moderator")
    comment(
        body="From a guest", guest_email="casey@example.org", ip_address="198.51.100.7"
    )
    comment(body="Someone else")
    url = reverse("admin:comments_comment_changelist")
    for term in ["casey@example", "198.51.100.7", "a guest"]:
        result = client.get(url, {"q": term}).context["cl"].result_list
        assert [c.body for c in result] == ["From a guest"], term


def test_ban_offers_to_remove_every_published_comment(client):
    login(client, "moderator")
    troll = UserFactory()
    first, second = comment(author=troll), comment(author=troll)
    reply = comment(parent=first, body="A reply that stays")
    response = client.post(
        reverse("admin:comments_restriction_add"),
        {
            "kind": "ban",
            "member": troll.pk,
            "reason": "Harassment",
            "guest_email": "",
            "ip_address": "",
            "until": "",
            "remove_comments": "on",
        },
    )
    assert response.status_code == 302
    assert Restriction.objects.get().member == troll
    for target in (first, second):
        target.refresh_from_db()
        assert target.status == Comment.Status.REMOVED
        assert target.status_reason == "Harassment"
    reply.refresh_from_db()
    assert reply.status == Comment.Status.PUBLISHED and reply.parent_id == first.pk


def test_a_suspension_needs_an_end_date(client):
    login(client, "moderator")
    response = client.post(
        reverse("admin:comments_restriction_add"),
        {
            "kind": "suspend",
            "member": UserFactory().pk,
            "reason": "Cool off",
            "guest_email": "",
            "ip_address": "",
            "until": "",
        },
    )
    assert response.status_code == 200
    assert b"A suspension needs an end date." in response.content


def test_a_suspension_until_a_date_is_typed_in_one_field(client):
    login(client, "moderator")
    member = UserFactory()
    response = client.post(
        reverse("admin:comments_restriction_add"),
        {
            "kind": "suspend",
            "member": member.pk,
            "reason": "Cool off",
            "guest_email": "",
            "ip_address": "",
            "until": "2031-01-15T09:30",
        },
    )
    assert response.status_code == 302
    until = Restriction.objects.get(member=member).until
    assert (until.year, until.month, until.day, until.minute) == (2031, 1, 15, 30)


def test_a_comments_page_gives_context_and_the_decisions_that_apply(client):
    login(client, "moderator")
    author = UserFactory(display_name="Tom", email="tom@example.org")
    parent = comment(body="Is the extension study still recruiting?")
    comment(author=author, discussion=parent.discussion, status=Comment.Status.REMOVED)
    target = comment(
        parent=parent,
        author=author,
        body="Ask them yourself, lazy.",
        status=Comment.Status.PENDING,
    )
    Restriction.objects.create(kind="hold", member=author, reason="Watch")
    html = client.get(
        reverse("admin:comments_comment_change", args=[target.pk])
    ).content.decode()
    assert "Is the extension study still recruiting?" in html  # what it answers
    assert "1 removed by a moderator" in html and "1 awaiting moderation" in html
    assert "1 restriction in force" in html and "0 notes" in html
    assert "?q=tom%40example.org" in html
    decide = html[html.index('id="decide-heading"') :]
    for offered in [
        'value="approve"',
        'value="reject"',
        'value="mark_spam"',
        'value="remove"',
    ]:
        assert offered in decide
    assert 'value="restore"' not in decide

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [target.pk]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED
    html = client.get(
        reverse("admin:comments_comment_change", args=[target.pk])
    ).content.decode()
    decide = html[html.index('id="decide-heading"') :]
    assert 'value="approve"' not in decide and 'value="remove"' in decide


def test_superusers_get_the_decide_box_too(client):
    login(client, "superuser")
    target = comment(status=Comment.Status.PENDING)
    html = client.get(
        reverse("admin:comments_comment_change", args=[target.pk])
    ).content.decode()
    assert 'id="decide-heading"' in html


# Deciding from a queue's rows --------------------------------------------------


def test_the_admin_actions_are_the_decisions_of_the_transition_table(client):
    from comments.admin import CommentAdmin
    from comments.models.transitions import DECISIONS

    login(client, "moderator")
    response = client.get(reverse("admin:comments_comment_changelist"))
    offered = [
        name for name, _ in response.context["action_form"].fields["action"].choices
    ][1:]
    assert offered == [transition.verb for transition in DECISIONS]
    assert len(CommentAdmin.actions) == 5


def queue_rows(client, name="pendingcomment", **params):
    response = client.get(reverse(f"admin:comments_{name}_changelist"), params)
    assert response.status_code == 200
    return response, [row.pk for row in response.context["cl"].result_list]


def test_each_pending_row_carries_its_decisions_and_the_first_has_the_focus(client):
    login(client, "moderator")
    first = comment(
        body="The first to wait, in full: " + "word " * 60,
        status=Comment.Status.PENDING,
    )
    second = comment(body="Second", status=Comment.Status.PENDING)
    response, rows = queue_rows(client)
    assert rows == [first.pk, second.pk]
    html = response.content.decode()
    assert "word " * 59 + "word" in html  # the whole text, not an excerpt
    for pk in rows:
        for verb in ("approve", "reject", "mark_spam"):
            assert f'name="decision" value="{verb}"' in html
        assert f'name="reason-{pk}"' in html and f'name="note-{pk}"' in html
    assert html.count("autofocus") == 1
    focused = html[: html.index("autofocus")]
    assert focused.rindex(f"/{first.pk}/decide/") > focused.rindex("queue-comment-")


def decide(client, target, decision, name="pendingcomment", following=None, **data):
    query = {"seen": target.status}
    if following:
        query["next"] = following.pk
    url = reverse(f"admin:comments_{name}_decide", args=[target.pk])
    return client.post(
        url + "?" + "&".join(f"{k}={v}" for k, v in query.items()),
        {"decision": decision, **data},
    )


def test_a_row_decision_returns_to_the_queue_with_the_next_row_focused(client):
    moderator = login(client, "moderator")
    first, second, third = (
        comment(body=f"Held {n}", status=Comment.Status.PENDING) for n in range(3)
    )
    response = decide(client, second, "approve", following=third)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:comments_pendingcomment_changelist") + f"?focus={third.pk}"
    )
    second.refresh_from_db()
    assert second.status == Comment.Status.PUBLISHED
    assert second.moderation_records.get().actor == moderator
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Approved 1 comment. (by Fran: “Held 1”)" in html
    assert [row.pk for row in page.context["cl"].result_list] == [first.pk, third.pk]
    before_focus = html[: html.index("autofocus")]
    assert before_focus.rindex(f"/{third.pk}/decide/") > before_focus.rindex(
        f"queue-comment-{third.pk}"
    )


def test_a_row_rejection_takes_the_rows_reason_and_note(client):
    login(client, "moderator")
    target = comment(status=Comment.Status.PENDING)
    decide(
        client,
        target,
        "reject",
        **{f"reason-{target.pk}": "Spam", f"note-{target.pk}": "No adverts, please."},
    )
    target.refresh_from_db()
    assert target.status == Comment.Status.REJECTED
    assert (target.public_reason.label, target.author_note) == (
        "Spam",
        "No adverts, please.",
    )


def test_a_row_rejection_without_a_reason_changes_nothing_and_says_why(client):
    login(client, "moderator")
    target = comment(status=Comment.Status.PENDING)
    response = decide(client, target, "reject")
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING
    assert response["Location"].endswith(f"?focus={target.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Reject: pick a public reason first; nothing changed." in html


def test_the_second_moderator_is_told_the_comment_was_already_decided(client):
    login(client, "moderator")
    target = comment(status=Comment.Status.PENDING)
    stale_url = reverse("admin:comments_pendingcomment_decide", args=[target.pk])
    target.approve(by=UserFactory())  # someone else, a moment before
    response = client.post(
        stale_url + "?seen=pending", {"decision": "mark_spam"}, follow=True
    )
    assert "already decided by another moderator" in response.content.decode()
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED
    assert target.moderation_records.count() == 1


def test_keep_it_from_the_reported_queue(client):
    login(client, "moderator")
    target = comment(body="Blunt but fair")
    Report.objects.create(comment=target, reporter=UserFactory(), reason="abusive")
    response, rows = queue_rows(client, "reportedcomment")
    assert rows == [target.pk]
    html = response.content.decode()
    assert 'value="keep"' in html and "Abusive or hateful" in html
    decide(client, target, "keep", name="reportedcomment")
    assert queue_rows(client, "reportedcomment")[1] == []
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED


def test_a_decision_on_a_comments_page_returns_to_its_queue(client):
    login(client, "moderator")
    target = comment(status=Comment.Status.PENDING)
    page = client.get(
        reverse("admin:comments_pendingcomment_change", args=[target.pk]),
        {"_changelist_filters": "o=1"},
    ).content.decode()
    action = page[page.index('id="decide-heading"') :]
    url = reverse("admin:comments_pendingcomment_decide", args=[target.pk])
    assert f'action="{url}?seen=pending&amp;_changelist_filters=o%3D1"' in action
    response = client.post(
        f"{url}?seen=pending&_changelist_filters=o%3D1",
        {"decision": "remove", "reason": "Off-topic", "note": "Try the forum."},
    )
    assert response["Location"] == (
        reverse("admin:comments_pendingcomment_changelist") + f"?o=1&focus={target.pk}"
    )
    target.refresh_from_db()
    assert target.status == Comment.Status.REMOVED
    assert target.author_note == "Try the forum."


@pytest.mark.parametrize("member", [True, False])
def test_restrict_this_author_opens_the_restriction_form_filled_in(client, member):
    login(client, "moderator")
    author = UserFactory(display_name="Tam") if member else None
    if member:
        target = comment(author=author)
    else:
        target = comment(guest_email="g@example.org", ip_address="203.0.113.5")
    page = client.get(reverse("admin:comments_comment_change", args=[target.pk]))
    html = page.content.decode()
    found = re.search(r'href="([^"]+)"[^>]*>Restrict this author</a>', html)
    url = found.group(1).replace("&amp;", "&")
    form = client.get(url).context["adminform"].form
    assert form.initial["kind"] == "suspend" and form.initial["until"]
    if member:
        assert str(form.initial["member"]) == str(author.pk)
    else:
        assert form.initial["guest_email"] == "g@example.org"
        assert form.initial["ip_address"] == "203.0.113.5"


# Bad filter values ----------------------------------------------------------------

MODERATION_LISTS = [
    "comment",
    "pendingcomment",
    "reportedcomment",
    "moderationrecord",
    "restriction",
    "membernote",
    "moderationword",
    "removalreason",
]
BAD_VALUES = ["\x00", "a\x00b", "99999999999", "not-a-number", "-1", "2026-13-45"]


def filter_parameters(client, name):
    """Every filter and date_hierarchy parameter the list reads, and its search,
    order and page parameters."""
    response = client.get(reverse(f"admin:comments_{name}_changelist"))
    changelist = response.context["cl"]
    names = {"q", "o", "p"}
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if changelist.date_hierarchy:
        field = changelist.date_hierarchy
        names.update(f"{field}__{part}" for part in ("year", "month", "day"))
    return sorted(names)


def test_every_moderation_list_answers_bad_filter_values_without_a_server_error(
    client,
):
    login(client, "superuser")
    target = comment(status=Comment.Status.PENDING)
    Report.objects.create(comment=target, reporter=UserFactory(), reason="spam")
    ModerationRecord.objects.create(comment=target, from_status="", to_status="x")
    statuses = {}
    for name in MODERATION_LISTS:
        url = reverse(f"admin:comments_{name}_changelist")
        for parameter in filter_parameters(client, name):
            for value in BAD_VALUES:
                response = client.get(url, {parameter: value}, follow=True)
                assert response.status_code == 200, (name, parameter, value)
                first = (
                    response.redirect_chain[0][1] if response.redirect_chain else 200
                )
                statuses[(name, parameter, value)] = first
    # The date_hierarchy year past 9999 among them, for every dated list:
    assert statuses[("comment", "created_at__year", "99999999999")] == 302
    assert len(statuses) >= 300
    print(
        f"{len(statuses)} probes;",
        {code: list(statuses.values()).count(code) for code in set(statuses.values())},
    )


def test_a_rows_comment_page_is_the_queues_own_so_decisions_come_back(client):
    login(client, "moderator")
    target = comment(status=Comment.Status.PENDING)
    response, _ = queue_rows(client, o="1")
    url = reverse("admin:comments_pendingcomment_change", args=[target.pk])
    assert f'href="{url}?_changelist_filters=o%3D1"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"member": "2x"},
        {"member": "99999999999999999999"},
        {"ip_address": "not an address"},
        {"kind": "\x00"},
        {"until": "99999-99-99"},
    ],
)
def test_the_restriction_form_ignores_bad_prefilled_values(client, query):
    login(client, "moderator")
    response = client.get(reverse("admin:comments_restriction_add"), query)
    assert response.status_code == 200

import pytest
from django.urls import reverse

from comments.models import Comment, ModerationSettings, Report
from comments.services import report_comment
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    return comment(ArticleFactory().discussion, body="You are all fools")


def test_reporting_needs_an_account(client, reported):
    response = client.post(
        reverse("comments:report", args=[reported.pk]), {"reason": "abusive"}
    )
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Report.objects.exists()


def test_a_member_reports_a_comment_and_is_told_it_was_received(client, reported):
    member = UserFactory()
    client.force_login(member)
    page = client.get(reverse("comments:report", args=[reported.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are all fools" in html and "Medical misinformation" in html
    response = client.post(
        reverse("comments:report", args=[reported.pk]),
        {"reason": "abusive", "note": "Name-calling"},
        follow=True,
    )
    assert "your report was received" in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (
        member,
        "abusive",
        "Name-calling",
    )


def test_a_member_reports_a_comment_only_once(client, reported):
    client.force_login(UserFactory())
    url = reverse("comments:report", args=[reported.pk])
    client.post(url, {"reason": "abusive"})
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert "already reported this comment" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_report_without_a_reason_is_refused_next_to_the_field(client, reported):
    client.force_login(UserFactory())
    response = client.post(
        reverse("comments:report", args=[reported.pk]), {"note": "kept text"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html and "kept text" in html
    assert not Report.objects.exists()


def test_three_members_reporting_hold_the_comment(client, reported):
    for _ in range(3):
        client.force_login(UserFactory())
        client.post(reverse("comments:report", args=[reported.pk]), {"reason": "spam"})
    reported.refresh_from_db()
    assert reported.status == Comment.Status.PENDING


def test_hidden_comments_cannot_be_reported(client):
    hidden = comment(status=Comment.Status.PENDING)
    client.force_login(UserFactory())
    url = reverse("comments:report", args=[hidden.pk])
    assert client.get(url).status_code == 404


def test_members_get_a_report_link_on_others_comments_only(client):
    article = ArticleFactory()
    member = UserFactory()
    theirs = comment(article.discussion, body="Theirs")
    mine = comment(article.discussion, author=member, body="Mine")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "/report/" not in html  # not for anonymous readers
    client.force_login(member)
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("comments:report", args=[theirs.pk]) in html
    assert reverse("comments:report", args=[mine.pk]) not in html


# A queue that empties -----------------------------------------------------------


def moderator():
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def report(target, reporter=None, reason=Report.Reason.ABUSIVE):
    return Report.objects.create(
        comment=target, reporter=reporter or UserFactory(), reason=reason
    )


def reported_queue(client):
    url = reverse("admin:comments_reportedcomment_changelist")
    return [c.pk for c in client.get(url).context["cl"].result_list]


def test_keep_it_closes_the_reports_and_the_comment_leaves_the_queue(client, reported):
    first_reporter = UserFactory()
    report(reported, first_reporter)
    report(reported)
    mo = moderator()
    client.force_login(mo)
    assert reported_queue(client) == [reported.pk]
    assert reported.keep(by=mo)
    reported.refresh_from_db()
    assert reported.status == Comment.Status.PUBLISHED
    assert not Report.objects.open().exists()
    assert set(Report.objects.values_list("resolved_by", flat=True)) == {mo.pk}
    assert reported_queue(client) == []
    record = reported.moderation_records.get()
    assert (record.rule, record.actor, record.reason) == (
        "kept",
        mo,
        "kept: 2 reports closed",
    )
    # The same member reporting again does not bring it back; a new member does.
    client.force_login(first_reporter)
    client.post(reverse("comments:report", args=[reported.pk]), {"reason": "spam"})
    client.force_login(mo)
    assert reported_queue(client) == []
    report(reported)
    assert reported_queue(client) == [reported.pk]


def test_keeping_twice_is_one_decision():
    target = comment()
    report(target)
    mo = moderator()
    assert target.keep(by=mo)
    assert not target.keep(by=mo)
    assert target.moderation_records.count() == 1


def test_keeping_a_comment_the_reports_held_publishes_it_again():
    target = comment()
    ModerationSettings.objects.create(reports_to_hold=1)
    report_comment(comment=target, reporter=UserFactory(), reason="spam")
    target.refresh_from_db()
    assert target.status == Comment.Status.PENDING
    assert target.keep(by=moderator())
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED
    assert not Report.objects.open().exists()
    target.discussion.refresh_from_db()
    assert target.discussion.comment_count == 1


def test_kept_reports_do_not_count_towards_holding_again():
    ModerationSettings.objects.create(reports_to_hold=2)
    target = comment()
    report(target)
    report(target)
    target.keep(by=moderator())
    report_comment(comment=target, reporter=UserFactory(), reason="spam")
    target.refresh_from_db()
    assert target.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize(
    "verb, kwargs",
    [
        ("remove", {"reason": "Abuse"}),
        ("reject", {"reason": "Abuse"}),
        ("mark_spam", {}),
    ],
)
def test_removing_rejecting_or_marking_spam_closes_the_reports(client, verb, kwargs):
    target = comment()
    report(target)
    mo = moderator()
    getattr(target, verb)(by=mo, **kwargs)
    assert Report.objects.get().resolved_by == mo
    client.force_login(mo)
    assert reported_queue(client) == []


def test_the_admin_home_counts_open_work_only(client):
    kept, removed, waiting = comment(), comment(), comment()
    for target in (kept, removed, waiting, waiting):
        report(target)
    comment(status=Comment.Status.PENDING)
    comment(status=Comment.Status.PENDING)
    mo = moderator()
    kept.keep(by=mo)
    removed.remove(by=mo, reason="Abuse")
    client.force_login(mo)
    index = client.get(reverse("admin:index")).content.decode()
    queues = index[index.index('id="moderation-queues"') :]
    pending_row, reported_row = queues.split("</tr>")[:2]
    assert "Pending comments" in pending_row and "<td>2</td>" in pending_row
    assert "Reported comments" in reported_row and "<td>1</td>" in reported_row


def test_the_reporter_is_told_their_report_was_reviewed_and_nothing_more(
    client, rf, reported
):
    from django.contrib.sessions.middleware import SessionMiddleware

    from comments.views.moderation import report_tools

    member = UserFactory()
    other = comment(reported.discussion, body="Not reported")
    report(reported, member)
    request = rf.get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = member
    tools = report_tools(request, reported.discussion)
    assert "a moderator will review your report" in tools(reported.pk)
    assert reverse("comments:report", args=[other.pk]) in tools(other.pk)
    reported.remove(by=moderator(), reason="Abuse")
    tools = report_tools(request, reported.discussion)
    assert "A moderator has reviewed your report" in tools(reported.pk)
    assert "Abuse" not in tools(reported.pk)
    # The report page says the same to a member who follows the link again.
    kept = comment(reported.discussion, body="Kept")
    report(kept, member)
    kept.keep(by=moderator())
    client.force_login(member)
    response = client.get(reverse("comments:report", args=[kept.pk]), follow=True)
    assert "A moderator has reviewed your report" in response.content.decode()


def test_a_comment_its_author_deleted_leaves_the_reported_queue(client):
    target = comment(author=UserFactory())
    report(target)
    target.delete_by_author(by=target.author)
    mo = moderator()
    client.force_login(mo)
    assert reported_queue(client) == []
    index = client.get(reverse("admin:index")).content.decode()
    reported_row = index[index.index("Reported comments") :].split("</tr>")[0]
    assert "<td>0</td>" in reported_row
    assert not target.keep(by=mo)

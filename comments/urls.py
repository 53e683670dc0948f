from django.urls import path

from comments.views import drafts, moderation, reactions, reading, writing

app_name = "comments"
urlpatterns = [
    path("<int:pk>/", reading.permalink, name="permalink"),
    path("<int:pk>/thread/", reading.subthread, name="thread"),
    path("discussions/<int:discussion_id>/post/", writing.post, name="post"),
    path("<int:pk>/reply/", writing.reply, name="reply"),
    path("<int:pk>/edit/", writing.edit, name="edit"),
    path("<int:pk>/delete/", writing.delete, name="delete"),
    path("drafts/", drafts.drafts, name="drafts"),
    path("drafts/<int:pk>/discard/", drafts.discard, name="discard_draft"),
    path("<int:pk>/report/", moderation.report, name="report"),
    path("<int:pk>/react/", reactions.reaction, name="react"),
    path("<int:pk>/moderate/", moderation.in_thread, name="moderate_in_thread"),
]

from django.urls import path

from accounts import data_views, views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("settings/emails/", views.email_settings, name="emails"),
    path("settings/account/", data_views.account, name="account"),
    path("settings/account/export/", data_views.export, name="export"),
    path("settings/account/code/", data_views.send_code, name="send_code"),
    path("follow/<int:discussion_id>/", views.follow, name="follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/", views.member, name="member"),
    path("<int:pk>/mute/", views.mute, name="mute"),
    path("initials/<str:letters>/<int:colour>.svg", views.initials, name="initials"),
]

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("<int:pk>/", views.member, name="member"),
    path("initials/<str:letters>/<int:colour>.svg", views.initials, name="initials"),
]

from django.urls import path

from samizdat.identity import views

app_name = "identity"

urlpatterns = [
    path("login/", views.login_start, name="login"),
    path("popup-done/", views.popup_done, name="popup-done"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.me, name="me"),
    path("avatar/<str:key>.svg", views.avatar, name="avatar"),
]

from django.urls import path

from samizdat.antispam import views

app_name = "antispam"

urlpatterns = [
    path("challenge/", views.challenge_view, name="challenge"),
]

from django.urls import path

from samizdat.desk import views

app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("action/", views.act, name="act"),
    path("undo/", views.undo, name="undo"),
    path("empty/", views.empty, name="empty"),
]

from django.urls import path

from samizdat.desk import views, writing_views

app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("action/", views.act, name="act"),
    path("undo/", views.undo, name="undo"),
    path("empty/", views.empty, name="empty"),
    # The writer's desk.
    path("write/", writing_views.write, name="write-new"),
    path("write/<int:pk>/", writing_views.write, name="write"),
    path("write/preview/", writing_views.preview, name="preview"),
    path("write/autosave/", writing_views.autosave, name="autosave"),
    path("write/sources/", writing_views.parse_sources, name="parse-sources"),
    path("write/<int:pk>/revisions/", writing_views.revisions, name="revisions"),
    path("revisions/<int:pk>/restore/", writing_views.restore, name="restore"),
]

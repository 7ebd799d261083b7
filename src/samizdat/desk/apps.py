from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The comments desk: staff moderate, reply and edit without leaving the queue."""

    name = "samizdat.desk"
    label = "desk"
    verbose_name = "Comments desk"

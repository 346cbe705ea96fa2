from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "operations.groups"
    label = "groups"
    verbose_name = "Groups and crèche"
    default_auto_field = "django.db.models.BigAutoField"

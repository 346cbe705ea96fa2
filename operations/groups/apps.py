from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "operations.groups"
    label = "groups"
    verbose_name = "Groups and crèche"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations.core import config_cache
        from operations.groups.models import Group, GroupSettings

        config_cache.renew_on_change(GroupSettings)
        # A group's schedule decides whether its crèche may need registration.
        config_cache.renew_on_change(Group)

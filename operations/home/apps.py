from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "operations.home"
    label = "home"
    verbose_name = "Home pages"

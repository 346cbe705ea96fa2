from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "operations.search"
    label = "search"
    verbose_name = "Search"

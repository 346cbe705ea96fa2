"""The project's date and time formats (Django's FORMAT_MODULE_PATH)."""

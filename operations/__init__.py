"""Project package: settings, URLs, the Celery app and the organisation-wide apps."""

from operations.celery import app as celery_app

__all__ = ("celery_app",)

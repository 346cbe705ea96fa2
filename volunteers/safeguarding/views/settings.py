"""The manager's safeguarding settings. Being written."""

from django.http import Http404


def safeguarding_settings(request):
    raise Http404

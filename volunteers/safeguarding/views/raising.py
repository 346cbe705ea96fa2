"""Raising a concern and "My concerns" (volunteers and PSOs, on a phone). Being written."""

from django.http import Http404


def concern_new(request):
    raise Http404


def concern_mine(request):
    raise Http404

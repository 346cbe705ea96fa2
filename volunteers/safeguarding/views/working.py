"""The concerns worklist, one concern and its steps. Being written."""

from django.http import Http404


def concern_list(request):
    raise Http404


def concern_detail(request, pk):
    raise Http404


def concern_acknowledge(request, pk):
    raise Http404


def concern_plan(request, pk):
    raise Http404


def concern_close(request, pk):
    raise Http404

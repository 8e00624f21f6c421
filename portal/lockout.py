"""The page a locked-out sign-in gets (django-axes calls it): 429, in the reader's
language, saying how long to wait, with Retry-After."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, round(wait / 60))
    response = render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response

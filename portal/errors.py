"""Errors every service raises, so every door (view, admin action, task) can turn
them into the same clear message."""

from django.utils.translation import gettext_lazy as _


class ActionRefused(Exception):
    """The action is not allowed now: wrong state, wrong unit, bad input. Nothing changed.

    `field` names the input the refusal is about (an unknown unit, an inactive
    category), so the API can answer with a field error; pages show the message."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class ChangedBySomeoneElse(ActionRefused):
    """The record moved on since the form was loaded; the action was not applied."""

    def __init__(self, message=None):
        super().__init__(message or _("This order was changed by someone else. Reload it and try again."))


class NotAllowed(ActionRefused):
    """The user may see the record but their role may not do this, whatever its
    state (a handler dispatching by hand, a supervisor acting). The API answers 403."""


class NotFound(Exception):
    """The record does not exist or the user may not see it; the two look the same."""

"""Errors every service raises, so every door (view, admin action, task) can turn
them into the same clear message."""

from django.utils.translation import gettext_lazy as _


class ActionRefused(Exception):
    """The action is not allowed now: wrong state, wrong unit, bad input. Nothing changed."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class ChangedBySomeoneElse(ActionRefused):
    """The record moved on since the form was loaded; the action was not applied."""

    def __init__(self, message=None):
        super().__init__(message or _("This order was changed by someone else. Reload it and try again."))


class NotFound(Exception):
    """The record does not exist or the user may not see it; the two look the same."""

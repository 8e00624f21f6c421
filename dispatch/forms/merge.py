"""Forms for merging duplicate orders and undoing a merge. The services decide
whether the merge is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.forms import VersionedForm


class MergeForm(VersionedForm):
    """Carries the follower's version (the page the button sits on) and the lead."""

    lead = forms.CharField(
        max_length=40,
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the order to merge into.")},
    )


class UnmergeForm(VersionedForm):
    pass

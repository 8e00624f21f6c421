"""Forms for the 12345 centre's triage actions on the order page: reject as out of
scope, and change the category. The services check the texts and the category."""

from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms import category_label
from complaints.models import Category
from dispatch.forms import RESIDENT_SEES, TEXT_ROWS, VersionedForm

# The same words the service uses, so a refusal reads the same from every door.
NO_CATEGORY = _("Choose an active category.")


class RejectForm(VersionedForm):
    # Not required here: the service refuses an empty reason with a message that says who reads it.
    reason = forms.CharField(
        label=_("Why can it not be accepted? (the resident reads this)"),
        required=False,
        help_text=RESIDENT_SEES,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS, "maxlength": 1000}),
    )


def category_choices() -> list:
    """Active categories under their active group, as <optgroup>s, in one query."""
    leaves = (
        Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )
    return [
        (category_label(group), [(leaf.pk, category_label(leaf)) for leaf in members])
        for group, members in groupby(leaves, key=lambda leaf: leaf.parent)
    ]


class RecategoriseForm(VersionedForm):
    category = forms.TypedChoiceField(
        label=_("New category"),
        coerce=int,
        error_messages={"required": NO_CATEGORY, "invalid_choice": NO_CATEGORY},
    )
    reroute = forms.BooleanField(label=_("Route it again by the new category"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices()]

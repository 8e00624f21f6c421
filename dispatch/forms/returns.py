"""Forms for returning an order (退单) and for taking it back or handing it up.
As with the other desk forms, the services decide whether the action is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.forms import INTERNAL, TEXT_ROWS, VersionedForm
from dispatch.forms.reply_templates import TemplatePickerMixin
from dispatch.models import ReturnReason

# The same words the service uses, so a refusal reads the same from every door.
NO_REASON = _("Choose why the order is not yours.")


class ReturnForm(TemplatePickerMixin, VersionedForm):
    template_target = "note"
    reason = forms.ChoiceField(
        label=_("Why is the order not yours?"),
        choices=[("", "—"), *ReturnReason.choices],
        error_messages={"required": NO_REASON, "invalid_choice": NO_REASON},
    )
    # Not required here: the service asks for it when the reason is "other".
    note = forms.CharField(
        label=_("Note for the 12345 centre"),
        required=False,
        help_text=INTERNAL,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS, "placeholder": _("Required when the reason is “Other”")}),
    )


class RecallForm(VersionedForm):
    pass

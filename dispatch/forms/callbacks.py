"""The callback forms (回访): the resident's answers taken on the call, and "no
answer". The services decide whether the order may be called now."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms.base import NewlineCharField
from complaints.forms.tracking import MAX_COMMENT
from complaints.models import Satisfaction
from dispatch.forms import RESIDENT_SEES

NO_SOLVED = _("Choose whether the resident says the problem is solved.")
NO_SATISFACTION = _("Choose how satisfied the resident is: satisfied, basically satisfied or not satisfied.")


class CallbackPageField(forms.IntegerField):
    """The queue page the operator came from, to land back on it; anything odd is page 1."""

    def __init__(self):
        super().__init__(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self, value):
        try:
            return super().clean(value) or 1
        except forms.ValidationError:
            return 1


class CallbackRatingForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": NO_SOLVED, "invalid_choice": NO_SOLVED},
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": NO_SATISFACTION, "invalid_choice": NO_SATISFACTION},
    )
    comment = NewlineCharField(
        label=_("What the resident said (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        help_text=RESIDENT_SEES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    page = CallbackPageField()

    def __init__(self, *args, complaint_id: int | None = None, **kwargs):
        # Many rows' forms share the queue page: ids must not collide.
        if complaint_id is not None:
            kwargs.setdefault("auto_id", f"cb{complaint_id}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CallbackNoAnswerForm(forms.Form):
    page = CallbackPageField()

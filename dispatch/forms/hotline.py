"""The hotline desk's intake form: what the operator takes down on the call. It
parses and finds the place; complaint_submit checks the rules again, so a
refusal reads the same as on the resident's form."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.forms.base import NewlineCharField, category_label
from complaints.forms.intake import MAX_DESCRIPTION
from complaints.forms.questions import PREFIX, add_answer_errors, field_name, question_field, question_label
from complaints.models import Category, CategoryQuestion, DemandType, Region
from complaints.phones import normalize_phone
from complaints.selectors import categories_for_intake
from complaints.selectors.place_search import (
    PlaceHit,
    beijing_place,
    place_hit,
    place_query_clean,
    place_resolve,
    place_search,
)
from complaints.services.intake import intake_category
from complaints.services.questions import answers_clean, questions_for
from dispatch.services.hotline import ADDRESS_NEEDED, HotlineDemand, hotline_address_needed

CALLER_MAX_LENGTH = 30
UNKNOWN_PLACE = _("Unknown place: choose a street or community of Beijing from the suggestions.")
UNSEEN_QUESTIONS = _("This category asks a few more questions, shown below the category. Ask the caller, then save.")


def caller_phone(raw) -> str:
    """The caller's number normalised, or a ValidationError with the portal's message."""
    if not isinstance(raw, str) or len(raw) > CALLER_MAX_LENGTH or "\x00" in raw:
        raw = ""
    return normalize_phone(raw.strip())


class HotlineForm(forms.Form):
    caller = forms.CharField(
        label=_("Caller's number"),
        max_length=CALLER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off", "accesskey": "n"}),
        error_messages={"required": _("Give the caller's phone number.")},
    )
    caller_name = forms.CharField(
        label=_("Caller's name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("e.g. 张先生")}),
        error_messages={"required": _("Ask the caller how to address them.")},
    )
    hide_name = forms.BooleanField(label=_("The caller asked for confidentiality (hide the name)"), required=False)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    demand_type = forms.ChoiceField(
        label=_("Demand type"),
        choices=DemandType.choices,
        initial=DemandType.COMPLAINT,
        error_messages={
            "required": _("Choose what kind of demand this is."),
            "invalid_choice": _("Choose what kind of demand this is."),
        },
    )
    category = forms.CharField(
        label=_("Category"),
        widget=forms.Select(),
        error_messages={"required": _("Choose what the demand is about.")},
    )
    place = forms.CharField(
        label=_("Place (street or community)"),
        max_length=100,
        strip=False,
        help_text=_("Type part of the name, e.g. 多福巷 or 东华门, and choose from the suggestions."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "place-suggestions", "accesskey": "p"}),
        error_messages={"required": _("Give the street or community the demand is about.")},
    )
    # Set by hotline.js when a suggestion is chosen, or by a radio button when a
    # typed name had namesakes; empty when the operator only typed a name.
    # No max_length: the place check refuses any code that is not Beijing's, with a message.
    region = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = NewlineCharField(
        label=_("What the caller says"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write down what the caller asks or reports.")},
    )
    kq = forms.CharField(
        label=_("Search the knowledge base"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"type": "search", "accesskey": "k", "placeholder": _("e.g. 供暖 时间")}),
    )
    # Parsed in clean_submission_token: a broken one is an expired form, not a field to fix.
    submission_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, direct_answer: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # A consultation answered on the call needs no address; anything to be
        # handled on the spot does.
        self.direct_answer = direct_answer
        self.fields["category"].widget.choices = [("", _("Choose a category")), *_category_groups()]
        self.place_choices: list[PlaceHit] = []
        self.region_found: Region | None = None
        self._add_questions()

    def _add_questions(self) -> None:
        """The chosen category's questions, as fields right after the category (so
        Tab goes from the category to them). Without a script they appear when the
        form is redrawn; hotline.js draws them from the questions fragment."""
        self.questions: list[CategoryQuestion] = []
        self.question_notes: list[str] = []
        self.question_category: Category | None = None
        raw = self.data.get("category") if self.is_bound else self.initial.get("category")
        try:
            self.question_category = intake_category(category_id=raw if isinstance(raw, str) else "")
        except ValidationError:
            return
        asked = {}
        for question in questions_for(category=self.question_category):
            if not question.variable:
                self.question_notes.append(question_label(question))
                continue
            self.questions.append(question)
            asked[field_name(question.code)] = question_field(question)
        if asked:
            fields = list(self.fields.items())
            at = list(self.fields).index("category") + 1
            self.fields = dict([*fields[:at], *asked.items(), *fields[at:]])

    @property
    def question_fields(self) -> list:
        return [self[field_name(question.code)] for question in self.questions]

    @property
    def questions_unseen(self) -> bool:
        """The questions were not on the form the operator sent (no script, or the
        category changed before they were drawn): they cannot have been asked."""
        if not self.is_bound or not self.questions:
            return False
        return self.data.get("questions_for") != str(self.question_category.pk)

    def focus(self, name: str) -> None:
        if name in self.fields and not isinstance(self.fields[name].widget, forms.HiddenInput):
            self.fields[name].widget.attrs["autofocus"] = True

    @classmethod
    def initial_from(cls, data) -> dict:
        """The values the operator typed, to redraw the form without checking it
        (a knowledge-base search, a place look-up or the category's questions
        without JavaScript; the questions fragment)."""
        initial = {name: data.get(name, "") for name in cls.base_fields}
        for name in ("hide_name", "urgent"):
            initial[name] = bool(data.get(name))
        for name in data:
            if name.startswith(PREFIX):
                values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
                initial[name] = values if len(values) > 1 else (values[0] if values else "")
        return initial

    def token(self) -> str:
        """The form's own token (so a resend finds the first demand), or a fresh one."""
        raw = self.data.get("submission_token") if self.is_bound else self.initial.get("submission_token")
        try:
            return str(uuid.UUID(str(raw or "")))
        except ValueError:
            return str(uuid.uuid4())

    def clean_submission_token(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["submission_token"].strip())
        except ValueError:
            return None

    def clean_caller(self) -> str:
        return caller_phone(self.cleaned_data["caller"])

    def clean_category(self):
        if self.question_category is not None and str(self.question_category.pk) == self.cleaned_data["category"]:
            return self.question_category
        return intake_category(category_id=self.cleaned_data["category"])

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        wants_address = hotline_address_needed(
            demand_type=self.data.get("demand_type"), direct_answer=self.direct_answer
        )
        if not address and wants_address:
            raise ValidationError(ADDRESS_NEEDED)
        return address

    def clean(self):
        data = super().clean()
        if "place" in data:
            self._clean_place(data)
        self._clean_answers(data)
        # A missing or broken token means a tampered or truncated form; say so only
        # when nothing else is wrong, since the redrawn form carries a fresh token.
        if not data.get("submission_token") and not self.errors:
            self.add_error(None, _("This form has expired. Check the details and save again."))
        return data

    def _clean_place(self, data: dict) -> None:
        """The place chosen from the suggestions (its code), or the one place the
        typed name stands for. Namesakes, or a name that is only part of one, are
        offered as a short list to choose from; nothing is filed until one is."""
        code = (data.get("region") or "").strip()
        if code:
            region = beijing_place(code=code)
            if region is None:
                self.add_error("place", UNKNOWN_PLACE)
                return
            data["region"] = self.region_found = region
            return
        try:
            text = place_query_clean(data["place"])
            found = place_resolve(text=text)
            if len(found) == 1:
                data["region"] = self.region_found = found[0]
                return
            self.place_choices = [place_hit(region) for region in found] or place_search(query=text)
        except ValidationError as error:
            self.add_error("place", error)
            return
        if len(found) > 1:
            self.add_error("place", _("Several places have this name: choose one below."))
        elif self.place_choices:
            self.add_error("place", _("Choose the place below, or type its full name."))
        else:
            self.add_error("place", _("No street or community of Beijing has this name. Type part of the name."))

    def _clean_answers(self, data: dict) -> None:
        """The same check complaint_submit makes, here so every message shows at
        once, each next to its question. A consultation answered directly need not
        answer them (see answers_clean's `require`)."""
        category = data.get("category")
        if category is None:
            return
        if self.questions_unseen and not self.direct_answer:
            # Nothing is filed before the caller was asked them, even the optional ones.
            self.add_error(None, UNSEEN_QUESTIONS)
        raw = {question.code: data.get(field_name(question.code)) for question in self.questions}
        try:
            data["answers"] = answers_clean(category=category, raw=raw, require=not self.direct_answer)
        except ValidationError as error:
            add_answer_errors(self, error)

    def demand(self) -> HotlineDemand:
        data = self.cleaned_data
        return HotlineDemand(
            caller_phone=data["caller"],
            caller_name=data["caller_name"],
            category=data["category"],
            region=data["region"],
            description=data["description"],
            address=data["address"],
            demand_type=data["demand_type"],
            hide_name=data["hide_name"],
            urgent=data["urgent"],
            submission_token=data["submission_token"],
            answers=data.get("answers", {}),
        )

    def add_service_error(self, error: ValidationError) -> None:
        """Put complaint_submit's refusal next to the field the operator can fix."""
        if not hasattr(error, "error_dict"):
            field = "caller" if getattr(error, "code", None) == "invalid_phone" else None
            self.add_error(field, error)
            return
        for key, errors in error.error_dict.items():
            if key.startswith("answers."):
                add_answer_errors(self, ValidationError({key: errors}))
                continue
            field = {"region": "place", "resident_phone": "caller", "resident_name": "caller_name"}.get(key, key)
            self.add_error(field if field in self.fields else None, errors)


def _category_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    groups = []
    for top in categories_for_intake():
        children = [(str(child.pk), category_label(child)) for child in top.children.all()]
        if children:
            groups.append((category_label(top), children))
    return groups


__all__ = ["HotlineForm", "caller_phone"]

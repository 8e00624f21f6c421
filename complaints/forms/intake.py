"""The intake form. It checks everything a resident can get wrong and turns it into
a message next to the field; the services check the rules again on their own."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.forms.base import NewlineCharField, ResidentForm, category_label
from complaints.forms.questions import PREFIX, add_answer_errors, field_name, question_field, question_label
from complaints.models import Category, CategoryQuestion, DemandType, Region, RegionLevel
from complaints.phones import normalize_phone
from complaints.services.categories import CategoryTree, category_tree
from complaints.services.intake import MAX_ID_DIGITS, intake_category, intake_pin
from complaints.services.photos import photos_prepare
from complaints.services.questions import answers_clean, questions_for
from complaints.services.regions import PlaceRow, PlaceTree, place_tree

MAX_DESCRIPTION = 2000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to four files; what they are is checked in IntakeForm.clean by the photo
    service, by content, not here by name."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files if f]


def _select(placeholder):
    return forms.Select(choices=[("", placeholder)])


class DemandTypeRadios(forms.RadioSelect):
    """A browser always sends the pre-chosen radio, so a form without the field at
    all was drawn before the field existed (a page left open over an upgrade): it
    files the default, as every such form did. An empty or unknown value is an error."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return DemandType.COMPLAINT.value
        return super().value_from_datadict(data, files, name)


class IntakeForm(ResidentForm):
    demand_type = forms.ChoiceField(
        label=_("What kind of demand is it?"),
        choices=DemandType.choices,
        initial=DemandType.COMPLAINT,
        widget=DemandTypeRadios,
        help_text=_("Not sure? Leave the choice as it is."),
        error_messages={
            "required": _("Choose what kind of demand this is."),
            "invalid_choice": _("Choose what kind of demand this is."),
        },
    )
    category = forms.CharField(
        label=_("What is it about?"),
        widget=_select(_("Choose a category")),
        error_messages={"required": _("Choose what the complaint is about.")},
    )
    district = forms.CharField(
        label=_("District"),
        widget=_select(_("Choose a district")),
        error_messages={"required": _("Choose a district.")},
    )
    street = forms.CharField(
        label=_("Street / township"),
        widget=_select(_("Choose a street or township")),
        error_messages={"required": _("Choose a street or township.")},
    )
    community = forms.CharField(
        label=_("Community / village (optional)"), required=False, widget=_select(_("Not sure / none"))
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        error_messages={"required": _("Give the address or a landmark.")},
    )
    description = NewlineCharField(
        label=_("What is the problem?"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happens, since when, how often. At most 2000 characters."),
        error_messages={"required": _("Describe the problem.")},
    )
    resident_name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Tell us your name.")},
    )
    resident_phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        help_text=_("Only the unit handling your complaint sees it, to contact you."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Give a phone number we can reach you on.")},
    )
    resident_email = forms.EmailField(label=_("Your e-mail (optional)"), required=False, max_length=254)
    hide_name = forms.BooleanField(label=_("Hide my name from the unit"), required=False)
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 4 photos (JPEG, PNG or WebP). Their location data is removed before they are kept."),
    )
    photos_public = forms.BooleanField(label=_("Show my photos on public pages"), required=False)
    submission_token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # The optional map pin, filled by intake.js from the browser's location. Plain
    # text here: browsers give more decimals than are stored; clean_pin rounds.
    latitude = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    field_order = ["demand_type", "category", "district", "street", "community", "address", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists and the clean_* lookups read these copies: no query for either.
        self._places: PlaceTree = place_tree()
        self.fields["category"].widget.choices = [("", _("Choose a category")), *_category_groups(category_tree())]
        self._add_questions()
        district, street = self._raw("district"), self._raw("street")
        districts = self._places.under(parent_code=None, level=RegionLevel.DISTRICT)
        self.fields["district"].widget.choices = [("", _("Choose a district")), *_codes(districts)]
        streets = _codes(self._places.under(parent_code=district, level=RegionLevel.STREET)) if district else []
        street_widget = self.fields["street"].widget
        placeholder = _("Choose a street or township") if district else _("Choose a district first")
        street_widget.choices = [("", placeholder), *streets]
        # intake.js relabels the first option when it fills or empties the list.
        street_widget.attrs.update(
            {
                "data-placeholder": _("Choose a street or township"),
                "data-empty-placeholder": _("Choose a district first"),
            }
        )
        communities = []
        if street and street in dict(streets):
            communities = _codes(self._places.under(parent_code=street, level=RegionLevel.COMMUNITY))
        self.fields["community"].widget.choices = [("", _("Not sure / none")), *communities]

    def _add_questions(self) -> None:
        """The chosen category's questions, as fields after the others. Without a
        script they appear when the form is redrawn (sent, or "update places")."""
        self.questions: list[CategoryQuestion] = []
        self.question_notes: list[str] = []
        self._category = None
        try:
            self._category = intake_category(category_id=self._raw("category"))
        except ValidationError:
            return
        for question in questions_for(category=self._category):
            if not question.variable:
                self.question_notes.append(question_label(question))
                continue
            self.questions.append(question)
            self.fields[field_name(question.code)] = question_field(question)

    @property
    def question_fields(self) -> list:
        return [self[field_name(question.code)] for question in self.questions]

    @classmethod
    def initial_from(cls, data) -> dict:
        """Initial values that redraw what the resident entered, for the no-JS
        "update places" round trip (no validation, no error messages)."""
        initial = {name: data.get(name, "") for name in cls.base_fields if name != "hide_name"}
        initial["hide_name"] = bool(data.get("hide_name"))
        if initial["demand_type"] not in DemandType.values:
            initial["demand_type"] = DemandType.COMPLAINT.value
        for name in data:
            if name.startswith(PREFIX):
                values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
                initial[name] = values if len(values) > 1 else (values[0] if values else "")
        return initial

    def _raw(self, name: str) -> str:
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        return (value or "").strip() if isinstance(value, str) else ""

    def token(self) -> str:
        """The token to render: the resident's own (so a resend finds the first
        complaint), or a fresh one when the form carries none or a broken one."""
        raw = self._raw("submission_token")
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            return str(uuid.uuid4())

    def clean_category(self) -> Category:
        if self._category is not None and str(self._category.pk) == self.cleaned_data["category"].strip():
            return self._category
        return intake_category(category_id=self.cleaned_data["category"])

    def clean_district(self) -> Region:
        return self._region("district", RegionLevel.DISTRICT, _("Choose a district from the list."))

    def clean_street(self) -> Region:
        return self._region("street", RegionLevel.STREET, _("Choose a street or township from the list."))

    def clean_community(self) -> Region | None:
        if not self.cleaned_data["community"]:
            return None
        return self._region("community", RegionLevel.COMMUNITY, _("Choose a community from the list."))

    def _region(self, name: str, level: str, message) -> Region:
        region = self._places.region(self.cleaned_data[name].strip(), level=level)
        if region is None:
            raise ValidationError(message, code="unknown")
        return region

    def clean_resident_phone(self) -> str:
        return normalize_phone(self.cleaned_data["resident_phone"])

    def clean(self):
        data = super().clean()
        district, street, community = data.get("district"), data.get("street"), data.get("community")
        if district and street and street.parent_id != district.pk:
            self.add_error("street", _("This street or township is not in the chosen district."))
        elif street and community and community.parent_id != street.pk:
            self.add_error("community", _("This community is not in the chosen street or township."))
        self._clean_pin(data)
        self._clean_answers(data)
        self._clean_photos(data)
        # A missing or broken token means a tampered or truncated form; say so only
        # when nothing else is wrong, since the redrawn form carries a fresh token.
        if not data.get("submission_token") and not set(self.errors) - {"submission_token"}:
            self.add_error(None, _("This form has expired. Check your answers and send it again."))
        return data

    def _clean_pin(self, data: dict) -> None:
        """Errors go on `latitude`, where the template shows them next to the location button."""
        latitude, longitude = data.get("latitude"), data.get("longitude")
        data["latitude"] = data["longitude"] = None
        try:
            pin = intake_pin(latitude=latitude, longitude=longitude)
        except ValidationError as error:
            self.add_error("latitude", error)
            return
        if pin:
            data["latitude"], data["longitude"] = pin

    def _clean_photos(self, data: dict) -> None:
        try:
            data["photos"] = photos_prepare(files=data.get("photos") or [])
        except ValidationError as error:
            data["photos"] = []
            self.add_error("photos", error.error_dict["photos"])

    def _clean_answers(self, data: dict) -> None:
        category = data.get("category")
        if category is None:
            return
        raw = {question.code: data.get(field_name(question.code)) for question in self.questions}
        try:
            data["answers"] = answers_clean(category=category, raw=raw)
        except ValidationError as error:
            add_answer_errors(self, error)

    def submit_kwargs(self) -> dict:
        """Keyword arguments for complaint_submit: the most specific place given."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "region": data["community"] or data["street"],
            "address": data["address"],
            "description": data["description"],
            "resident_name": data["resident_name"],
            "resident_phone": data["resident_phone"],
            "resident_email": data["resident_email"],
            "hide_name": data["hide_name"],
            "submission_token": data["submission_token"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "answers": data.get("answers", {}),
            "demand_type": data["demand_type"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Put the service's refusal next to the field the resident can fix."""
        if not hasattr(error, "error_dict"):
            field = "resident_phone" if getattr(error, "code", None) == "invalid_phone" else None
            self.add_error(field, error)
            return
        region_field = "community" if self.cleaned_data.get("community") else "street"
        for key, errors in error.error_dict.items():
            if key.startswith("answers."):
                name = field_name(key.removeprefix("answers."))
                self.add_error(name if name in self.fields else None, errors)
                continue
            field = region_field if key == "region" else key
            self.add_error(field if field in self.fields else None, errors)


def _category_groups(tree: CategoryTree) -> list[tuple[str, list[tuple[str, str]]]]:
    groups = []
    for top, children in tree.groups:
        if children:
            groups.append((category_label(top), [(str(child.pk), category_label(child)) for child in children]))
    return groups


def _codes(rows: list[PlaceRow]) -> list[tuple[str, str]]:
    return [(row.code, row.label) for row in rows]


__all__ = ["MAX_DESCRIPTION", "MAX_ID_DIGITS", "IntakeForm"]

"""Residents' forms. They check everything a resident can get wrong and turn it into
a message next to the field; the services check the rules again on their own."""

import math
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Region, RegionLevel, Satisfaction
from complaints.phones import normalize_phone
from complaints.selectors import categories_for_intake, districts, regions_under

MAX_DESCRIPTION = 2000
MAX_COMMENT = 1000
# Enough digits for any real primary key; a longer "id" would overflow SQLite's integer.
MAX_ID_DIGITS = 18


def category_label(category: Category) -> str:
    if (get_language() or "").startswith("en") and category.name_en:
        return category.name_en
    return category.name


class NewlineCharField(forms.CharField):
    """Browsers send a line break as CRLF but count it as one character in the
    counter and in `maxlength`; count it as one here too."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class ResidentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        # The labels are headings of their own; a trailing colon reads badly in Chinese.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _select(placeholder):
    return forms.Select(choices=[("", placeholder)])


class IntakeForm(ResidentForm):
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
    submission_token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # The optional map pin, filled by intake.js from the browser's location. Plain
    # text here: browsers give more decimals than are stored; clean_pin rounds.
    latitude = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    field_order = ["category", "district", "street", "community", "address", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = [("", _("Choose a category")), *_category_groups()]
        district, street = self._raw("district"), self._raw("street")
        self.fields["district"].widget.choices = [("", _("Choose a district")), *_codes(districts())]
        streets = _codes(regions_under(parent_code=district, level=RegionLevel.STREET)) if district else []
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
            communities = _codes(regions_under(parent_code=street, level=RegionLevel.COMMUNITY))
        self.fields["community"].widget.choices = [("", _("Not sure / none")), *communities]

    @classmethod
    def initial_from(cls, data) -> dict:
        """Initial values that redraw what the resident entered, for the no-JS
        "update places" round trip (no validation, no error messages)."""
        initial = {name: data.get(name, "") for name in cls.base_fields if name != "hide_name"}
        initial["hide_name"] = bool(data.get("hide_name"))
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
        value = self.cleaned_data["category"].strip()
        category = None
        if value.isdigit() and len(value) <= MAX_ID_DIGITS:
            category = Category.objects.select_related("parent").filter(pk=int(value), is_active=True).first()
        if category is None:
            raise ValidationError(_("Choose a category from the list."), code="unknown")
        if category.parent is None:
            raise ValidationError(_("Choose a specific problem, not a group."), code="top_level")
        if not category.parent.is_active:
            raise ValidationError(_("Choose a category from the list."), code="inactive")
        return category

    def clean_district(self) -> Region:
        return _region(self.cleaned_data["district"], RegionLevel.DISTRICT, _("Choose a district from the list."))

    def clean_street(self) -> Region:
        return _region(self.cleaned_data["street"], RegionLevel.STREET, _("Choose a street or township from the list."))

    def clean_community(self) -> Region | None:
        code = self.cleaned_data["community"]
        if not code:
            return None
        return _region(code, RegionLevel.COMMUNITY, _("Choose a community from the list."))

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
        # A missing or broken token means a tampered or truncated form; say so only
        # when nothing else is wrong, since the redrawn form carries a fresh token.
        if not data.get("submission_token") and not set(self.errors) - {"submission_token"}:
            self.add_error(None, _("This form has expired. Check your answers and send it again."))
        return data

    def _clean_pin(self, data: dict) -> None:
        """Both coordinates or neither, each a finite number in range; kept to the
        six decimals (about 0.1 m) the complaint stores. Errors go on `latitude`,
        where the template shows them next to the location button."""
        raw = (data.get("latitude") or "").strip(), (data.get("longitude") or "").strip()
        data["latitude"] = data["longitude"] = None
        if not any(raw):
            return
        values = [_coordinate(value) for value in raw]
        lat, lng = values
        if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
            self.add_error("latitude", _("Your location could not be read. Remove it or try again."))
            return
        data["latitude"], data["longitude"] = (Decimal(f"{value:.6f}") for value in values)

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
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Put the service's refusal next to the field the resident can fix."""
        if not hasattr(error, "error_dict"):
            field = "resident_phone" if getattr(error, "code", None) == "invalid_phone" else None
            self.add_error(field, error)
            return
        region_field = "community" if self.cleaned_data.get("community") else "street"
        for key, errors in error.error_dict.items():
            field = region_field if key == "region" else key
            self.add_error(field if field in self.fields else None, errors)


def _category_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    groups = []
    for top in categories_for_intake():
        children = [(str(child.pk), category_label(child)) for child in top.children.all()]
        if children:
            groups.append((category_label(top), children))
    return groups


def _coordinate(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _codes(regions) -> list[tuple[str, str]]:
    return [(region.code, region.name) for region in regions]


def _region(code: str, level: str, message) -> Region:
    region = Region.objects.filter(code=code.strip(), level=level).first()
    if region is None:
        raise ValidationError(message, code="unknown")
    return region


class TrackForm(ResidentForm):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        error_messages={"required": _("Enter your tracking number.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone_last4 = forms.CharField(
        label=_("Last four digits of your phone"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the last four digits of your phone."))],
        error_messages={"required": _("Enter the last four digits of your phone.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
    )

    def clean_tracking_number(self) -> str:
        # Numbers are read out over the phone in groups; spaces and dashes are not part of them.
        return "".join(ch for ch in self.cleaned_data["tracking_number"] if ch not in " -")


class RatingForm(ResidentForm):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Tell us whether the problem is solved.")},
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how satisfied you are."),
            "invalid_choice": _("Choose how satisfied you are."),
        },
    )
    comment = NewlineCharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

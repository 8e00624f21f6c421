"""A POST Service Request's fields, checked one by one: every wrong field is
named in the answer at once (Open311 errors are a list), and nothing is filed."""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from rest_framework import status

from complaints.models import DemandType
from complaints.open311.errors import Open311Error
from complaints.open311.output import DEMAND_TYPE
from complaints.open311.parsing import field
from complaints.phones import normalize_phone

# `attribute[code]=v`, repeated for several values, or `attribute[code][]=v` as the spec's example writes it.
ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,50})\](\[\])?")
SIX_PLACES = Decimal("0.000001")
MAX_DESCRIPTION = 2000  # the complaint's own limit, the same on every door
MAX_NAME = 50
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Filing:
    service_code: str
    phone: str
    description: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    name: str = ""
    device_id: str = ""
    account_id: str = ""
    # Kept as the client's fact and never fetched: the server makes no request to a URL a client names.
    media_url: str = ""
    # An extension: the resident allows the attached `media` on public pages (and as media_url).
    media_public: bool = False
    answers: dict[str, list[str]] = dataclass_field(default_factory=dict)
    # `attribute[demand_type]`, which every service definition declares; a complaint when left out.
    demand_type: str = DemandType.COMPLAINT.value

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def filing_parse(fields) -> Filing:
    problems: list[str] = []

    def take(name: str, max_length: int | None = None) -> str:
        try:
            return field(fields, name, max_length=max_length)
        except Open311Error as error:
            problems.extend(error.descriptions)
            return ""

    def given(name: str) -> bool:
        return bool((fields.get(name) or "").strip())

    service_code = take("service_code", 60)
    if not given("service_code"):
        problems.append(_("service_code was not provided."))
    latitude = _coordinate(take("lat", 40), name="lat", limit=90, problems=problems)
    longitude = _coordinate(take("long", 40), name="long", limit=180, problems=problems)
    if given("lat") != given("long"):
        problems.append(_("lat and long: send both, or neither."))
    address_string, address_id = take("address_string", 200), take("address_id", 12)
    if not any(given(name) for name in ("lat", "long", "address_string", "address_id")):
        problems.append(_("A location is required: lat and long, address_string, or address_id."))
    answers = _answers(fields, problems=problems)
    demand_type = _demand_type(answers.pop(DEMAND_TYPE, []), problems=problems)
    filing = Filing(
        service_code=service_code,
        phone=_phone(take("phone", 30), problems=problems),
        description=take("description", MAX_DESCRIPTION),
        latitude=latitude,
        longitude=longitude,
        address_string=address_string,
        address_id=address_id,
        email=_checked(take("email", 254), validate_email, name="email", problems=problems),
        name=_name(take("first_name", MAX_NAME), take("last_name", MAX_NAME), problems=problems),
        device_id=take("device_id", 100),
        account_id=take("account_id", 100),
        media_url=_checked(take("media_url", 500), URLValidator(schemes=["http", "https"]), "media_url", problems),
        media_public=_flag(take("media_public", 5), name="media_public", problems=problems),
        answers=answers,
        demand_type=demand_type,
    )
    if problems:
        raise Open311Error(status.HTTP_400_BAD_REQUEST, *problems)
    return filing


def _coordinate(text: str, *, name: str, limit: int, problems: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(_("%(field)s: “%(value)s” is not a number.") % {"field": name, "value": text})
        return None
    if not -limit <= value <= limit:
        problems.append(
            _("%(field)s: must lie between -%(n)d and %(n)d (WGS-84 degrees).") % {"field": name, "n": limit}
        )
        return None
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _phone(text: str, *, problems: list[str]) -> str:
    if not text:
        problems.append(_("phone was not provided: the handling unit calls the resident back on it."))
        return ""
    try:
        return normalize_phone(text)
    except ValidationError as error:
        problems.append(f"phone: {error.messages[0]}")
        return ""


def _checked(text: str, validator, name: str, problems: list[str]) -> str:
    if text:
        try:
            validator(text)
        except ValidationError as error:
            problems.append(f"{name}: {error.messages[0]}")
            return ""
    return text


def _flag(text: str, *, name: str, problems: list[str]) -> bool:
    value = text.lower()
    if value in ("", "false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    problems.append(_("%(field)s: send true or false.") % {"field": name})
    return False


def _name(first: str, last: str, *, problems: list[str]) -> str:
    """Chinese names are written family name first and without a space."""
    if CJK.search(first + last):
        name = last + first
    else:
        name = " ".join(part for part in (first, last) if part)
    if len(name) > MAX_NAME:
        problems.append(_("first_name and last_name: at most %(n)d characters together.") % {"n": MAX_NAME})
        return ""
    return name


def _demand_type(values: list[str], *, problems: list[str]) -> str:
    given = [value.strip() for value in values if value.strip()]
    if not given:
        return DemandType.COMPLAINT.value
    if len(given) == 1 and given[0] in DemandType.values:
        return given[0]
    problems.append(
        _("attribute[%(code)s]: give one of %(keys)s.") % {"code": DEMAND_TYPE, "keys": ", ".join(DemandType.values)}
    )
    return DemandType.COMPLAINT.value


def _answers(fields, *, problems: list[str]) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for name in fields:
        match = ATTRIBUTE.fullmatch(name)
        if match is None:
            if name.startswith("attribute"):
                problems.append(_("“%(name)s” is not attribute[code].") % {"name": name[:60]})
            continue
        values = fields.getlist(name)
        if any("\x00" in value for value in values):
            problems.append(_("%(field)s: contains a NUL character.") % {"field": name[:60]})
            continue
        answers.setdefault(match.group(1), []).extend(values)
    return answers

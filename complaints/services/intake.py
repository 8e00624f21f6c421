"""The checks every door that files a complaint shares before `complaint_submit`:
the web form, the REST API and Open311 choose a category, a place and a map pin
the same way, and say the same thing when they are wrong."""

import math
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.geo import place_for
from complaints.models import Category, Complaint, DemandType, Region, RegionLevel
from complaints.phones import normalize_phone
from complaints.services.categories import category_tree
from complaints.services.questions import answers_clean
from complaints.services.regions import place_tree
from complaints.services.submit import complaint_submit

# Enough digits for any real primary key; a longer "id" would overflow SQLite's integer.
MAX_ID_DIGITS = 18
# Idempotency keys are namespaced so no other uuid5 in the portal can meet them.
IDEMPOTENCY_NAMESPACE = uuid.UUID("7b0b7c3e-5d47-4d0e-9a55-6f1f2f6c1a12")

UNKNOWN_CATEGORY = _("Choose a category from the list.")
GROUP_CATEGORY = _("Choose a specific problem, not a group.")
BAD_PIN = _("Your location could not be read. Remove it or try again.")
OUTSIDE_BEIJING = _("This point is outside Beijing. The 12345 hotline handles places in Beijing only.")
UNKNOWN_DEMAND_TYPE = _("Choose the demand type from the list: %(types)s.")


def intake_category(*, category_id) -> Category:
    """The active sub-category with this id, or a ValidationError saying why not
    (codes `unknown`, `top_level`, `inactive`)."""
    value = str(category_id if category_id is not None else "").strip()
    category = None
    if value.isdigit() and len(value) <= MAX_ID_DIGITS:
        category = category_tree().active(int(value))
    if category is None:
        raise ValidationError(UNKNOWN_CATEGORY, code="unknown")
    if category.parent is None:
        raise ValidationError(GROUP_CATEGORY, code="top_level")
    if not category.parent.is_active:
        raise ValidationError(UNKNOWN_CATEGORY, code="inactive")
    return category


def intake_demand_type(*, value) -> str:
    """The demand type a machine door was given: one of DemandType's codes, or the
    default (a complaint) when none was given. Otherwise a ValidationError naming the codes."""
    if value is None or value == "":
        return DemandType.COMPLAINT.value
    if isinstance(value, str) and value.strip() in DemandType.values:
        return value.strip()
    raise ValidationError(UNKNOWN_DEMAND_TYPE, code="unknown", params={"types": ", ".join(DemandType.values)})


def intake_pin(*, latitude, longitude) -> tuple[Decimal, Decimal] | None:
    """Both coordinates or neither, each a finite number in range, kept to the six
    decimals (about 0.1 m) a complaint stores. None when neither is given."""
    raw = [_blank(value) for value in (latitude, longitude)]
    if all(value is None for value in raw):
        return None
    lat, lng = (_coordinate(value) for value in raw)
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError(BAD_PIN, code="bad_pin")
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


@dataclass(frozen=True)
class Place:
    region: Region
    # Only the district is known: the 12345 centre confirms the street.
    to_confirm: bool


def intake_place(*, region: Region | None, pin: tuple[Decimal, Decimal] | None, address: str) -> Place:
    """Where a complaint filed by a machine is. A street or community given is used
    as it is (a point beside it need only be in Beijing: a pin taken across the road
    from a district line is still the resident's place). A district, or only a point,
    is narrowed down by `complaints.geo` (the point's outline, then the address text),
    and a point must lie in the district given. A point outside Beijing is refused, on
    `latitude`; a place known only to its district is filed for the centre to confirm."""
    if region is not None and region.level not in (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY):
        raise ValidationError({"region": _("Give a district, street or community code, not the whole city.")})
    if region is None and pin is None:
        raise ValidationError({"region": _("Give the place: a street or community code, or a point.")})
    latitude, longitude = pin if pin else (None, None)
    precise = region is not None and region.level != RegionLevel.DISTRICT
    if precise and pin is None:
        return Place(region=region, to_confirm=False)
    match = place_for(latitude=latitude, longitude=longitude, address="" if precise else address)
    if match.outside:
        raise ValidationError({"latitude": OUTSIDE_BEIJING}, code="outside")
    if precise:
        return Place(region=region, to_confirm=False)
    if region is not None and match.district is not None and match.district.pk != region.pk:
        if pin is not None:
            raise ValidationError({"region": _("The point is not in this district.")})
        # The address names a place elsewhere: trust the code the client chose.
        return Place(region=region, to_confirm=True)
    found = _fresh(match.region) if match.confirmed else None
    if found is not None:
        return Place(region=found, to_confirm=False)
    district = region or _fresh(match.district)
    if district is None:
        raise ValidationError(
            {"latitude": _("This point could not be placed in a district. Give the street or community code.")}
        )
    return Place(region=district, to_confirm=True)


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    # The same client retried: this is the complaint its first request filed.
    replayed: bool


def complaint_intake(
    *,
    category_id,
    region_code: str = "",
    latitude=None,
    longitude=None,
    address: str,
    description: str,
    resident_name: str,
    resident_phone: str,
    resident_email: str = "",
    hide_name: bool = False,
    answers: dict | None = None,
    channel: str,
    demand_type: str | None = None,
    idempotency_key: str | None = None,
) -> Filed:
    """File a complaint from a machine door: the checks of the web form, every
    mistake reported at once (a ValidationError keyed by input field, answers as
    `answers.<code>`), then `complaint_submit`. A retry with the same
    `idempotency_key` (and phone) returns the first complaint, whatever else it says."""
    errors: dict[str, list] = {}
    phone = _collect(errors, "resident_phone", lambda: normalize_phone(resident_phone))
    token = idempotency_token(phone=phone, key=idempotency_key) if phone and idempotency_key else None
    if token is not None:
        existing = Complaint.objects.filter(submission_token=token).first()
        if existing is not None:
            return Filed(complaint=existing, replayed=True)
    kind = _collect(errors, "demand_type", lambda: intake_demand_type(value=demand_type))
    category = _collect(errors, "category", lambda: intake_category(category_id=category_id))
    region = _collect(errors, "region", lambda: _region(region_code))
    pin = _collect(errors, "latitude", lambda: intake_pin(latitude=latitude, longitude=longitude))
    place = None
    if not {"region", "latitude"} & set(errors):
        place = _collect(errors, None, lambda: intake_place(region=region, pin=pin, address=address))
    if category is not None:
        answers = _collect(errors, None, lambda: answers_clean(category=category, raw=answers))
    if errors:
        raise ValidationError(errors)
    complaint = complaint_submit(
        category=category,
        region=place.region,
        place_to_confirm=place.to_confirm,
        address=address,
        description=description,
        resident_name=resident_name,
        resident_phone=phone,
        resident_email=resident_email,
        hide_name=hide_name,
        latitude=pin[0] if pin else None,
        longitude=pin[1] if pin else None,
        answers=answers,
        channel=channel,
        demand_type=kind,
        submission_token=token,
    )
    return Filed(complaint=complaint, replayed=False)


def idempotency_token(*, phone: str, key: str) -> uuid.UUID:
    """The submission token an API client's Idempotency-Key stands for. The phone
    (normalised) is part of it, so two residents' apps that happen to send the same
    key file two complaints and never see each other's."""
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{phone}\n{key}")


def _region(code: str) -> Region | None:
    code = (code or "").strip()
    if not code:
        return None
    region = place_tree().region(code) if code.isdigit() else None
    if region is None:
        raise ValidationError(_("Unknown place code."), code="unknown")
    return region


def _collect(errors: dict, field: str | None, check):
    """Run one check; file its messages under `field` (or under the keys of its own
    error dict) and carry on, so the client hears of every mistake at once."""
    try:
        return check()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, messages in error.error_dict.items():
                errors.setdefault(key, []).extend(messages)
        else:
            errors.setdefault(field or "non_field_errors", []).extend(error.error_list)
        return None


def _fresh(region: Region | None) -> Region | None:
    # The geo indexes keep their own copies of the rows; file against the place tree's,
    # which follows the table.
    return place_tree().region(region.code) if region is not None else None


def _blank(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _coordinate(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None

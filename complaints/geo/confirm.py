"""The 12345 centre settles where a complaint is. The complaint owns its place, so
the change lives here; dispatch decides who may make it and routes the order after."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Complaint, EventKind, Region, RegionLevel
from complaints.models.complaint import OPEN_STATUSES
from complaints.services.lifecycle import complaint_lock, complaint_record
from complaints.timeline import CENTRE
from portal.errors import ActionRefused, ChangedBySomeoneElse

CONFIRMABLE_LEVELS = (RegionLevel.STREET, RegionLevel.COMMUNITY)


@dataclass(frozen=True)
class PlaceConfirmed:
    complaint: Complaint
    place_from: Region


def complaint_set_place(
    *, complaint_id: int, region_code: str, actor, version: int | None, other_district: bool = False
) -> PlaceConfirmed:
    """Put an open complaint whose place was to be confirmed in a street or
    community, and clear the flag. The place must lie in the district the
    complaint was filed in, unless the centre says that district was wrong. The
    version is bumped; the old and new place go on the internal timeline."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        if complaint.status not in OPEN_STATUSES:
            raise ActionRefused(_("The place of a finished order can no longer change."))
        if not complaint.place_to_confirm:
            raise ActionRefused(_("The place of this order is already confirmed."))
        region = place_confirmable(region_code=region_code)
        old = complaint.region
        district = old.district_code
        if not other_district and district and region.district_code != district:
            raise ActionRefused(
                _("%(place)s is not in %(district)s. If the district was wrong, say so.")
                % {"place": region.name, "district": _district_name(old)},
                field="region",
            )
        complaint.region = region
        complaint.place_to_confirm = False
        complaint.version += 1
        complaint.save(update_fields=["region", "place_to_confirm", "version", "updated_at"])
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=actor,
            fact="place",
            by=CENTRE,
            data={"old": old.code, "new": region.code},
        )
        return PlaceConfirmed(complaint=complaint, place_from=old)


def place_confirmable(*, region_code: str) -> Region:
    """A street or community of the division tree, by its code."""
    code = (region_code or "").strip()
    region = Region.objects.select_related("parent").filter(code=code).first() if code.isdigit() else None
    if region is None:
        raise ActionRefused(_("No place has the code “%(code)s”.") % {"code": code[:20]}, field="region")
    if region.level not in CONFIRMABLE_LEVELS:
        raise ActionRefused(
            _("Choose a street or a community; %(place)s is a %(level)s.")
            % {"place": region.name, "level": RegionLevel(region.level).label},
            field="region",
        )
    return region


def _district_name(region: Region) -> str:
    if region.level == RegionLevel.DISTRICT:
        return region.name
    district = Region.objects.filter(code=region.district_code).first()
    return district.name if district else region.district_code

"""The 12345 centre confirms the place of an order the portal could place only as
far as its district (a map point, an address naming no street), then the order is
routed like any other."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.geo.confirm import complaint_set_place
from complaints.models import Complaint, ComplaintStatus
from complaints.services import complaint_lock
from dispatch.access import reach_of
from dispatch.models import TriageItem, TriageReason
from dispatch.services.returns import returned_by, triage_reroute
from dispatch.services.routing import complaint_route, route
from dispatch.services.triage_items import triage_close
from portal.errors import NotAllowed


def complaint_confirm_place(
    *, user, complaint_id: int, region_code: str, version: int | None, other_district: bool = False
) -> Complaint:
    """Set the street or community of an order whose place was to be confirmed and
    route it again: a new order goes where the routing rules send it now (or back
    to triage if none fits), a returned one to a unit that has not returned it.
    An order some unit already holds keeps its unit; only its place changes.
    `other_district`: the centre says the district filed was wrong, so the place may be
    anywhere in the division tree."""
    if not reach_of(user).is_dispatcher:
        raise NotAllowed(_("Only the 12345 centre can confirm an order's place."))
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        complaint = complaint_set_place(
            complaint_id=complaint.pk,
            region_code=region_code,
            actor=user,
            version=version,
            other_district=other_district,
        ).complaint
        TriageItem.objects.filter(
            complaint=complaint, reason=TriageReason.PLACE_TO_CONFIRM, closed_at__isnull=True
        ).update(closed_at=timezone.now(), closed_by=user)
        if complaint.status == ComplaintStatus.SUBMITTED:
            triage_close(complaint=complaint, user=user)
            complaint_route(complaint_id=complaint.pk)
        elif complaint.status == ComplaintStatus.RETURNED:
            _rule, unit = route(complaint=complaint, exclude_unit_ids=returned_by(complaint_id=complaint.pk))
            if unit is not None:
                triage_reroute(user=user, complaint_id=complaint.pk)
        complaint.refresh_from_db()
        return complaint

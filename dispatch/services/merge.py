"""The 12345 centre merges duplicate orders and undoes merges. The complaint side
(states, links, timeline) is complaints.services.merge; this side checks the
dispatcher and settles the follower's own work in the same transaction."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.models import Complaint
from complaints.services.merge import complaint_merge, complaint_unmerge
from complaints.timeline import CENTRE
from dispatch.access import reach_of
from dispatch.models import TriageItem, TriageReason
from dispatch.services.assignments import assignments_supersede
from dispatch.services.triage import triage_note
from dispatch.services.triage_items import triage_close
from portal.errors import ActionRefused, NotAllowed


def order_merge(*, user, follower_id: int, lead_number: str, version: int | None = None) -> Complaint:
    """Merge the follower into the order numbered `lead_number`. The follower's
    live assignment is superseded (its deadlines stop) and its triage item closed."""
    _require_dispatcher(user=user, message=_("Only the 12345 centre can merge orders."))
    lead_id = Complaint.objects.filter(tracking_number=lead_number.strip()).values_list("pk", flat=True).first()
    if lead_id is None:
        raise ActionRefused(_("There is no order with that tracking number."), field="lead")
    with transaction.atomic():
        follower = complaint_merge(follower_id=follower_id, lead_id=lead_id, actor=user, by=CENTRE, version=version)
        assignments_supersede(complaint=follower)
        triage_close(complaint=follower, user=user)
        return follower


def order_unmerge(*, user, follower_id: int, version: int | None = None) -> Complaint:
    """Undo a merge: the order waits in triage (disputed) for the centre to dispatch it again."""
    _require_dispatcher(user=user, message=_("Only the 12345 centre can undo a merge."))
    with transaction.atomic():
        follower = complaint_unmerge(follower_id=follower_id, actor=user, by=CENTRE, version=version)
        TriageItem.objects.create(
            complaint=follower,
            reason=TriageReason.DISPUTED,
            note=triage_note(gettext_noop("Merge undone; dispatch it on its own.")),
        )
        return follower


def _require_dispatcher(*, user, message: str) -> None:
    if not reach_of(user).is_dispatcher:
        raise NotAllowed(message)

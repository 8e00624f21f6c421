"""The 12345 centre confirms an order's place from the order page."""

from django.utils.translation import gettext as _

from dispatch.forms.place_confirm import PlaceConfirmForm
from dispatch.models import ACTIVE_STATUSES, Assignment, AssignmentRole
from dispatch.selectors import OrderView
from dispatch.services.place_confirm import complaint_confirm_place
from dispatch.views.common import order_action
from portal.errors import ActionRefused


@order_action
def confirm_place(request, view: OrderView) -> str:
    # Checked before parsing so a non-dispatcher learns nothing from the form's errors.
    if not view.is_dispatcher:
        raise ActionRefused(_("Only the 12345 centre can confirm an order's place."))
    form = PlaceConfirmForm(request.POST, district_code=view.complaint.region.district_code or "")
    form.cleaned_or_refused()
    region_code, other_district = form.place()
    complaint = complaint_confirm_place(
        user=request.user,
        complaint_id=view.complaint.pk,
        region_code=region_code,
        version=form.cleaned_data["version"],
        other_district=other_district,
    )
    holder = (
        Assignment.objects.filter(complaint=complaint, status__in=ACTIVE_STATUSES, role=AssignmentRole.LEAD)
        .select_related("unit")
        .first()
    )
    if holder is not None:
        return _("Place confirmed: %(place)s; the order is with %(unit)s.") % {
            "place": complaint.region.name,
            "unit": holder.unit.name,
        }
    return _("Place confirmed: %(place)s; no rule fits it, so the order waits in triage.") % {
        "place": complaint.region.name
    }


def place_confirm_context(*, user, view: OrderView) -> dict:
    """The dispatcher's form, while the order's place is to be confirmed."""
    complaint = view.complaint
    if not (view.is_dispatcher and complaint.place_to_confirm and complaint.is_open):
        return {}
    form = PlaceConfirmForm(initial={"version": complaint.version}, district_code=complaint.region.district_code or "")
    return {"place_confirm_form": form}

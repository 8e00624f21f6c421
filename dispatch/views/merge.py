"""Duplicates on the order page: the possible duplicates, the merge into one of
them, the followers of a lead, and undoing a merge."""

from django.utils.translation import gettext as _

from complaints.models import ComplaintStatus
from complaints.selectors.duplicates import duplicate_candidates, followers_of
from complaints.services.lifecycle import can_move
from dispatch.forms.merge import MergeForm, UnmergeForm
from dispatch.selectors import OrderView
from dispatch.services.merge import order_merge, order_unmerge
from dispatch.views.common import order_action


@order_action
def merge(request, view: OrderView) -> str:
    data = MergeForm(request.POST).cleaned_or_refused()
    order_merge(user=request.user, follower_id=view.complaint.pk, lead_number=data["lead"], version=data["version"])
    return _("Merged into order %(number)s.") % {"number": data["lead"]}


@order_action
def unmerge(request, view: OrderView) -> str:
    data = UnmergeForm(request.POST).cleaned_or_refused()
    order_unmerge(user=request.user, follower_id=view.complaint.pk, version=data["version"])
    return _("The merge is undone; the order waits in triage.")


def duplicates_context(*, user, view: OrderView) -> dict:
    """For the dispatcher and the unit handling the order: possible duplicates
    (the dispatcher may merge into one), the order it follows, and its followers."""
    complaint = view.complaint
    if not (view.is_dispatcher or view.can_act):
        return {}
    has_followers = getattr(complaint, "has_followers", True)  # order_get_for reads it with the order
    context = {"followers": list(followers_of(complaint=complaint)) if has_followers else []}
    if complaint.merged_into_id:
        context["merged_into"] = complaint.merged_into
        if view.is_dispatcher:
            context["unmerge_form"] = UnmergeForm(initial={"version": complaint.version})
    elif complaint.is_open:
        context["duplicates"] = duplicate_candidates(complaint=complaint)
        mergeable = can_move(status=complaint.status, to=ComplaintStatus.MERGED)
        context["can_merge"] = view.is_dispatcher and mergeable and not context["followers"]
        context["merge_version"] = complaint.version
    return context

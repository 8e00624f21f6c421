"""Reads of extension requests. Each takes the user and returns only what that user may see."""

from django.db.models import QuerySet

from dispatch.access import reach_of, subtree_q
from dispatch.models import ACTIVE_STATUSES, Assignment, Extension, ExtensionStatus
from portal.errors import NotFound


def extensions_to_decide(*, user) -> QuerySet[Extension]:
    """Waiting requests the user may decide, oldest first: every one for the 12345
    centre, those of units in their subtrees for a supervisor. A request whose
    order has since been resolved or re-dispatched has nothing left to extend."""
    reach = reach_of(user)
    if not (reach.is_dispatcher or reach.supervised_paths):
        raise NotFound
    requests = Extension.objects.filter(status=ExtensionStatus.PENDING, assignment__status__in=ACTIVE_STATUSES)
    if not reach.is_dispatcher:
        requests = requests.filter(subtree_q(reach.supervised_paths, "assignment__unit__path"))
    return requests.select_related(
        "assignment__complaint__category__parent", "assignment__unit", "assignment__holder", "requested_by"
    ).order_by("requested_at", "pk")


def extensions_of(*, assignment: Assignment | None) -> list[Extension]:
    """An order's extension history, newest first. The caller has checked the user may see the order."""
    if assignment is None:
        return []
    return list(
        Extension.objects.filter(assignment__complaint_id=assignment.complaint_id)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def extension_history(*, assignment: Assignment | None) -> list[Extension]:
    """`extensions_of`, each marked `lapsed` when it waits on an assignment that is
    over (resolved, re-dispatched): nobody can decide it any more."""
    history = extensions_of(assignment=assignment)
    for extension in history:
        live = assignment.is_active and extension.assignment_id == assignment.pk
        extension.lapsed = extension.status == ExtensionStatus.PENDING and not live
    return history


def order_extension_history(*, view) -> list[Extension]:
    """`extension_history` of the order's page: no query for an order nobody asked
    more time for (its assignments say so, read with the order)."""
    if not view.has_extensions:
        return []
    return extension_history(assignment=view.assignment)


def pending_extension(history: list[Extension]) -> Extension | None:
    """The request still waiting for a decision in an `extension_history`, if any."""
    return next((e for e in history if e.status == ExtensionStatus.PENDING and not e.lapsed), None)

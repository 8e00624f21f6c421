"""Changes the 12345 centre makes to a complaint itself while triaging it. The
complaint owns its category, so the change lives here; dispatch decides who may
make it and what happens to the order afterwards."""

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Category, Complaint, EventKind
from complaints.models.complaint import OPEN_STATUSES
from complaints.services.lifecycle import complaint_lock, complaint_record
from complaints.timeline import CENTRE
from portal.errors import ActionRefused, ChangedBySomeoneElse


def category_assignable(*, category_id) -> Category:
    """An active category a complaint may be filed under: a leaf of an active group.
    Routing rules and deadline policies hang off leaves and groups, so a complaint
    filed under a bare group would match rules meant for its whole subtree."""
    category = (
        Category.objects.select_related("parent").filter(pk=category_id).first() if str(category_id).isdigit() else None
    )
    if category is None or not category.is_active or (category.parent_id and not category.parent.is_active):
        raise ActionRefused(_("Choose an active category."), field="category")
    if category.parent_id is None or category.children.exists():
        raise ActionRefused(_("Choose a category inside a group, not the group itself."), field="category")
    return category


def complaint_set_category(*, complaint_id: int, category_id: int, actor, version: int | None) -> Complaint:
    """File an open complaint under another category. The version is bumped so a
    form loaded before the change is refused; the old and new category go on the
    internal timeline (the resident's page shows the category as it is now)."""
    with transaction.atomic():
        complaint = complaint_lock(complaint_id=complaint_id)
        if version is not None and version != complaint.version:
            raise ChangedBySomeoneElse()
        if complaint.status not in OPEN_STATUSES:
            raise ActionRefused(_("The category of a finished order can no longer change."))
        category = category_assignable(category_id=category_id)
        if category.pk == complaint.category_id:
            raise ActionRefused(_("The order is already in that category."))
        old = complaint.category
        complaint.category = category
        complaint.version += 1
        complaint.save(update_fields=["category", "version", "updated_at"])
        complaint_record(
            complaint=complaint,
            kind=EventKind.NOTE,
            actor=actor,
            fact="category",
            by=CENTRE,
            data={"old": old.code, "new": category.code},
        )
        return complaint

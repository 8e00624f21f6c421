"""Writes to the log of who saw a resident's full contact details. Each door that
shows them in full calls one of these once per request; a masked view is not a
view of personal data and is not recorded."""

from collections.abc import Iterable

from complaints.models import Complaint
from dispatch.models import PersonalDataDoor, PersonalDataView
from dispatch.selectors import OrderView


def personal_data_view_record(*, user, complaint: Complaint, door: PersonalDataDoor) -> PersonalDataView:
    return PersonalDataView.objects.create(user=user, complaint=complaint, door=door)


def personal_data_views_record(*, user, complaints: Iterable[Complaint], door: PersonalDataDoor) -> None:
    """One row per order of a list that shows full contact details, in one query."""
    PersonalDataView.objects.bulk_create(
        PersonalDataView(user=user, complaint=complaint, door=door) for complaint in complaints
    )


def personal_data_view_record_if_shown(*, user, view: OrderView, door: PersonalDataDoor) -> None:
    """Records the view when `view` shows the resident's details in full."""
    if view.shows_personal_data:
        personal_data_view_record(user=user, complaint=view.complaint, door=door)

"""Resolving with photos of the work done ("after" photos): the reply and its
photos are one transaction, so a refused photo resolves nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction

from complaints.models import PhotoKind
from complaints.services.photos import photos_prepare, photos_store
from dispatch.models import Assignment
from dispatch.services.assignments import assignment_resolve
from portal.errors import ActionRefused


def assignment_resolve_with_photos(
    *, user, assignment_id: int, reply: str, files, version: int | None = None
) -> Assignment:
    # Decoded and re-encoded before any row is locked: the slow part holds no lock.
    prepared = _checked(lambda: photos_prepare(files=files))
    with transaction.atomic():
        assignment = assignment_resolve(user=user, assignment_id=assignment_id, reply=reply, version=version)
        _checked(
            lambda: photos_store(
                complaint=assignment.complaint, photos=prepared, kind=PhotoKind.REPLY, public=False, uploaded_by=user
            )
        )
    return assignment


def _checked(step):
    try:
        return step()
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages), field="photos") from error

"""Photos are streamed by views that check who asks, never from MEDIA_URL: the
resident's own on the tracking page (after proving the tracking number), and a
photo the resident allowed to be public for anyone."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from complaints.models import Photo
from complaints.selectors.photos import photo_of, photo_public_get
from complaints.views.grants import complaint_get_granted
from portal.errors import NotFound


def photo_response(photo: Photo, *, thumbnail: bool, public: bool = False) -> FileResponse:
    """The stored copy (or its thumbnail, the copy itself until the task made one)."""
    stored = photo.thumbnail if thumbnail and photo.thumbnail else photo.file
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    return response


@require_safe
def complaint_photo(request, tracking_number: str, key, thumbnail: bool = False):
    complaint = complaint_get_granted(request=request, tracking_number=tracking_number)
    try:
        photo = photo_of(complaint=complaint, key=key)
    except NotFound as exc:
        raise Http404 from exc
    return photo_response(photo, thumbnail=thumbnail)


@require_safe
def public_photo(request, key, thumbnail: bool = False):
    try:
        photo = photo_public_get(key=key)
    except NotFound as exc:
        raise Http404 from exc
    return photo_response(photo, thumbnail=thumbnail, public=True)

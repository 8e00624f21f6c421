"""An order's photos for staff: whoever reaches the order page (its units, the
12345 centre, supervisors of the subtree) sees them; anyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_safe

from complaints.selectors.photos import photo_of
from complaints.views.photos import photo_response
from dispatch.views.common import order_or_404
from portal.errors import NotFound


@login_required
@require_safe
def order_photo(request, tracking_number: str, key, thumbnail: bool = False):
    view = order_or_404(user=request.user, tracking_number=tracking_number)
    try:
        photo = photo_of(complaint=view.complaint, key=key)
    except NotFound as exc:
        raise Http404 from exc
    return photo_response(photo, thumbnail=thumbnail)

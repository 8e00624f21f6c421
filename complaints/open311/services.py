"""Filing a request over Open311: find the place, then the same
`complaint_submit` every door calls, with a token recorded beside it."""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework_api_key.models import APIKey

from complaints.geo import place_for
from complaints.models import Channel, Open311Submission, PhotoKind, Region, RegionLevel
from complaints.open311.errors import Open311Error
from complaints.open311.filing import Filing
from complaints.open311.selectors import service_get
from complaints.services import complaint_submit
from complaints.services.photos import photos_prepare, photos_store
from complaints.services.regions import place_tree
from portal.errors import NotFound


def open311_request_submit(*, client: APIKey, filing: Filing, media=()) -> Open311Submission:
    """File the request with the photos attached as `media`; refuses (nothing
    written) an unknown service_code with 404 and a place that cannot be found, or
    lies outside Beijing, with 400. The service's own checks (description, answers
    to the service's attributes, what a photo is) raise their ValidationError,
    which the Open311 error handler words (`photos` as `media`)."""
    try:
        category = service_get(code=filing.service_code)
    except NotFound as exc:
        raise Open311Error(
            status.HTTP_404_NOT_FOUND,
            _("service_code %(code)s was not found; services.xml lists them.") % {"code": filing.service_code},
        ) from exc
    region, place_to_confirm = place_of(filing)
    # Decoded and re-encoded before the transaction: the slow part holds no lock.
    photos = photos_prepare(files=list(media))
    with transaction.atomic():
        complaint = complaint_submit(
            category=category,
            region=region,
            address=filing.address_string,
            description=filing.description,
            resident_name=filing.name,
            resident_phone=filing.phone,
            resident_email=filing.email,
            latitude=filing.latitude,
            longitude=filing.longitude,
            answers=filing.answers,
            channel=Channel.API,
            demand_type=filing.demand_type,
            place_to_confirm=place_to_confirm,
        )
        photos_store(complaint=complaint, photos=photos, kind=PhotoKind.RESIDENT, public=filing.media_public)
        return Open311Submission.objects.create(
            complaint=complaint,
            client=client,
            device_id=filing.device_id,
            account_id=filing.account_id,
            media_url=filing.media_url,
        )


def place_of(filing: Filing) -> tuple[Region, bool]:
    """The region to file under, and whether the 12345 centre must confirm it.

    `address_id` (our division code) is taken as given. Otherwise the point and
    the address text go through `complaints.geo.place_for`: a street or
    community found with certainty is the place; only a district is filed under
    that district, to confirm. A point outside Beijing is refused either way.
    """
    if filing.address_id and not filing.has_point:
        return _region_by_code(filing.address_id)
    match = place_for(latitude=filing.latitude, longitude=filing.longitude, address=filing.address_string)
    if filing.has_point and match.outside:
        raise Open311Error(
            status.HTTP_400_BAD_REQUEST,
            _("lat and long: the point %(lat)s, %(long)s lies outside Beijing; this server takes reports in Beijing.")
            % {"lat": filing.latitude, "long": filing.longitude},
        )
    if filing.address_id:
        return _region_by_code(filing.address_id)
    if match.region is None:
        raise Open311Error(
            status.HTTP_400_BAD_REQUEST,
            _(
                "The place could not be found: give lat and long inside Beijing, an address_string naming its "
                "district, street or community, or an address_id (a division code)."
            ),
        )
    return match.region, not match.confirmed


def _region_by_code(code: str) -> tuple[Region, bool]:
    region = place_tree().region(code)
    if region is None:
        raise Open311Error(
            status.HTTP_400_BAD_REQUEST,
            _("address_id: no district, street or community has the code %(code)s.") % {"code": code},
        )
    if region.level == RegionLevel.CITY:
        raise Open311Error(
            status.HTTP_400_BAD_REQUEST, _("address_id: give the code of a district, street or community.")
        )
    return region, region.level == RegionLevel.DISTRICT

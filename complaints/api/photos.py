"""The resident's photos over the API: their own and those sent with the reply.

POST /api/v1/complaints/track/photos/ proves the complaint as tracking does (the
tracking number and the phone's last four digits, in the body, never in a URL)
and lists the photos with links that work for a short while: each is signed by
the server for that one photo, so an app can put it in an `<img>` without the
digits and nobody can make one up. A wrong pair is the same 404 as tracking's."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from complaints.api.common import BODY_ERRORS, ResidentApiView
from complaints.api.photo_links import ResidentPhotoSerializer, photo_by_link
from complaints.api.photo_output import ImageOrJsonErrors
from complaints.api.tracking import ProofSerializer, complaint_proven
from complaints.selectors.photos import photos_for
from complaints.views.photos import photo_response
from portal.api.schema import errors

IMAGE = {(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "image/png"): OpenApiTypes.BINARY}
LINK = OpenApiParameter(
    "link", OpenApiTypes.STR, OpenApiParameter.PATH, description="The signed part of a `url` the list gave."
)


class ComplaintPhotosApi(ResidentApiView):
    @extend_schema(
        operation_id="complaint_photos",
        summary="A complaint's photos, for its resident",
        description="The resident's own photos first, then those the unit sent with its reply. "
        "A wrong pair and an unknown tracking number get the same 404.",
        tags=["resident"],
        request=ProofSerializer,
        responses={200: ResidentPhotoSerializer(many=True), **errors(400, 404, 429), **BODY_ERRORS},
    )
    def post(self, request):
        complaint, _data = complaint_proven(request)
        photos = photos_for(complaint=complaint)
        return Response(ResidentPhotoSerializer(photos, many=True, context={"request": request}).data)


class PhotoFileApi(ResidentApiView):
    content_negotiation_class = ImageOrJsonErrors
    thumbnail = False

    @extend_schema(
        operation_id="complaint_photo_file",
        summary="A photo by the link the resident's list gave",
        description="404 once the link is stale, or for one that was altered.",
        tags=["resident"],
        parameters=[LINK],
        responses={**IMAGE, **errors(404, 429)},
    )
    def get(self, request, link: str):
        return self.photo(link)

    def photo(self, link: str):
        return photo_response(photo_by_link(link=link), thumbnail=self.thumbnail)


class PhotoThumbnailApi(PhotoFileApi):
    thumbnail = True

    @extend_schema(
        operation_id="complaint_photo_thumbnail",
        summary="A photo's small copy by the link the resident's list gave",
        description="404 once the link is stale, or for one that was altered.",
        tags=["resident"],
        parameters=[LINK],
        responses={**IMAGE, **errors(404, 429)},
    )
    def get(self, request, link: str):
        return self.photo(link)

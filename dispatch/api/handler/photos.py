"""An order's photos for staff: the resident's and the reply's, listed with the URLs
to fetch each, and the files themselves. Whoever may read the order (its units,
the 12345 centre, supervisors of its subtree) may see them, through the same
`order_get_for`; anyone else gets 404, whether or not the order or photo exists."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api.photo_output import ImageOrJsonErrors, PhotoSerializer
from complaints.selectors.photos import photo_of, photos_for
from complaints.views.photos import photo_response
from dispatch.api.handler.orders import TRACKING_NUMBER
from dispatch.selectors import order_get_for
from portal.api.schema import errors

KEY = OpenApiParameter("key", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The photo's `key`.")
IMAGE = {(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "image/png"): OpenApiTypes.BINARY}


class OrderPhotoSerializer(PhotoSerializer):
    class Meta:
        ref_name = "OrderPhoto"

    url = serializers.SerializerMethodField(help_text="The stored copy, for staff who may read the order.")
    thumbnail_url = serializers.SerializerMethodField(
        help_text="A small copy (the stored copy itself until the thumbnail is made)."
    )

    def get_url(self, photo) -> str:
        return self._absolute("dispatch_api:order_photo_file", photo)

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute("dispatch_api:order_photo_thumbnail", photo)

    def _absolute(self, name: str, photo) -> str:
        path = reverse(name, args=[self.context["tracking_number"], photo.key])
        return self.context["request"].build_absolute_uri(path)


class OrderPhotoListApi(APIView):
    @extend_schema(
        operation_id="order_photos",
        summary="An order's photos",
        description="The resident's (up to four) first, then those sent with the reply (up to four). "
        "404 for anyone who may not read the order.",
        parameters=[TRACKING_NUMBER],
        responses={200: OrderPhotoSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, tracking_number: str):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        context = {"request": request, "tracking_number": view.complaint.tracking_number}
        return Response(OrderPhotoSerializer(photos_for(complaint=view.complaint), many=True, context=context).data)


class OrderPhotoFileApi(APIView):
    content_negotiation_class = ImageOrJsonErrors
    thumbnail = False

    @extend_schema(
        operation_id="order_photo_file",
        summary="An order's photo (the stored copy)",
        description="Re-encoded at upload: no EXIF, no GPS position. 404 for anyone who may not read the order.",
        parameters=[TRACKING_NUMBER, KEY],
        responses={**IMAGE, **errors(401, 404)},
    )
    def get(self, request, tracking_number: str, key):
        return self.photo(request, tracking_number, key)

    def photo(self, request, tracking_number: str, key):
        view = order_get_for(user=request.user, tracking_number=tracking_number)
        return photo_response(photo_of(complaint=view.complaint, key=key), thumbnail=self.thumbnail)


class OrderPhotoThumbnailApi(OrderPhotoFileApi):
    thumbnail = True

    @extend_schema(
        operation_id="order_photo_thumbnail",
        summary="An order's photo (a small copy)",
        description="The thumbnail, or the stored copy until the thumbnail is made.",
        parameters=[TRACKING_NUMBER, KEY],
        responses={**IMAGE, **errors(401, 404)},
    )
    def get(self, request, tracking_number: str, key):
        return self.photo(request, tracking_number, key)

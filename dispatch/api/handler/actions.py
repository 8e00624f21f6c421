"""The handling unit's actions on an order: sign for, record contact, note, resolve.
Each checks who may try it, parses its body and calls the one service the order
page calls; the service decides whether the order's state allows it."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.views import APIView

from complaints.api.uploads import PARSERS, PhotosField, photo_uploads
from dispatch.api.handler.common import (
    VersionedInput,
    action_done,
    action_schema,
    order_for_lead_action,
    parsed,
    template_field,
)
from dispatch.models import TemplatePurpose
from dispatch.selectors.actions import acting_assignment
from dispatch.selectors.reply_templates import order_text_with_template
from dispatch.services.assignments import (
    assignment_accept,
    assignment_add_note,
    assignment_record_contact,
)
from dispatch.services.reply_photos import assignment_resolve_with_photos


def _text(help_text: str):
    # Not required here: the service refuses an empty text with a message that says what is missing.
    return serializers.CharField(
        required=False, default="", allow_blank=True, trim_whitespace=False, help_text=help_text
    )


class AcceptApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderAccept"

    @action_schema(operation_id="order_accept", summary="Sign for (签收) the order", request=InputSerializer)
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        assignment_accept(user=request.user, assignment_id=acting_assignment(view).pk, version=data["version"])
        return action_done(request, tracking_number=tracking_number, detail=_("Signed for."))


class ContactApi(APIView):
    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderContact"

        note = _text("How the resident was contacted (required, unless `template` gives it).")
        template = template_field(TemplatePurpose.CONTACT)

    @action_schema(operation_id="order_contact", summary="Record contact with the resident", request=InputSerializer)
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        note = order_text_with_template(
            view=view, purpose=TemplatePurpose.CONTACT, template_id=data["template"], text=data["note"]
        )
        assignment_record_contact(
            user=request.user, assignment_id=acting_assignment(view).pk, note=note, version=data["version"]
        )
        return action_done(request, tracking_number=tracking_number, detail=_("Contact recorded."))


class NoteApi(APIView):
    class InputSerializer(serializers.Serializer):
        # No version: a note changes no state, so it never collides with a colleague's action.
        class Meta:
            ref_name = "OrderNote"

        note = _text("The internal note (required); staff see it, the resident does not.")

    @action_schema(operation_id="order_note", summary="Add an internal note", request=InputSerializer)
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        data = parsed(self.InputSerializer, request)
        assignment_add_note(user=request.user, assignment_id=acting_assignment(view).pk, note=data["note"])
        return action_done(request, tracking_number=tracking_number, detail=_("Note added."))


class ResolveApi(APIView):
    parser_classes = PARSERS

    class InputSerializer(VersionedInput):
        class Meta:
            ref_name = "OrderResolve"

        reply = _text("The reply the resident reads (required, unless `template` gives it).")
        template = template_field(TemplatePurpose.RESOLVE)

    class MultipartInputSerializer(InputSerializer):
        class Meta:
            ref_name = "OrderResolveWithPhotos"

        photos = PhotosField(help_text="Up to four photos of the work done (“after”), seen by the resident.")

    @action_schema(
        operation_id="order_resolve",
        summary="Resolve the order with a reply",
        description="The resident is then asked to rate the result; the summonses close with it. "
        "To send photos of the work done, post the same fields as `multipart/form-data` with up to four `photos` "
        "parts: a refused photo (not an image, a decompression bomb, one too many) is a 400 on `photos`, one over "
        "the size limit a 413, and either resolves nothing.",
        request={"application/json": InputSerializer, "multipart/form-data": MultipartInputSerializer},
        refusals=(413,),
    )
    def post(self, request, tracking_number: str):
        view = order_for_lead_action(user=request.user, tracking_number=tracking_number)
        files = photo_uploads(request)
        data = parsed(self.InputSerializer, request)
        reply = order_text_with_template(
            view=view, purpose=TemplatePurpose.RESOLVE, template_id=data["template"], text=data["reply"]
        )
        assignment_resolve_with_photos(
            user=request.user,
            assignment_id=acting_assignment(view).pk,
            reply=reply,
            version=data["version"],
            files=files,
        )
        return action_done(
            request,
            tracking_number=tracking_number,
            detail=_("Resolved. The resident will be asked to rate the result."),
        )

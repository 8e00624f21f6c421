"""Photos in the admin: thumbnails and facts (kind, position, size, consent), never
the file's path nor anything of the upload but its pixels (the stored copy has no
EXIF to show). Photos are written by the intake and reply services only; the one
change an administrator may make is to take a photo off public pages (moderation)."""

from django.contrib import admin, messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.models import Photo
from complaints.services.photos import photos_hide
from complaints.views.photos import photo_response

PREVIEW_SIDE = 96


def _preview(photo: Photo) -> str:
    if photo.pk is None:
        return "—"
    url = reverse("admin:complaints_photo_thumb", args=[photo.key])
    full = reverse("admin:complaints_photo_image", args=[photo.key])
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" style="max-width:{}px;max-height:{}px"></a>',
        full,
        url,
        _("Photo %(slot)s") % {"slot": photo.slot},
        PREVIEW_SIDE,
        PREVIEW_SIDE,
    )


class PhotoInline(admin.TabularInline):
    """On the complaint's page: the resident's photos and the reply's, read only."""

    model = Photo
    fields = ["preview", "kind", "slot", "width", "height", "content_type", "size", "public", "created_at"]
    readonly_fields = fields
    ordering = ["-kind", "slot"]
    extra = 0
    can_delete = False
    show_change_link = True

    @admin.display(description=_("preview"))
    def preview(self, photo):
        return _preview(photo)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["preview", "complaint", "kind", "slot", "public", "content_type", "size", "created_at"]
    list_display_links = ["complaint"]
    list_filter = ["kind", "public", "content_type", "created_at"]
    search_fields = ["complaint__tracking_number", "=key"]
    list_select_related = ["complaint"]
    date_hierarchy = "created_at"
    fields = ["preview", "complaint", "kind", "slot", "width", "height", "content_type", "size", "public", "created_at"]
    readonly_fields = fields
    actions = ["hide_from_public"]

    @admin.display(description=_("preview"))
    def preview(self, photo):
        return _preview(photo)

    @admin.action(description=_("Take the selected photos off public pages"), permissions=["hide"])
    def hide_from_public(self, request, queryset):
        hidden = photos_hide(photo_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d photo taken off public pages.", "%(count)d photos taken off public pages.", hidden)
            % {"count": hidden},
            messages.SUCCESS,
        )

    def has_hide_permission(self, request):
        # The admin edits no photo, yet moderating is a change: it takes the model's change permission.
        return request.user.has_perm("complaints.change_photo")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<uuid:key>/image/", view(self.image_view), name="complaints_photo_image"),
            path("<uuid:key>/thumb/", view(self.image_view), {"thumbnail": True}, name="complaints_photo_thumb"),
            *super().get_urls(),
        ]

    def image_view(self, request, key, thumbnail: bool = False):
        """The stored copy for an administrator who may view photos; photos are
        never served from MEDIA_URL."""
        if not self.has_view_permission(request):
            raise Http404
        photo = Photo.objects.filter(key=key).first()
        if photo is None:
            raise Http404
        return photo_response(photo, thumbnail=thumbnail)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

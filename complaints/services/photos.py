"""Photos in and out of storage. Every upload is decoded by Pillow (whatever its
name or declared type says), refused if it is not an image, too large, or claims
too many pixels (a decompression bomb is refused before it is decoded), turned
upright, and re-encoded: only the pixels are stored, never the uploaded bytes, so
EXIF blocks (a phone's GPS position among them) and any trailing payload are gone.
Thumbnails are made by a task after the transaction commits."""

import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from complaints.models import MAX_PHOTOS, Complaint, Photo, PhotoKind
from complaints.services.intake import Filed, complaint_intake
from complaints.services.lifecycle import complaint_lock
from complaints.services.submit import complaint_submit

# What Pillow may try to decode: the formats phones and cameras send. Anything else
# (a PDF, an SVG, a script named .jpg) is "not an image" without a decoder ever running.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
JPEG_QUALITY = 85
NAME_SHOWN = 60


@dataclass(frozen=True)
class PreparedPhoto:
    """An upload that passed every check, already re-encoded, not yet stored."""

    content: bytes
    content_type: str
    width: int
    height: int


def photos_body_limit() -> int:
    """The largest multipart body worth reading: four photos at their limit and the
    text fields. A door that takes photos refuses a larger one before reading it."""
    return MAX_PHOTOS * settings.WHISTLE_PHOTO_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def photos_prepare(*, files) -> list[PreparedPhoto]:
    """Check and re-encode every file. All or nothing: a ValidationError on `photos`
    with one message per bad file (and one for too many files)."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": [_too_many(left=MAX_PHOTOS)]})
    prepared, errors = [], []
    for upload in files:
        try:
            prepared.append(_prepare(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({"photos": errors})
    return prepared


def photos_attach(*, complaint: Complaint, files, kind: str, public: bool, uploaded_by=None) -> list[Photo]:
    """Check, re-encode and store `files` with the complaint, all or none."""
    return photos_store(
        complaint=complaint, photos=photos_prepare(files=files), kind=kind, public=public, uploaded_by=uploaded_by
    )


def photos_store(
    *, complaint: Complaint, photos: list[PreparedPhoto], kind: str, public: bool, uploaded_by=None
) -> list[Photo]:
    """Store photos already prepared, in the free slots of `kind` (at most
    MAX_PHOTOS, counted under the complaint's row lock), and make their thumbnails
    after commit. A refusal leaves neither a row nor a file behind."""
    if not photos:
        return []
    if kind not in PhotoKind.values:
        raise ValueError(kind)
    # Reply photos stay with the resident and staff; only the resident can consent for theirs.
    public = bool(public) and kind == PhotoKind.RESIDENT
    written: list[str] = []
    try:
        with transaction.atomic():
            complaint_lock(complaint_id=complaint.pk)
            used = set(Photo.objects.filter(complaint_id=complaint.pk, kind=kind).values_list("slot", flat=True))
            free = [slot for slot in range(1, MAX_PHOTOS + 1) if slot not in used]
            if len(photos) > len(free):
                raise ValidationError({"photos": [_too_many(left=len(free))]})
            created = []
            for prepared, slot in zip(photos, free, strict=False):
                photo = Photo(
                    complaint_id=complaint.pk,
                    kind=kind,
                    slot=slot,
                    width=prepared.width,
                    height=prepared.height,
                    content_type=prepared.content_type,
                    size=len(prepared.content),
                    public=public,
                    uploaded_by=uploaded_by,
                )
                photo.file.save(_filename(prepared.content_type), ContentFile(prepared.content), save=False)
                written.append(photo.file.name)
                photo.save()
                created.append(photo)
            ids = [photo.pk for photo in created]
            transaction.on_commit(lambda: _enqueue_thumbnails(ids))
    except BaseException:
        _delete_files(written)
        raise
    return created


def complaint_submit_with_photos(*, photos: list[PreparedPhoto], public: bool, **submit) -> Complaint:
    """`complaint_submit` and the resident's photos in one transaction: a refusal
    of either files nothing. A resent form (the same submission token) returns the
    first complaint without attaching its photos a second time."""
    token = submit.get("submission_token")
    if token is not None and Complaint.objects.filter(submission_token=token).exists():
        return complaint_submit(**submit)
    with transaction.atomic():
        complaint = complaint_submit(**submit)
        if not Photo.objects.filter(complaint_id=complaint.pk, kind=PhotoKind.RESIDENT).exists():
            photos_store(
                complaint=complaint,
                photos=photos,
                kind=PhotoKind.RESIDENT,
                public=public,
                uploaded_by=submit.get("resident"),
            )
    return complaint


def complaint_intake_with_photos(*, files, public: bool, **intake) -> Filed:
    """`complaint_intake` (the API's filing) and the resident's photos, all or nothing:
    a mistake in the filing and a refused photo are reported together, and either
    files nothing. A retry with the same Idempotency-Key returns the first complaint
    and attaches nothing, whatever it sends (as `complaint_intake` ignores the rest)."""
    # Decoded and re-encoded before the transaction: the slow part holds no lock.
    try:
        prepared, refused = photos_prepare(files=files), None
    except ValidationError as error:
        prepared, refused = [], error
    with transaction.atomic():
        try:
            filed = complaint_intake(**intake)
        except ValidationError as error:
            raise _merged(error, refused) from error
        if filed.replayed:
            return filed
        if refused is not None:
            raise refused
        photos_store(complaint=filed.complaint, photos=prepared, kind=PhotoKind.RESIDENT, public=public)
    return filed


def _merged(error: ValidationError, extra: ValidationError | None) -> ValidationError:
    if extra is None:
        return error
    fields = dict(error.error_dict) if hasattr(error, "error_dict") else {"non_field_errors": error.error_list}
    for name, messages in extra.error_dict.items():
        fields[name] = [*fields.get(name, []), *messages]
    return ValidationError(fields)


def photos_hide(*, photo_ids: list[int]) -> int:
    """Take photos off public pages (an administrator's moderation); how many were
    shown before. Only ever this way: consent to show is the resident's to give."""
    return Photo.objects.filter(pk__in=photo_ids, public=True).update(public=False)


def photo_thumbnail_make(*, photo_id: int) -> bool:
    """Make the photo's thumbnail once; False when there is nothing to do (made
    already, or the photo is gone). Safe to run twice at once: the second finds
    the column set and removes its own file."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.thumbnail:
        return False
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        image.load()
        image.thumbnail((settings.WHISTLE_PHOTO_THUMB_SIDE,) * 2, Image.Resampling.LANCZOS)
        content = _encode(image, photo.content_type)
    name = photo.thumbnail.field.generate_filename(photo, _filename(photo.content_type))
    name = default_storage.save(name, ContentFile(content))
    if not Photo.objects.filter(pk=photo_id, thumbnail="").update(thumbnail=name):
        default_storage.delete(name)
        return False
    return True


def _prepare(upload) -> PreparedPhoto:
    name = _shown_name(upload)
    max_bytes = settings.WHISTLE_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(name)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(name)
    if not data:
        raise _not_an_image(name)
    image = _decoded(data, name)
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a hostile EXIF block must not stop the photo: its EXIF is dropped anyway.
        upright = image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    content_type = "image/png" if has_alpha or image.format in ("PNG", "GIF") else "image/jpeg"
    side = settings.WHISTLE_PHOTO_MAX_SIDE
    if max(upright.size) > side:
        upright.thumbnail((side, side), Image.Resampling.LANCZOS)
    content = _encode(upright, content_type)
    return PreparedPhoto(content=content, content_type=content_type, width=upright.width, height=upright.height)


def _decoded(data: bytes, name: str) -> Image.Image:
    """The first frame, fully decoded; refusals for anything Pillow cannot read and
    for more pixels than allowed, checked from the header before decoding."""
    max_pixels = settings.WHISTLE_PHOTO_MAX_PIXELS
    # Pillow's own guard (a warning above the limit, an error at twice it), set to ours.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(name)
            image.seek(0)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(name) from exc
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure on untrusted bytes means "not an image".
        raise _not_an_image(name) from exc
    if image.width < 1 or image.height < 1:
        raise _not_an_image(name)
    return image


def _encode(image: Image.Image, content_type: str) -> bytes:
    """Pixels only: no EXIF, no XMP, no ICC profile, no text chunks."""
    if content_type == "image/png":
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA", "P") else "RGB"
        clean = image.convert(mode) if image.mode != mode else image.copy()
        clean.info = {}
        out = io.BytesIO()
        clean.save(out, format="PNG", optimize=True)
    else:
        clean = image.convert("RGB") if image.mode != "RGB" else image.copy()
        clean.info = {}
        out = io.BytesIO()
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"")
    return out.getvalue()


def _enqueue_thumbnails(ids: list[int]) -> None:
    from complaints.tasks import make_photo_thumbnails

    make_photo_thumbnails.delay(photo_ids=ids)


def _filename(content_type: str) -> str:
    return "photo.png" if content_type == "image/png" else "photo.jpg"


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _shown_name(upload) -> str:
    name = os.path.basename(str(getattr(upload, "name", "") or "")) or _("photo")
    return name if len(name) <= NAME_SHOWN else name[: NAME_SHOWN - 1] + "…"


def _not_an_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a photo we can read. Send a JPEG, PNG or WebP image.") % {"name": name},
        code="not_an_image",
    )


def _too_large(name: str) -> ValidationError:
    megabytes = settings.WHISTLE_PHOTO_MAX_BYTES / (1024 * 1024)
    return ValidationError(
        _("“%(name)s” is too large: a photo may be at most %(size)s MB.") % {"name": name, "size": f"{megabytes:g}"},
        code="too_large",
    )


def _too_many_pixels(name: str) -> ValidationError:
    megapixels = settings.WHISTLE_PHOTO_MAX_PIXELS / 1_000_000
    return ValidationError(
        _("“%(name)s” has too many pixels: a photo may have at most %(count)s megapixels.")
        % {"name": name, "count": f"{megapixels:g}"},
        code="too_many_pixels",
    )


def _too_many(*, left: int) -> ValidationError:
    if left <= 0:
        message = _("This already has %(max)d photos, the most it can take.") % {"max": MAX_PHOTOS}
    else:
        message = _("At most %(max)d photos: %(left)d more can be added.") % {"max": MAX_PHOTOS, "left": left}
    return ValidationError(message, code="too_many")

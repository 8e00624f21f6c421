from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionBoundary(models.Model):
    """The outline of a district (or, where someone has one, a street), in WGS-84.

    Stored as GeoJSON with its bounding box, so a point is mapped to a place with
    shapely and an in-memory index, without a spatial database.
    """

    region = models.OneToOneField(
        "complaints.Region", on_delete=models.CASCADE, related_name="boundary", verbose_name=_("place")
    )
    # A GeoJSON Polygon or MultiPolygon geometry, longitude first, WGS-84.
    geometry = models.JSONField(_("outline"))
    min_lng = models.FloatField()
    min_lat = models.FloatField()
    max_lng = models.FloatField()
    max_lat = models.FloatField()
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("place outline")
        verbose_name_plural = _("place outlines")

    def __str__(self):
        return str(self.region)

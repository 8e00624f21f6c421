"""The 12345 centre's form to confirm an order's place: a street or community of
its district from a list, or the code of one elsewhere when the district was wrong."""

from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Region, RegionLevel
from dispatch.forms import VersionedForm


def places_in_district(*, district_code: str) -> list:
    """The district's streets, each as an <optgroup> of itself and its communities, in one query."""
    if not district_code:
        return []
    places = Region.objects.filter(
        code__startswith=district_code, level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)
    ).order_by("code")
    choices = []
    for _street, members in groupby(places, key=lambda region: region.code[:9]):
        members = list(members)
        choices.append((members[0].name, [(region.code, region.name) for region in members]))
    return choices


class PlaceConfirmForm(VersionedForm):
    # Not required here: the service refuses a missing place with a message that says what to give.
    region = forms.ChoiceField(label=_("Street or community"), required=False)
    elsewhere = forms.CharField(
        label=_("Or, if the district was wrong: the division code of a street or community elsewhere"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "110105001"}),
    )

    def __init__(self, *args, district_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *places_in_district(district_code=district_code)]

    def place(self) -> tuple[str, bool]:
        """The code to confirm and whether it may lie outside the filed district."""
        elsewhere = self.cleaned_data["elsewhere"].strip()
        return (elsewhere, True) if elsewhere else (self.cleaned_data["region"], False)

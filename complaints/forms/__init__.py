"""Residents' forms: filing (with the category's extra questions), tracking, rating."""

from complaints.forms.base import NewlineCharField, ResidentForm, category_label, in_reader_language
from complaints.forms.intake import MAX_DESCRIPTION, IntakeForm
from complaints.forms.tracking import MAX_COMMENT, RatingForm, TrackForm

__all__ = [
    "MAX_COMMENT",
    "MAX_DESCRIPTION",
    "IntakeForm",
    "NewlineCharField",
    "RatingForm",
    "ResidentForm",
    "TrackForm",
    "category_label",
    "in_reader_language",
]

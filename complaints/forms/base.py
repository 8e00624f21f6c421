"""What every resident's form shares."""

from django import forms

from complaints.models import Category
from complaints.selectors.labels import in_reader_language


def category_label(category: Category) -> str:
    return in_reader_language(category.name, category.name_en)


class NewlineCharField(forms.CharField):
    """Browsers send a line break as CRLF but count it as one character in the
    counter and in `maxlength`; count it as one here too."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class ResidentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        # The labels are headings of their own; a trailing colon reads badly in Chinese.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

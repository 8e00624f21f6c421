"""Forms of the knowledge base pages. They parse; the knowledge services and
selectors check the texts and dates, so a refusal reads the same from every door."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dispatch.forms import VersionedForm
from dispatch.selectors.knowledge import QUERY_MAX_LENGTH, knowledge_categories
from dispatch.services.knowledge import ArticleInput

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
DATE_ERRORS = {"invalid": _("Enter the date as YYYY-MM-DD.")}


def _category_choices():
    return [(category.pk, str(category)) for category in knowledge_categories()]


class KnowledgeSearchForm(forms.Form):
    # No max_length here: the selector refuses a long search with its own message.
    q = forms.CharField(
        label=_("Search"),
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("e.g. 供暖 时间"),
                "autofocus": True,
                "maxlength": QUERY_MAX_LENGTH,
            }
        ),
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    expired = forms.BooleanField(label=_("Include expired articles"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *_category_choices()]


class ArticleForm(forms.Form):
    """The article's fields. Lengths and dates are checked by the service."""

    title = forms.CharField(label=_("Title"), required=False, widget=forms.TextInput(attrs={"size": 60}))
    answer = forms.CharField(
        label=_("Answer to give the caller"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    categories = forms.TypedMultipleChoiceField(
        label=_("Categories"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose more than one."),
        error_messages={"invalid_choice": _("Choose categories from the list.")},
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        input_formats=DATE_FORMATS,
        error_messages={**DATE_ERRORS, "required": _("Give the date the answer is valid from.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
        help_text=_("Leave empty if the answer has no end date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source_document = forms.CharField(
        label=_("Source document"),
        required=False,
        help_text=_("Name and number, e.g. 京政办发〔2023〕5号"),
    )
    source_url = forms.CharField(
        label=_("Source link"), required=False, widget=forms.URLInput(attrs={"size": 60, "placeholder": "https://"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = _category_choices()

    def article_input(self) -> ArticleInput:
        data = self.cleaned_data
        return ArticleInput(
            title=data["title"],
            answer=data["answer"],
            category_ids=data["categories"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            source_document=data["source_document"],
            source_url=data["source_url"],
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's field errors shown beside the fields they are about."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class ArticleEditForm(ArticleForm, VersionedForm):
    pass


class ArchiveForm(VersionedForm):
    pass

"""The reply-template (常用语) picker the order page's text forms carry, and the
desk form that keeps a unit's templates. The picker works without script: a
chosen template fills the text field when that is left empty on submit."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from dispatch.models import ReplyTemplate
from dispatch.selectors.reply_templates import NOT_OFFERED, template_text_or


class TemplateSelect(forms.Select):
    """Carries each template's text on its option, for static/js/reply-templates.js."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-text"] = instance.text
        return option


class ReadOnceChoices(ModelChoiceIterator):
    """The picker's templates from the rows its queryset has read, not a query of their
    own: `offers_templates` reads them for the page anyway, and Django's iterator would
    read them again (on PostgreSQL through a server-side cursor: three round trips)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for template in self.queryset:
            yield self.choice(template)


class TemplateChoiceField(forms.ModelChoiceField):
    iterator = ReadOnceChoices


class TemplatePickerMixin:
    """Adds `template` to a form whose text field is `template_target`. The view
    passes the templates offered (dispatch.selectors.reply_templates)."""

    template_target = ""

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = TemplateChoiceField(
            label=_("Template"),
            queryset=templates if templates is not None else ReplyTemplate.objects.none(),
            required=False,
            empty_label="—",
            error_messages={"invalid_choice": NOT_OFFERED},
            widget=TemplateSelect(
                # Several forms share the order page: an id of its own for each picker.
                attrs={
                    "id": f"id_{type(self).__name__.lower()}_template",
                    "class": "reply-template",
                    "data-fills": self.template_target,
                }
            ),
        )
        self.fields["template"] = field

    @property
    def offers_templates(self) -> bool:
        # Reads the templates once; the widget then lists them from the same rows.
        return bool(self.fields["template"].queryset)

    def clean(self):
        cleaned = super().clean()
        if self.template_target in cleaned:
            cleaned[self.template_target] = template_text_or(
                text=cleaned[self.template_target], template=cleaned.get("template")
            )
        return cleaned


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["purpose", "category", "title", "text", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}
        help_texts = {"category": _("Empty: every category. A group includes its sub-categories.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(is_active=True).select_related("parent").order_by("code")
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("Every category")

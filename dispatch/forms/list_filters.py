"""The base form of the desk's list filters. Its selects render in Python to the
very markup Django's widget templates give: rendered through the templates, the
queue's five selects (some fifty options, an include and an attribute loop per
option) took longer than the page's 25 rows."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class ListFilterRenderer(DjangoTemplates):
    """Django's own renderer, with select.html and select_option.html written out in
    Python; every other template (and any select that names another option template)
    still renders through the templates."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT_TEMPLATE and widget and _plain_options(widget):
            return _select(widget)
        return super().render(template_name, context, request=request)


class ListFilterForm(forms.Form):
    default_renderer = ListFilterRenderer


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def _select(widget: dict) -> str:
    # select.html, line for line (an included option template keeps its trailing newline).
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _attrs(attrs: dict) -> str:
    # attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _formatted(value) -> str:
    # `|stringformat:'s'`, then escaped unless the value was already safe markup.
    if hasattr(value, "__html__"):
        return conditional_escape(value)
    return escape("%s" % (str(value) if isinstance(value, tuple) else value))

"""A form renderer for the desk that writes Django's commonest widget templates out
in Python, to the very markup they give. Through the templates, each widget is an
include or three and an attribute loop: the order page's dozen inputs, text areas,
selects and check boxes took longer than the rest of its facts, and the queue's
five filter selects (some fifty options) longer than its 25 rows. Any other
template, and any widget whose options name another template, renders through
Django's own renderer as before."""

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.html import conditional_escape, escape

WIDGETS = "django/forms/widgets/"
# Templates that are input.html and nothing else.
INPUT_TEMPLATES = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)
SELECT_TEMPLATE = WIDGETS + "select.html"
SELECT_OPTION_TEMPLATE = WIDGETS + "select_option.html"
TEXTAREA_TEMPLATE = WIDGETS + "textarea.html"
CLEARABLE_FILE_TEMPLATE = WIDGETS + "clearable_file_input.html"
# multiple_input.html, and the option templates that are input_option.html alone.
MULTIPLE_INPUT_TEMPLATES = frozenset(WIDGETS + name for name in ("checkbox_select.html", "radio.html"))
INPUT_OPTION_TEMPLATES = frozenset(WIDGETS + name for name in ("checkbox_option.html", "radio_option.html"))


class DeskFormRenderer(BaseRenderer):
    """Django's default form renderer, with the widget templates above written out in
    Python; it loads every other template from the default renderer, so no engine of
    its own is built (an instance costs nothing)."""

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None:
            rendered = _widget(template_name, widget)
            if rendered is not None:
                return rendered
        return super().render(template_name, context, request=request)


def _widget(template_name: str, widget: dict) -> str | None:
    if template_name in INPUT_TEMPLATES:
        return _input(widget)
    if template_name == TEXTAREA_TEMPLATE:
        return _textarea(widget)
    if template_name == SELECT_TEMPLATE and _options_use(widget, {SELECT_OPTION_TEMPLATE}):
        return _select(widget)
    if template_name in MULTIPLE_INPUT_TEMPLATES and _options_use(widget, INPUT_OPTION_TEMPLATES):
        return _multiple_input(widget)
    if template_name == CLEARABLE_FILE_TEMPLATE and not widget["is_initial"]:
        # The template's own input line, which never carries a value.
        return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'
    return None


def _options_use(widget: dict, templates) -> bool:
    return all(
        option["template_name"] in templates for _name, options, _index in widget["optgroups"] for option in options
    )


def _input(widget: dict) -> str:
    # input.html (and attrs.html).
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str:
    # select.html, line for line (an included option template keeps its trailing newline).
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: dict) -> str:
    # multiple_input.html; each option is checkbox_option.html or radio_option.html, that is
    # input_option.html and a newline, which itself ends in one.
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_text(attrs["class"])}"')
    parts.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}\n\n</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _input_option(option: dict) -> str:
    # input_option.html: input.html (with its newline) inside the label when it wraps one.
    if not option["wrap_label"]:
        return _input(option) + "\n"
    label_for = f' for="{_text(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>"


def _attrs(attrs: dict) -> str:
    # attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    # `{{ value }}`: escaped unless it is already safe markup.
    return conditional_escape(value)


def _formatted(value) -> str:
    # `|stringformat:'s'`, then escaped unless the value was already safe markup.
    if hasattr(value, "__html__"):
        return conditional_escape(value)
    return escape("%s" % (str(value) if isinstance(value, tuple) else value))

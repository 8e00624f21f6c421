"""The desk's action forms render their inputs, text areas, selects and check boxes in
Python (dispatch.forms.rendering): the markup is the markup Django's widget templates
give, field by field, blank, bound and refused, in both languages."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe

from dispatch.forms import AcceptForm, ContactForm, DispatchForm, HandDownForm, NoteForm, ResolveForm
from dispatch.forms.extensions import ExtensionDecisionForm, ExtensionRequestForm, PriorityForm
from dispatch.forms.merge import MergeForm, UnmergeForm
from dispatch.forms.place_confirm import PlaceConfirmForm
from dispatch.forms.rendering import DeskFormRenderer
from dispatch.forms.returns import RecallForm, ReturnForm
from dispatch.forms.triage import RecategoriseForm, RejectForm
from dispatch.forms.whistle import WhistleForm, WhistleReportForm
from dispatch.models import ReplyTemplate, TemplatePurpose

HOSTILE = '<b>"it\'s" & more</b>\n  second line '


def _fields_both_ways(form, monkeypatch):
    """Each field (and its errors) as the desk renderer writes it, and as Django's templates do;
    the desk renderer loads no widget template to do it."""
    assert isinstance(form.renderer, DeskFormRenderer)
    loaded = []
    with monkeypatch.context() as patched:
        patched.setattr(DeskFormRenderer, "get_template", lambda self, name: loaded.append(name) or _template(name))
        ours = [(field.name, str(field), str(field.errors)) for field in form]
    assert not [name for name in loaded if name.startswith("django/forms/widgets/")]
    desk = form.renderer
    form.renderer = DjangoTemplates()
    try:
        theirs = [(field.name, str(field), str(field.errors)) for field in form]
    finally:
        form.renderer = desk
    assert [name for name, _html, _errors in ours] == [name for name, _html, _errors in theirs]
    return list(zip(ours, theirs, strict=True))


def _template(name):
    return get_default_renderer().get_template(name)


def _same_as_djangos(form, monkeypatch):
    rendered = _fields_both_ways(form, monkeypatch)
    assert rendered
    for ours, theirs in rendered:
        assert ours == theirs, ours[0]


@pytest.fixture
def templates(db, units):
    for purpose in (TemplatePurpose.CONTACT, TemplatePurpose.RESOLVE, TemplatePurpose.RETURN):
        ReplyTemplate.objects.create(
            unit=units["donghuamen"], purpose=purpose, title='<i>Called</i> & "visited"', text=HOSTILE
        )
        ReplyTemplate.objects.create(unit=units["donghuamen"], purpose=purpose, title="Plain", text="Done.")
    return ReplyTemplate.objects.order_by("pk")


def _forms(data, units, templates, files=None):
    communities = [units["duofuxiang"], units["yinzha"]]
    summonable = [unit for unit in units.values() if unit.kind in ("department", "utility")]
    return [
        NoteForm(data),
        AcceptForm(data, initial={"version": 3}),
        ContactForm(data, initial={"version": 3}, templates=templates.filter(purpose=TemplatePurpose.CONTACT)),
        ResolveForm(data, files, initial={"version": 3}, templates=templates.filter(purpose=TemplatePurpose.RESOLVE)),
        HandDownForm(data, initial={"version": 3}, communities=communities),
        DispatchForm(data, initial={"version": 3}),
        ReturnForm(data, initial={"version": 3}, templates=templates.filter(purpose=TemplatePurpose.RETURN)),
        RecallForm(data, initial={"version": 3}),
        WhistleForm(data, initial={"version": 3}, units=summonable),
        WhistleReportForm(data, initial={"version": 3}),
        ExtensionRequestForm(data, initial={"version": 3}),
        ExtensionDecisionForm(data),
        PriorityForm(data, initial={"version": 3, "priority": "urgent"}),
        RejectForm(data, initial={"version": 3}),
        RecategoriseForm(data, initial={"version": 3}),
        PlaceConfirmForm(data, initial={"version": 3}, district_code="110101"),
        MergeForm(data, initial={"version": 3}),
        UnmergeForm(data, initial={"version": 3}),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_order_pages_blank_forms_render_as_djangos_templates_do(
    units, categories, templates, language, monkeypatch
):
    with translation.override(language):
        for form in _forms(None, units, templates):
            _same_as_djangos(form, monkeypatch)


def test_refused_forms_with_markup_in_their_values_render_as_djangos_templates_do(
    units, categories, templates, monkeypatch
):
    data = {
        "version": "x<y",
        "note": HOSTILE,
        "reply": HOSTILE,
        "reason": HOSTILE,
        "template": "999",
        "community": "not a number",
        "unit": HOSTILE,
        "units": [str(units["donghuamen"].pk), "<script>"],
        "message": HOSTILE,
        "publish": "on",
        "public_line": HOSTILE,
        "requested_due": "tomorrow",
        "decision": "maybe",
        "priority": "urgent",
        "category": str(categories["noise_construction"].pk),
        "reroute": "",
        "region": "110101001",
        "elsewhere": "<1>",
    }
    files = {"photos": SimpleUploadedFile("a.txt", b"not an image")}
    for form in _forms(data, units, templates, files=files):
        form.is_valid()
        _same_as_djangos(form, monkeypatch)


def test_every_widget_kind_with_odd_attributes_renders_as_djangos(db, monkeypatch):
    class Form(forms.Form):
        default_renderer = DeskFormRenderer

        text = forms.CharField(widget=forms.TextInput(attrs={"data-x": 'q"uote', "disabled": True, "hidden": False}))
        number = forms.IntegerField(initial=0)
        hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("<safe>"))
        email = forms.EmailField(required=False)
        area = forms.CharField(widget=forms.Textarea(attrs={"cols": 5}), initial="\nstarts with a newline")
        when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
        flag = forms.BooleanField(initial=True)
        choose = forms.ChoiceField(choices=[("a&b", "<i>A</i>"), ("Group", [(1, "one"), (2, 'say "two"')])])
        many = forms.MultipleChoiceField(
            choices=[("a", "A & a"), ("Group <g>", [(1, "one"), (2, "two")])],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "wide"}),
            initial=["a", 2],
        )
        radio = forms.ChoiceField(choices=[("x", "X"), ("y", "<Y>")], widget=forms.RadioSelect, initial="y")
        upload = forms.FileField(required=False)
        clearable = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    for form in (Form(), Form(auto_id=False), Form({"text": HOSTILE, "number": "1e9", "many": ["a"], "radio": "z"})):
        form.is_valid()
        _same_as_djangos(form, monkeypatch)

"""The base form of the desk's list filters: its selects render in Python
(dispatch.forms.rendering), since through the templates the queue's five selects
(some fifty options, an include and an attribute loop per option) took longer than
the page's 25 rows."""

from django import forms

from dispatch.forms.rendering import DeskFormRenderer


class ListFilterForm(forms.Form):
    default_renderer = DeskFormRenderer

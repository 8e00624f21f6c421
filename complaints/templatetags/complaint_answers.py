"""The answers to a complaint's extra questions, for any page that shows the
complaint to staff (the order page's `dispatch/_answers.html`)."""

from django import template

from complaints.selectors.answers import AnswerShown, answers_shown

register = template.Library()


@register.simple_tag(name="answers_shown")
def answers_shown_tag(complaint) -> list[AnswerShown]:
    return answers_shown(complaint=complaint)

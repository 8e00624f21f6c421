"""Two operators recording the same callback (回访) at the same moment, on
PostgreSQL's real row locks: one answer is recorded, the other is refused clearly,
and nothing is written twice. SQLite serialises whole transactions, so only
PostgreSQL proves it."""

from datetime import timedelta

import pytest

from complaints.models import ComplaintStatus, Rating
from dispatch.models import CallbackAttempt
from dispatch.services.callbacks import NoAnswer, callback_no_answer, callback_record_rating
from portal.errors import ActionRefused
from tests.dispatch.callbacks_setup import make_operator, resolve
from tests.services.conftest import at_once

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def due(submit, people, settings):
    """A resolved order already due for its callback (no delay, so no frozen clock
    is needed across threads)."""
    settings.WHISTLE_CALLBACK_DELAY = timedelta(0)
    return resolve(submit(), people["donghuamen_handler"])


@pytest.fixture
def operators(units):
    return make_operator(units), make_operator(units, username="operator_wang", name="王强")


def test_two_operators_rating_at_once_record_one_rating(due, operators):
    first, second = operators

    outcomes = at_once(
        lambda: callback_record_rating(user=first, complaint_id=due.pk, solved=True, satisfaction="satisfied"),
        lambda: callback_record_rating(user=second, complaint_id=due.pk, solved=False, satisfaction="unsatisfied"),
    )

    ratings = [o for o in outcomes if isinstance(o, Rating)]
    refusals = [o for o in outcomes if isinstance(o, ActionRefused)]
    assert (len(ratings), len(refusals)) == (1, 1), outcomes
    assert "already rated" in refusals[0].message
    assert Rating.objects.filter(complaint=due).count() == 1
    due.refresh_from_db()
    expected = ComplaintStatus.CLOSED if ratings[0].satisfaction == "satisfied" else ComplaintStatus.ASSIGNED
    assert due.status == expected


def test_two_operators_reporting_no_answer_at_once_count_one_attempt(due, operators):
    first, second = operators

    outcomes = at_once(
        lambda: callback_no_answer(user=first, complaint_id=due.pk),
        lambda: callback_no_answer(user=second, complaint_id=due.pk),
    )

    counted = [o for o in outcomes if isinstance(o, NoAnswer)]
    refusals = [o for o in outcomes if isinstance(o, ActionRefused)]
    assert (len(counted), len(refusals)) == (1, 1), outcomes
    assert "An unanswered callback was recorded at" in refusals[0].message
    assert CallbackAttempt.objects.filter(complaint=due).count() == 1
    assert due.events.filter(data__fact="callback_unanswered").count() == 1

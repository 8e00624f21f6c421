"""Deadline policies in the Django admin: bad durations and shares get errors on
their fields and nothing is saved; extensions, alerts and notifications are shown
read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Alert, AlertKind, DeadlinePolicy, Extension, Notification
from dispatch.services.seed import policies_seed
from tests.factories import UserFactory

ADD = "admin:dispatch_deadlinepolicy_add"
GOOD = {
    "name": "停电专项",
    "category": "",
    "priority": "urgent",
    "contact_within": "1",
    "contact_unit": "hours",
    "resolve_within": "12",
    "resolve_unit": "hours",
    "report_within_minutes": "30",
    "warn_share": "0.75",
    "escalate_after_hours": "4",
    "is_active": "on",
}


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_good_policy_is_saved(admin_client, categories):
    response = admin_client.post(reverse(ADD), {**GOOD, "category": categories["utilities"].pk})
    assert response.status_code == 302
    policy = DeadlinePolicy.objects.get(name="停电专项")
    assert (policy.category, policy.resolve_within, str(policy.warn_share)) == (categories["utilities"], 12, "0.75")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("contact_within", "0", "Must be more than zero."),
        ("contact_within", "-2", "greater than or equal to 0"),
        ("resolve_within", "0", "Must be more than zero."),
        ("report_within_minutes", "0", "Must be more than zero."),
        ("escalate_after_hours", "0", "Must be more than zero."),
        ("escalate_after_hours", "-1", "greater than or equal to 0"),
        ("warn_share", "0", "A share between 0 and 1"),
        ("warn_share", "1", "A share between 0 and 1"),
        ("warn_share", "1.5", "A share between 0 and 1"),
        ("warn_share", "-0.2", "A share between 0 and 1"),
        ("warn_share", "0.999", "decimal places"),
        ("warn_share", "most", "Enter a number"),
        ("contact_unit", "fortnights", "Select a valid choice"),
        ("priority", "asap", "Select a valid choice"),
    ],
)
def test_bad_values_get_an_error_on_their_field_and_nothing_is_saved(admin_client, db, field, value, message):
    response = admin_client.post(reverse(ADD), {**GOOD, field: value})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert any(message in error for error in errors[field]), errors[field]
    assert not DeadlinePolicy.objects.exists()


def test_a_second_active_policy_for_the_same_key_is_refused_on_the_category(admin_client, categories):
    policies_seed()
    response = admin_client.post(reverse(ADD), {**GOOD, "priority": "normal", "category": categories["utilities"].pk})
    errors = response.context["adminform"].form.errors
    assert errors["category"] == ["Another active policy already covers this category and priority: 水电气热停供."]
    response = admin_client.post(reverse(ADD), {**GOOD, "priority": "urgent"})
    assert "紧急诉求" in response.context["adminform"].form.errors["category"][0]
    assert DeadlinePolicy.objects.count() == 4
    # Inactive, it may wait beside the live one.
    response = admin_client.post(reverse(ADD), {**GOOD, "priority": "urgent", "is_active": ""})
    assert response.status_code == 302 and DeadlinePolicy.objects.count() == 5


def test_editing_a_policy_does_not_clash_with_itself(admin_client, categories):
    policies_seed()
    policy = DeadlinePolicy.objects.get(name="紧急诉求")
    data = {**GOOD, "name": "紧急诉求", "contact_within": "3"}
    response = admin_client.post(reverse("admin:dispatch_deadlinepolicy_change", args=[policy.pk]), data)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.contact_within == 3


def test_extensions_alerts_and_notifications_are_listed_read_only(admin_client, submit, people, categories):
    policies_seed()
    assignment = submit().assignments.get()
    extension = Extension.objects.create(
        assignment=assignment,
        reason="等待业主大会",
        previous_due=assignment.resolve_due,
        requested_due=assignment.resolve_due + timedelta(days=3),
        requested_by=people["donghuamen_handler"],
    )
    alert = Alert.objects.create(
        assignment=assignment, kind=AlertKind.CONTACT_WARNING, level=0, unit=assignment.unit, due=timezone.now()
    )
    notification = Notification.objects.create(user=people["donghuamen_handler"], alert=alert)
    for obj in (extension, alert, notification, DeadlinePolicy.objects.first()):
        opts = obj._meta
        assert admin_client.get(reverse(f"admin:dispatch_{opts.model_name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:dispatch_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    for name in ("extension", "alert", "notification"):
        assert admin_client.get(reverse(f"admin:dispatch_{name}_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:dispatch_extension_change", args=[extension.pk]), {"status": "approved"}
    )
    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.status == "pending"


def test_complaint_admin_shows_the_priority_read_only(admin_client, submit, categories):
    complaint = submit()
    html = admin_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).content.decode()
    assert "Ordinary" in html
    assert 'name="priority"' not in html
    listing = admin_client.get(reverse("admin:complaints_complaint_changelist") + "?priority__exact=normal")
    assert complaint.tracking_number in listing.content.decode()
    categories_page = admin_client.get(reverse("admin:complaints_category_changelist"))
    assert "default priority" in categories_page.content.decode().lower()

"""Header injection through the fields that reach an e-mail: an address with a line
break is refused at every door with nothing filed, and a name with one never
becomes a header of the message the resident is sent."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import Complaint

INJECTED_ADDRESSES = [
    "zhang@example.cn\r\nBcc: everyone@evil.example",
    "zhang@example.cn\nBcc: everyone@evil.example",
    "zhang@example.cn%0d%0aBcc:everyone@evil.example",
    "zhang@example.cn>\r\nTo: <everyone@evil.example",
]


@pytest.mark.parametrize("address", INJECTED_ADDRESSES)
def test_the_web_form_refuses_an_address_with_a_line_break(client, form_data, address):
    response = client.post(reverse("complaints:file"), form_data(resident_email=address))
    assert response.status_code == 200
    assert "resident_email" in response.context["form"].errors
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("address", INJECTED_ADDRESSES)
def test_the_api_refuses_an_address_with_a_line_break(db, beijing, categories, rules, address):
    api = APIClient()
    body = {
        "category": categories["noise_construction"].pk,
        "region": "110101001001",
        "address": "东华门大街 1 号",
        "description": "凌晨两点还在施工，噪声很大",
        "resident_name": "张三",
        "resident_phone": "138 0013 8000",
        "resident_email": address,
        "answers": {"noise_time": "night"},
    }
    response = api.post(reverse("complaints_api:file"), body, format="json")
    assert response.status_code == 400
    assert "resident_email" in response.json()["fields"]
    assert not Complaint.objects.exists()


def test_a_name_with_a_line_break_never_becomes_a_mail_header(client, form_data, django_capture_on_commit_callbacks):
    name = "张三\r\nBcc: everyone@evil.example\r\nSubject: 中奖"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("complaints:file"), form_data(resident_name=name, resident_email="zhang@example.cn")
        )
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    sent = [m for m in mail.outbox if complaint.tracking_number in m.subject]
    assert sent, "the resident is written to"
    for message in sent:
        assert message.recipients() == ["zhang@example.cn"]
        raw = message.message().as_string()
        assert "everyone@evil.example" not in raw.split("\n\n", 1)[0]  # not in any header
        assert "中奖" not in str(message.subject)

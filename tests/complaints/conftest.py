import uuid

import pytest


@pytest.fixture
def form_data(beijing, categories, rules):
    """The intake form as a resident fills it in: noise at 多福巷社区, a fresh token."""

    def _data(**overrides):
        data = {
            "category": str(categories["noise_construction"].pk),
            "district": "110101",
            "street": "110101001",
            "community": "110101001001",
            "address": "东华门大街 1 号",
            "description": "凌晨两点还在施工，噪声很大",
            "resident_name": "张三",
            "resident_phone": "138 0013 8000",
            "resident_email": "",
            "submission_token": str(uuid.uuid4()),
        }
        data.update(overrides)
        return data

    return _data

"""Client systems' api_keys: issued once, stored hashed, revocable; the demo key."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework_api_key.models import APIKey

from complaints.open311.errors import Open311Error
from complaints.open311.keys import DEMO_CLIENT_KEY, client_for_key, open311_demo_client_seed


def test_the_command_prints_a_working_key_once_and_stores_only_its_hash(db, open311, filing):
    out = io.StringIO()

    call_command("open311_key", "随手拍 App", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    client = APIKey.objects.get(name="随手拍 App")
    assert key.startswith(client.prefix + ".")
    assert key not in client.hashed_key and key.partition(".")[2] not in client.id
    assert client_for_key(key) == client


def test_a_second_live_key_for_the_same_name_is_refused(db):
    call_command("open311_key", "FixMyStreet", stdout=io.StringIO())

    with pytest.raises(CommandError, match="already has a live key"):
        call_command("open311_key", "FixMyStreet", stdout=io.StringIO())
    assert APIKey.objects.filter(name="FixMyStreet").count() == 1


@pytest.mark.parametrize("name", ["", "   ", "n" * 51])
def test_a_name_must_be_given_and_short(db, name):
    with pytest.raises(CommandError):
        call_command("open311_key", name, stdout=io.StringIO())
    assert not APIKey.objects.exists()


def test_revoking_stops_the_key_and_a_new_one_can_be_issued(db, open311, filing):
    out = io.StringIO()
    call_command("open311_key", "FixMyStreet", stdout=out)
    old_key = out.getvalue().strip().splitlines()[-1]

    call_command("open311_key", "FixMyStreet", "--revoke", stdout=io.StringIO())

    with pytest.raises(Open311Error) as refused:
        client_for_key(old_key)
    assert refused.value.status_code == 403
    answer = open311.post("requests.xml", {"api_key": old_key, **filing})
    assert answer.status == 403
    call_command("open311_key", "FixMyStreet", stdout=io.StringIO())
    assert APIKey.objects.filter(name="FixMyStreet", revoked=False).count() == 1


def test_revoking_an_unknown_name_says_so(db):
    with pytest.raises(CommandError, match="No live Open311 key"):
        call_command("open311_key", "nobody", "--revoke", stdout=io.StringIO())


def test_the_demo_client_is_seeded_once_with_the_documented_key(db):
    assert open311_demo_client_seed() == "created"
    assert open311_demo_client_seed() == "unchanged"

    client = APIKey.objects.get(prefix=DEMO_CLIENT_KEY.partition(".")[0])
    assert DEMO_CLIENT_KEY not in client.hashed_key
    assert client_for_key(DEMO_CLIENT_KEY) == client


def test_the_demo_seed_hashes_the_key_again_when_the_hash_is_off(db):
    open311_demo_client_seed()
    APIKey.objects.update(hashed_key="sha512$$" + "0" * 128)

    assert open311_demo_client_seed() == "updated"
    assert client_for_key(DEMO_CLIENT_KEY)


def test_the_demo_seed_leaves_a_revoked_demo_key_revoked(db):
    open311_demo_client_seed()
    APIKey.objects.update(revoked=True)

    assert open311_demo_client_seed() == "revoked"
    with pytest.raises(Open311Error):
        client_for_key(DEMO_CLIENT_KEY)


def test_seed_demo_prints_the_demo_key_beside_the_accounts(db):
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert f"api_key={DEMO_CLIENT_KEY}" in out.getvalue()
    assert client_for_key(DEMO_CLIENT_KEY).name == "Demo Open311 client"

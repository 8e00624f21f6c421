"""The personal data log is append-only in PostgreSQL itself, not only in the
model: raw UPDATE and DELETE from any client are refused by a trigger, inserts
still work, and the migration's guard can be taken off and put back."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from dispatch.models import PersonalDataDoor, PersonalDataView
from dispatch.services.audit import personal_data_view_record

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]

MIGRATION = importlib.import_module("dispatch.migrations.0010_personal_data_audit")
TABLE = PersonalDataView._meta.db_table


@pytest.fixture
def row(people, submit):
    return personal_data_view_record(user=people["dispatcher"], complaint=submit(), door=PersonalDataDoor.ORDER_PAGE)


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE])
        return {name for (name,) in cursor.fetchall()}


def test_raw_update_is_refused_by_the_database(row):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET door = %s WHERE id = %s", [PersonalDataDoor.ADMIN, row.pk])
    assert PersonalDataView.objects.get(pk=row.pk).door == PersonalDataDoor.ORDER_PAGE


def test_raw_delete_is_refused_by_the_database(row):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])
    assert PersonalDataView.objects.filter(pk=row.pk).exists()


def test_new_rows_are_still_written(row, people):
    personal_data_view_record(
        user=people["donghuamen_handler"], complaint=row.complaint, door=PersonalDataDoor.ORDER_API
    )
    assert PersonalDataView.objects.count() == 2


def test_the_guard_comes_off_and_back_with_the_migration(row):
    assert _triggers() == {"dispatch_personaldataview_append_only"}
    with connection.schema_editor() as editor:
        MIGRATION.drop_guard(None, editor)
    try:
        assert _triggers() == set()
        _raw(f"UPDATE {TABLE} SET door = door WHERE id = %s", [row.pk])  # allowed without the guard
    finally:
        with connection.schema_editor() as editor:
            MIGRATION.create_guard(None, editor)
    assert _triggers() == {"dispatch_personaldataview_append_only"}
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])

"""Foreign keys are dropped for the load and added back after it, so PostgreSQL
checks each one once over the whole table (one anti-join) instead of queueing a
deferred check per row (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED:
millions of queued trigger events). Adding a key back validates every row: a
generated row that broke one would fail the load, so they hold as they would
for rows written one at a time. Check, unique and not-null constraints stay on."""


def foreign_keys_drop(cursor, *, tables: tuple[str, ...]) -> list[tuple[str, str, str]]:
    # Fire the checks already queued in this transaction: a table with pending
    # trigger events cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
        [list(tables)],
    )
    keys = cursor.fetchall()
    for table, name, _definition in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return keys


def foreign_keys_restore(cursor, *, keys: list[tuple[str, str, str]]) -> None:
    for table, name, definition in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def indexes_drop(cursor, *, tables: tuple[str, ...]) -> list[str]:
    """Drop the indexes that back no constraint (they are built again, sorted, in
    one pass each: far cheaper than updating a dozen b-trees per inserted row).
    Unique partial indexes are among them: building them again checks them."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def indexes_restore(cursor, *, definitions: list[str]) -> None:
    for definition in definitions:
        cursor.execute(definition)

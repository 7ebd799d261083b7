"""Fast inserts for imports: ids allocated up front, rows written with executemany.

Django's bulk_create spends most of an import's time preparing each object. An import
knows its rows are new and valid, so it allocates their ids itself (its transaction
holds SQLite's write lock; PostgreSQL hands out sequence values) and sends plain
tuples. Rows still go through each field's get_db_prep_save, so values are stored
exactly as the ORM would store them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve ``count`` primary keys for rows about to be inserted."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the import's transaction holds the write lock, so nobody else inserts.
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _adapter(field: models.Field):
    """Return how to send a field's value: the ORM's own conversion, done cheaply."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(
        field,
        (
            models.CharField,
            models.TextField,
            models.IntegerField,
            models.ForeignKey,
            models.BooleanField,
        ),
    ):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert objects whose primary keys are already set, in one executemany."""
    if not objects:
        return
    fields = list(model._meta.concrete_fields)
    adapters = [_adapter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    names = [f.attname for f in fields]
    rows = [
        tuple(adapt(getattr(obj, name)) for adapt, name in zip(adapters, names, strict=True))
        for obj in objects
    ]
    # Table and column names come from the model, values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

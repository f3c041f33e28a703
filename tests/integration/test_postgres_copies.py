"""Reused Postgres test databases read the same as a new copy of the template (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.conftest import PostgresCopies, postgres_test_url

pytestmark = pytest.mark.postgres


def _state(name: str) -> dict[str, Any]:
    """What a test could see of a database: every table's rows and every sequence's next value."""
    engine = create_engine(postgres_test_url(name), poolclass=NullPool)
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ).scalars()
        rows = {
            t: connection.execute(text(f'SELECT json_agg(r ORDER BY r::text)::text FROM "{t}" r')).scalar()
            for t in tables
        }
        sequences = connection.execute(
            text("SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename")
        ).all()
    engine.dispose()
    return {"rows": rows, "sequences": [tuple(s) for s in sequences]}


def _run(name: str, *statements: str) -> None:
    engine = create_engine(postgres_test_url(name), poolclass=NullPool)
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def test_a_copy_a_test_wrote_to_is_given_to_the_next_test_as_the_template_is(
    postgres_copies: PostgresCopies,
) -> None:
    template = _state(postgres_copies.template)
    name = postgres_copies.take()
    assert _state(name) == template
    _run(
        name,
        "INSERT INTO staff_users (email, role, password_hash, must_change_password, session_epoch, disabled,"
        " created_at) VALUES ('a@example.gov.uk', 'admin', 'x', false, 1, false, now())",
        "DELETE FROM questionnaires",
        "SELECT nextval(pg_get_serial_sequence('responses', 'id'))",
    )
    assert _state(name) != template
    idle = create_engine(postgres_test_url(name), poolclass=NullPool).connect()  # a connection left open
    idle.exec_driver_sql("BEGIN; LOCK TABLE responses IN ACCESS EXCLUSIVE MODE")
    postgres_copies.give_back(name)
    again = postgres_copies.take()
    assert again == name  # reused, not copied again
    assert _state(again) == template
    postgres_copies.give_back(again)


@pytest.mark.parametrize(
    "change",
    [
        "CREATE TABLE left_behind (id integer)",
        "ALTER TABLE responses ADD CONSTRAINT refuse_writes CHECK (id < 0) NOT VALID",  # as a log test does
        "CREATE FUNCTION no() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';"
        " CREATE TRIGGER refuse BEFORE UPDATE ON responses FOR EACH ROW EXECUTE FUNCTION no()",
        "ALTER TABLE responses ALTER COLUMN channel SET NOT NULL",
    ],
)
def test_a_copy_whose_tables_a_test_changed_is_dropped_not_reused(
    postgres_copies: PostgresCopies, change: str
) -> None:
    name = postgres_copies.take()
    _run(name, change)
    postgres_copies.give_back(name)
    assert name not in postgres_copies.free and name not in postgres_copies.made
    admin = create_engine(postgres_test_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    admin.dispose()
    assert exists is None

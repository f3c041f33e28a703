"""The migrations build exactly the models' schema on SQLite and Postgres, and go down and up again."""

from __future__ import annotations

from sqlalchemy import inspect

from survey.store.db import current_revision, make_engine, schema_differences, upgrade_database

TABLES = {"questionnaires", "responses", "resume_attempts"}


def test_migrations_from_empty_match_the_models(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        upgrade_database(engine)
        assert current_revision(engine) is not None
        assert schema_differences(engine) == []
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_first_revision_is_0001_responses_and_downgrades_cleanly(empty_database_url: str) -> None:
    from alembic import command

    from survey.store.db import alembic_config

    engine = make_engine(empty_database_url)
    try:
        upgrade_database(engine, "0001_responses")
        assert current_revision(engine) == "0001_responses"
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade_database(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_sqlite_connections_use_wal_and_a_busy_timeout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}", busy_timeout_ms=4321)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
    finally:
        engine.dispose()

"""Alembic environment: the same migrations for SQLite (batch mode) and Postgres, types compared."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from survey.store.db import import_models

import_models()  # survey/models.py and every survey/models_<area>.py register their tables
config = context.config
target_metadata = SQLModel.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    """Migrate through the connection given by survey.store.db (or one made from the app's DATABASE_URL)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from survey.app import create_app
    from survey.store.db import get_engine

    app = create_app()
    with get_engine(app).connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported: run `survey init-db`.")
run_migrations_online()

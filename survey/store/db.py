"""Database engine and sessions: one engine per app, made on first use; one session per request on `g`."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["DATABASE_FAULTS", "Session"]  # the session type, for callers above the storage floor

# What a database that is down, read-only, full or restarting raises (every DB-API error and a lost
# connection). Faces catch these to show residents a calm "try again" page that keeps what they typed.
DATABASE_FAULTS: tuple[type[Exception], ...] = (DBAPIError, DisconnectionError)

EXTENSION_KEY = "survey_db_engine"
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
if not MIGRATIONS_DIR.is_dir():  # an installed wheel: its copy (scripts/build_wheel.py)
    MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "_bundle" / "migrations"


def make_engine(url: str, *, busy_timeout_ms: int = 5000, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL mode, a busy timeout and foreign keys on every connection.

    Statement parameters never appear in an error's text (`hide_parameters`): residents' answers, tokens
    and code hashes are parameters, and an error's text goes to the log. Every connection is checked
    before use (`pool_pre_ping`), so a database that was down or read-only serves again once it is back,
    and a connection opened during a fault is used once and never pooled (`_watch_faults`).
    """
    engine: Engine
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            pool_pre_ping=True,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows (erased responses, retention) are overwritten with zeros, not left in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

    else:
        engine = create_engine(url, echo=echo, hide_parameters=True, pool_pre_ping=True)
    if not (url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")):
        _watch_faults(engine)  # (an in-memory database lives and dies with its one connection)
    return engine


@dataclass
class _FaultState:
    """Whether the engine's database failed and no write has succeeded since."""

    faulted: bool = False


_FAULTS: weakref.WeakKeyDictionary[Engine, _FaultState] = weakref.WeakKeyDictionary()
_OPENED_IN_FAULT = "survey_opened_in_fault"  # a connection record's mark: opened during a fault
_FRESH = "survey_fresh"  # not checked out yet


def _watch_faults(engine: Engine) -> None:
    """Connections opened during a fault serve one checkout each and are then replaced.

    Pre-ping cannot tell a read-only SQLite connection (opened while the file was read-only, and read-only
    for its life) from a good one: it reads. Pages read during a fault would put such connections back in
    the pool, and the first save after the database came back would fail on one (a 503 more than needed).
    So from a fault (`recover_from_fault`) until a write succeeds, each new connection is marked, and a
    marked connection is never handed out twice: its second checkout closes it and opens another.
    """
    state = _FAULTS.setdefault(engine, _FaultState())

    @event.listens_for(engine, "connect")
    def _opened(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_FRESH] = True
        if state.faulted:
            record.info[_OPENED_IN_FAULT] = True

    @event.listens_for(engine, "checkout")
    def _checked_out(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if record.info.pop(_FRESH, False) or not record.info.get(_OPENED_IN_FAULT):
            return
        raise DisconnectionError("a connection opened during a database fault is not reused")

    @event.listens_for(engine, "after_cursor_execute")
    def _wrote(_conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool) -> None:
        if state.faulted and (context.isinsert or context.isupdate or context.isdelete):
            state.faulted = False  # the database takes writes again: connections are pooled again


def truncate_write_ahead_log(session: Session) -> bool:
    """SQLite: copy every page of the write-ahead log into the database file and empty the `-wal` file.

    Called after an erasure or a retention run: `secure_delete` overwrites deleted rows in the database
    file, but the `-wal` file keeps earlier images of the pages (the answers as they were) until SQLite
    reuses it, which can take many writes. The session's work is committed first. Returns False when
    another connection kept reading past the busy timeout, so the log could not be emptied now (the next
    erasure, retention run or automatic checkpoint does it); Postgres needs nothing (True).
    """
    session.commit()
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return True
    raw = engine.raw_connection() if isinstance(engine, Engine) else engine.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = cursor.fetchone()
        cursor.close()
    finally:
        raw.close()
    return busy is None or int(busy[0]) == 0


def is_database_fault(error: BaseException) -> bool:
    """True when `error` comes from the database (down, read-only, full, connection lost)."""
    return isinstance(error, DATABASE_FAULTS)


def recover_from_fault(app: Flask | None = None) -> None:
    """After a database fault: close every pooled connection, so the next request connects afresh.

    A connection opened while the file was read-only (or to a Postgres that restarted) may stay broken;
    disposing the pool means the service serves again as soon as the database is back, with no restart.
    Until a write succeeds, connections opened meanwhile (by pages that only read) are used once each
    (`_watch_faults`), so none of them is left in the pool to fail the first save after the fault.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    engine: Engine | None = app.extensions.get(EXTENSION_KEY)
    if engine is not None:
        _FAULTS.setdefault(engine, _FaultState()).faulted = True
        engine.dispose()


def describe_url(url: str) -> tuple[str, Path | None]:
    """The database address to show (password hidden) and, for SQLite, the file it lives in."""
    parsed = make_url(url)
    is_file = parsed.get_backend_name() == "sqlite" and bool(parsed.database)
    shown = parsed.render_as_string(hide_password=True)
    return shown, Path(parsed.database) if is_file and parsed.database else None


def libpq_conninfo(url: str) -> str:
    """A Postgres DATABASE_URL (any driver name) as a libpq connection string, for non-SQLAlchemy clients.

    The URL's query arguments become libpq parameters with their values decoded as SQLAlchemy reads them:
    `options=-csearch_path%3Dx+-cstatement_timeout%3D5000` is two settings. Cutting the scheme off and
    handing the rest to libpq as a URI would pass "x+-cstatement_timeout=5000" as the search path
    (libpq decodes %XX but not "+").
    """
    from psycopg.conninfo import make_conninfo

    parsed = make_url(url)
    parts: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "dbname": parsed.database,
        "user": parsed.username,
        "password": parsed.password,
    }
    for key, value in parsed.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    return make_conninfo("", **{k: v for k, v in parts.items() if v is not None})


def get_engine(app: Flask | None = None) -> Engine:
    """The app's engine, created the first time it is needed (never at import time)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    engine: Engine | None = app.extensions.get(EXTENSION_KEY)
    if engine is None:
        engine = make_engine(
            app.config["DATABASE_URL"], busy_timeout_ms=int(app.config["SURVEY_SQLITE_BUSY_TIMEOUT_MS"])
        )
        app.extensions[EXTENSION_KEY] = engine
    return engine


def get_session() -> Session:
    """The request's database session, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session: anything unfinished is rolled back, its connection goes back to the pool.

    `close()` rolls back the open transaction itself; a `rollback()` before it would also expire every
    object the session holds, work nobody sees (they are all let go at once).
    """
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def dispose_engine(app: Flask) -> None:
    """Close every pooled connection of the app's engine (tests, shutdown)."""
    engine: Engine | None = app.extensions.pop(EXTENSION_KEY, None)
    if engine is not None:
        engine.dispose()


def init_app(app: Flask) -> None:
    """Register the per-request session teardown."""
    app.teardown_appcontext(close_session)


def alembic_config() -> Config:
    """An Alembic configuration pointing at the project's migrations/ folder."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the database schema to `revision` (Alembic head by default)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@cache
def head_revisions() -> tuple[str, ...]:
    """The Alembic head revision(s) of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def ping(engine: Engine) -> None:
    """One round trip to the database (raises when it cannot be reached)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None when it has never been migrated)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def import_models() -> None:
    """Import every table module (survey/store/models.py and models_<area>.py) onto SQLModel.metadata."""
    import importlib
    import pkgutil

    import survey.store

    for module in pkgutil.iter_modules(survey.store.__path__):
        if module.name == "models" or module.name.startswith("models_"):
            importlib.import_module(f"survey.store.{module.name}")


def schema_differences(engine: Engine) -> list[Any]:
    """Differences between the migrated database and the SQLModel models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": engine.dialect.name == "sqlite"}
        )
        return list(compare_metadata(context, SQLModel.metadata))

"""Shared fixtures: app, client, runner, a fresh database per test (SQLite and Postgres), a respondent."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import rule_builders
from tests.respondent import Respondent

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("SURVEY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_TODAY = "2026-06-01"


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by every test app in this process (compiling is most of a page's cost)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _MemoryBytecodeCache()
rule_builders.install()  # each URL rule's builder compiled once per test process (tests/rule_builders.py)


@cache
def postgres_unavailable() -> str | None:
    """Why Postgres cannot be used for tests (None when it answers)."""
    url = make_url(POSTGRES_URL)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: no usable server
        where = url.render_as_string(hide_password=True)
        return f"PostgreSQL at {where} is unreachable ({type(error).__name__}: {error})"
    return None


# Test databases are thrown away after each test, so their commits need not wait for the disk: the test
# connections set `synchronous_commit=off` (a per-session setting any user may change; the server's own
# configuration is untouched). A crash of the server could lose the last commits of a test database, which
# no test survives anyway; the tests that kill the *app* mid-write still see every commit the app confirmed,
# because Postgres applies a commit in memory before it answers, whatever this setting says.
FAST_COMMITS = "-csynchronous_commit=off"


def postgres_test_url(database: str | None = None, *, search_path: str | None = None) -> str:
    """POSTGRES_URL for a test (another database, or a schema of its own), with FAST_COMMITS."""
    url = make_url(POSTGRES_URL)
    if database is not None:
        url = url.set(database=database)
    options = [url.query.get("options", ""), FAST_COMMITS]
    if search_path is not None:
        options.append(f"-csearch_path={search_path}")
    options_text = " ".join(str(o) for o in options if o)
    return url.update_query_dict({"options": options_text}).render_as_string(hide_password=False)


def _require_postgres() -> None:
    reason = postgres_unavailable()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason}; CI=true requires the Postgres tests to run")
    pytest.skip(reason)


MUST_RUN_IN_CI = ("browser", "postgres")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With CI=true a browser or Postgres test that skips (no Chromium, no server) is a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    needs = [name for name in MUST_RUN_IN_CI if item.get_closest_marker(name)]
    if IN_CI and needs and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true: this {'/'.join(needs)} test must run, but it was skipped: {reason}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse to run when `--dist loadgroup` would silently split a group across workers.

    Browser and reliability modules share one server per module; split, their tests see another worker's
    empty fixtures. pytest-xdist marks a grouped test by suffixing its node id with "@group"; a pytest that
    ignores the suffix (9.2 with xdist 3.8) would run the groups apart, so this stops the run instead.
    """
    if not getattr(config.option, "loadgroup", False):  # set by xdist on its workers under --dist loadgroup
        return
    split = [
        item.nodeid for item in items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid
    ]
    if split:
        raise pytest.UsageError(
            f"--dist loadgroup is not grouping {len(split)} tests (first: {split[0]}): this pytest and "
            "pytest-xdist do not work together; install the versions pyproject.toml allows"
        )


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A Postgres URL whose connections use a schema of their own (dropped afterwards): xdist-safe."""
    _require_postgres()
    schema = f"test_{uuid.uuid4().hex[:20]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_test_url(search_path=schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


# Migrating a database and loading the bundled questionnaires is done once per test process and kind of
# database: each test then gets a copy of that template (a file copy for SQLite, CREATE DATABASE … TEMPLATE
# for Postgres), as empty and as isolated as a database migrated for it alone, in a fraction of the time.
PREPARED: set[str] = set()  # URLs of copies already migrated with the bundled questionnaires loaded


def _base_config(database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SURVEY_ENV": "test",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "SURVEY_FIXED_DATE": TEST_TODAY,
        "SURVEY_QUESTIONNAIRE_DIR": str(PROJECT_ROOT / "questionnaires"),
        "SURVEY_JOBS_WORKER": "immediate",  # a background job runs inside the request that asks for it
    }


def migrate_and_load(database_url: str, instance_dir: Path) -> None:
    """Migrate `database_url` to head and load the bundled questionnaires (what `survey init-db` does)."""
    from survey.app import create_app
    from survey.cli.db import load_questionnaires
    from survey.store.db import dispose_engine, get_engine, upgrade_database

    app = create_app(_base_config(database_url))
    app.instance_path = str(instance_dir)
    with app.app_context():
        engine = get_engine()
        upgrade_database(engine)
        load_questionnaires(Path(app.config["SURVEY_QUESTIONNAIRE_DIR"]))
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    dispose_engine(app)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the bundled questionnaires, made once per test process."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "survey.db"
    migrate_and_load(f"sqlite:///{path}", folder / "instance")
    return path


def _postgres_admin() -> Any:
    return create_engine(make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")


# The shape of a database: every relation's columns and types, constraints, triggers, functions and
# row-security switches in every non-system schema, this database's own settings, and the migration it is
# at. A copy whose shape a test changed (a test adds a CHECK constraint to make writes fail, say) is
# dropped, not reused.
_SHAPE = """
SELECT md5(concat_ws('|',
  (SELECT string_agg(n.nspname || '.' || c.relname || '.' || c.relkind::text || '.' || c.relrowsecurity::text
                     || '.' || a.attname || ':' || a.atttypid::text || ':' || a.attnotnull::text,
                     ',' ORDER BY n.nspname, c.relname, a.attnum)
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT con.conrelid::regclass::text || '.' || con.conname || ':' || pg_get_constraintdef(con.oid) || ':'
            || con.convalidated::text AS x
       FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')) constraints),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT t.tgrelid::regclass::text || '.' || t.tgname || ':' || t.tgenabled::text AS x
       FROM pg_trigger t WHERE NOT t.tgisinternal) triggers),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT p.oid::regprocedure::text AS x
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')) functions),
  (SELECT string_agg(x, ',' ORDER BY x) FROM (
     SELECT array_to_string(s.setconfig, ' ') AS x
       FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
      WHERE d.datname = current_database()) settings),
  (SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version)
))
"""


class PostgresCopies:
    """Copies of one process's migrated template, each reused by the next test once its rows are put back.

    `CREATE DATABASE … TEMPLATE` and `DROP DATABASE` cost about 0.3 s a test (more under load); deleting the
    rows a test left and putting back the template's (the bundled questionnaires), with every sequence where
    the template had it, costs about 20 ms and leaves a database that reads the same as a new copy. Other
    connections to the copy are ended first. A copy whose shape a test changed (tables, columns, migration),
    or whose reset fails for any reason, is dropped and a new one made.
    """

    def __init__(self, template: str, admin: Any) -> None:
        from sqlalchemy import MetaData
        from sqlalchemy.pool import NullPool

        self.template, self.admin, self.free = template, admin, list[str]()
        self.made: set[str] = set()
        engine = create_engine(postgres_test_url(template), poolclass=NullPool)
        with engine.connect() as connection:
            meta = MetaData()
            meta.reflect(bind=connection)
            self.tables = [t.name for t in reversed(meta.sorted_tables) if t.name != "alembic_version"]
            self.seed = {
                name: rows
                for name in reversed(self.tables)
                if (rows := connection.execute(text(f'SELECT json_agg(r)::text FROM "{name}" r')).scalar())
            }
            self.sequences = connection.execute(
                text(
                    "SELECT format('%I.%I', schemaname, sequencename), start_value, last_value"
                    " FROM pg_sequences"
                )
            ).all()
            self.shape = connection.execute(text(_SHAPE)).scalar()
        engine.dispose()

    def take(self) -> str:
        """A copy of the template nobody is using (reset, or new)."""
        if self.free:
            return self.free.pop()
        name = f"{self.template.rsplit('_', 1)[0]}_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        self.made.add(name)
        return name

    def give_back(self, name: str) -> None:
        """After a test: reset the copy for the next one, or drop it when it cannot be."""
        if self._reset(name):
            self.free.append(name)
        else:
            self.drop(name)

    def _reset(self, name: str) -> bool:
        from sqlalchemy.pool import NullPool

        with self.admin.connect() as connection:  # a server or thread the test left behind lets go of it
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        engine = create_engine(postgres_test_url(name), poolclass=NullPool)
        try:
            with engine.begin() as connection:
                if connection.execute(text(_SHAPE)).scalar() != self.shape:
                    return False
                connection.exec_driver_sql("; ".join(f'DELETE FROM "{table}"' for table in self.tables))
                for table, rows in self.seed.items():
                    connection.execute(
                        text(
                            f'INSERT INTO "{table}" SELECT *'
                            f' FROM json_populate_recordset(NULL::"{table}", :rows)'
                        ),
                        {"rows": rows},
                    )
                for sequence, start, last in self.sequences:
                    connection.execute(
                        text("SELECT setval(:sequence, :value, :called)"),
                        {
                            "sequence": sequence,
                            "value": start if last is None else last,
                            "called": last is not None,
                        },
                    )
            return True
        except Exception:  # anything odd: a new copy is the safe answer
            return False
        finally:
            engine.dispose()

    def drop(self, name: str) -> None:
        """Drop one copy (other connections to it are ended)."""
        self.made.discard(name)
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_all(self) -> None:
        """At the end of the session: drop every copy made."""
        for name in list(self.made):
            self.drop(name)
        self.free.clear()


@pytest.fixture(scope="session")
def postgres_copies(worker_id: str) -> Iterator[PostgresCopies]:
    """This test process's migrated Postgres template (with the bundled questionnaires) and its copies."""
    _require_postgres()
    base = make_url(POSTGRES_URL).database or "test"
    name = f"{base}_template_{worker_id}_{uuid.uuid4().hex[:8]}"
    admin = _postgres_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    copies = None
    try:
        migrate_and_load(postgres_test_url(name), Path(f"/nonexistent-{name}"))
        copies = PostgresCopies(name, admin)
        yield copies
    finally:
        if copies is not None:
            copies.drop_all()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_copy_url(postgres_copies: PostgresCopies) -> Iterator[str]:
    """A Postgres database of this test's own, as the migrated template is (see PostgresCopies)."""
    name = postgres_copies.take()
    # A URL of this test's own for a reused database: whatever a process keeps by database URL (engines,
    # caches) is not handed from the previous test to this one, as it was not when every copy was new.
    own = {"application_name": f"test-{uuid.uuid4().hex[:12]}"}
    url = make_url(postgres_test_url(name)).update_query_dict(own).render_as_string(hide_password=False)
    PREPARED.add(url)
    try:
        yield url
    finally:
        PREPARED.discard(url)
        postgres_copies.give_back(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of this test's own, migrated, with the bundled questionnaires: SQLite or Postgres."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "survey.db"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
        PREPARED.add(url)
        return url
    copy: str = request.getfixturevalue("postgres_copy_url")
    return copy


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with nothing in it (not migrated): a new SQLite file, or a fresh Postgres schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


def make_app(database_url: str, tmp_path: Path, **overrides: Any) -> Flask:
    """An app on `database_url`, migrated to head, with the bundled questionnaires loaded.

    A copy from the `database_url` fixture is already migrated and loaded; any other database (or other
    questionnaires, by `SURVEY_QUESTIONNAIRE_DIR`) is migrated and loaded here.
    """
    from survey.app import create_app
    from survey.cli.db import load_questionnaires
    from survey.store.db import get_engine, upgrade_database

    config = {**_base_config(database_url), **overrides}
    app = create_app(config)
    app.instance_path = str(tmp_path / "instance")
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    bundled = (
        config["SURVEY_QUESTIONNAIRE_DIR"] == str(PROJECT_ROOT / "questionnaires")
        and config["SURVEY_FIXED_DATE"] == TEST_TODAY
    )
    if database_url in PREPARED and bundled:
        return app
    with app.app_context():
        engine = get_engine()
        upgrade_database(engine)
        if database_url in PREPARED:  # a fresh copy, but this test wants other questionnaires only
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM questionnaires"))
        load_questionnaires(Path(app.config["SURVEY_QUESTIONNAIRE_DIR"]))
    return app


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra configuration for the `app` fixture (override in a test module)."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """The application on a fresh, migrated database holding the bundled questionnaires."""
    from survey.store.db import dispose_engine

    application = make_app(database_url, tmp_path, **app_config)
    yield application
    dispose_engine(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without JavaScript."""
    return app.test_client()


class SurveyCliRunner(FlaskCliRunner):
    """A CLI runner whose default command group is the `survey` console script (not `flask`)."""

    def invoke(self, cli: Any = None, args: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        """Invoke a `survey` command against the test app."""
        if cli is None:
            from survey.cli import cli as survey_cli

            cli = survey_cli
        return super().invoke(cli, args, **kwargs)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs `survey` CLI commands against the test app: runner.invoke(args=["init-db"])."""
    return SurveyCliRunner(app)


@pytest.fixture
def respondent(app: Flask) -> Callable[..., Respondent]:
    """Make a resident (their own browser) who walks a questionnaire: respondent('safermk-2016')."""

    def make(questionnaire_id: str = "safermk-2016", client: FlaskClient | None = None) -> Respondent:
        return Respondent(client or app.test_client(), questionnaire_id, PROJECT_ROOT / "questionnaires")

    return make

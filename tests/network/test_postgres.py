"""The SQL source against a real PostgreSQL server (issue 10.11 and the lock of 10.8).

A throwaway server is started once for the module (see ``pg_server.py``); the tests that stop
it start it again. Without the server binaries the module is skipped, saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from pg_server import DATABASE, PASSWORD, USER, PgServer, find_binaries, free_port

from pipeline.cli import cli
from pipeline.errors import DataError, UsageError
from pipeline.network import Snapshot, export_network, load_network

BIN = find_binaries()
pytestmark = pytest.mark.skipif(
    BIN is None, reason="PostgreSQL server binaries (initdb, pg_ctl) are not installed"
)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    assert BIN is not None
    pg = PgServer(BIN)
    try:
        pg.start()
        yield pg
    finally:
        pg.remove()


@pytest.fixture
def db(server: PgServer) -> Iterator[str]:
    """The URL of an empty database ``network`` on the running server."""
    if not server.running():
        server.start()
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    yield server.url()


def label(server: PgServer, database: str = DATABASE, port: int = 0) -> str:
    return f"postgresql://{USER}:***@127.0.0.1:{port or server.port}/{database}"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_export_to_postgres_and_back(db: str, server: PgServer, sample: Snapshot) -> None:
    assert export_network(sample, db) == label(server)
    loaded = load_network(db)
    assert loaded.sha256 == sample.sha256
    assert loaded.network == sample.network
    assert loaded.source == label(server)  # the snapshot never records the password
    with psycopg.connect(db) as conn:
        kinds = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'risks' AND column_name IN ('likelihood', 'impact')"
        ).fetchall())  # fmt: skip
        text = conn.execute("SELECT achievements FROM narratives WHERE cluster = 'africa'")
        achievements = text.fetchone()
    assert kinds == {"likelihood": "integer", "impact": "integer"}
    assert achievements is not None and "\n\n- " in achievements[0]  # Markdown kept whole


def test_plain_postgresql_urls_use_psycopg_3(db: str, sample: Snapshot) -> None:
    from sqlalchemy import create_engine

    assert create_engine(db).dialect.driver == "psycopg"  # SQLAlchemy's own default
    export_network(sample, db)
    with psycopg.connect(db) as conn:
        count = conn.execute("SELECT count(*) FROM organisations").fetchone()
    assert count == (84,)


def test_cli_export_check_and_refusal_to_overwrite(db: str, server: PgServer) -> None:
    code, said = run("data", "export", "--to", db)
    assert (code, said) == (
        0, f"wrote {label(server)}: 84 organisations, 8 clusters, 34 activities\n"
    )  # fmt: skip
    code, said = run("data", "check", "--data", db)
    assert code == 0
    assert said.startswith("ok: VETNoN, 84 organisations, 8 clusters, 34 activities")
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE organisations SET name = 'Kept' WHERE id = 'org-001'")
    code, said = run("data", "export", "--to", db)
    assert code == 2
    assert said == (
        f"error: {label(server)} already has network tables (activities, aspirations, "
        "budget_lines, cluster_members, clusters, documents, kpis, milestones, narratives, "
        "network, objectives, organisations, partnerships, periods, practices, raci, risks); "
        "pass --force to replace them\n"
    )
    with psycopg.connect(db) as conn:
        kept = conn.execute("SELECT name FROM organisations WHERE id = 'org-001'").fetchone()
    assert kept == ("Kept",)
    assert run("data", "export", "--to", db, "--force")[0] == 0
    assert PASSWORD not in said


def test_postgres_keeps_money_exact_and_refuses_finer_amounts(db: str, sample: Snapshot) -> None:
    export_network(sample, db)
    with psycopg.connect(db, autocommit=True) as conn:
        kind = conn.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'activities' AND column_name = 'budget'"
        ).fetchone()
        conn.execute("UPDATE activities SET currency = 'BHD', budget = 12.345 WHERE id = 'act-001'")
        conn.execute("UPDATE activities SET budget = 0.1 WHERE id = 'act-002'")
        conn.execute("UPDATE kpis SET current = 7.25 WHERE id = 'a3-k2'")
    assert kind == ("numeric",)  # exact, not double precision
    net = load_network(db).network
    assert [str(a.budget) for a in net.activities[:2]] == ["12.345", "0.10"]
    assert str(net.strategy.aspirations[2].kpis[1].current) == "7.25"
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE activities SET budget = 37000.505 WHERE id = 'act-007'")
    code, said = run("data", "check", "--data", db)
    assert code == 1
    assert (
        "table activities id=act-007 column budget: error: 37000.505 EUR has 3 decimals, but "
        "EUR amounts have at most 2"
    ) in said


def test_markers_in_postgres_are_named_by_table_row_and_column(db: str, sample: Snapshot) -> None:
    export_network(sample, db)
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(
            "UPDATE clusters SET convener = 'Dr. Amara Placeholder' WHERE id = 'digital-tvet'"
        )
        conn.execute("UPDATE aspirations SET description = 'TODO' WHERE id = 'a1'")
    code, said = run("data", "check", "--data", db, "--strict")
    assert code == 1
    assert (
        "table aspirations id=a1 column description: warning: unfinished text in description: "
        "'TODO' in 'TODO'; finish or remove it before publishing\n"
        "table clusters id=digital-tvet column convener: warning: convener 'Dr. Amara "
        "Placeholder' reads like a placeholder ('Placeholder'): give the real name before "
        "publishing\n"
    ) in said


def test_check_reports_a_missing_column_by_table(db: str, sample: Snapshot) -> None:
    export_network(sample, db)
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("ALTER TABLE clusters DROP COLUMN kind")
    code, said = run("data", "check", "--data", db)
    assert code == 1
    assert "table clusters: error: missing column(s) 'kind'" in said


def test_a_wrong_database_name(server: PgServer) -> None:
    with pytest.raises(DataError) as info:
        load_network(server.url("no_such_db"))
    message = info.value.format_message()
    assert message.startswith(
        f"{label(server, 'no_such_db')}: the server has no database 'no_such_db' ("
    )
    assert message.endswith("check the name after the last '/' of the URL, or create it (createdb)")
    assert PASSWORD not in message


def test_a_wrong_password_is_not_echoed(server: PgServer) -> None:
    code, said = run("data", "check", "--data", server.url(password="wrong-pw-42"))
    assert code == 1
    assert "password authentication failed" in said
    assert "wrong-pw-42" not in said and PASSWORD not in said


def test_a_refused_port(server: PgServer) -> None:
    port = free_port()
    start = time.monotonic()
    with pytest.raises(DataError) as info:
        load_network(server.url(port=port), timeout=3)
    message = info.value.format_message()
    assert message.startswith(f"{label(server, port=port)}: cannot connect (")
    assert "Connection refused" in message
    assert message.endswith("is the server running, and are the host and port right?")
    assert time.monotonic() - start < 5


class Locker:
    """Another session holding an exclusive lock on a table until released."""

    def __init__(self, url: str, table: str) -> None:
        self.conn = psycopg.connect(url)
        self.conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")

    def release(self) -> None:
        try:
            self.conn.close()
        except psycopg.Error:
            pass  # the server was stopped under it


def wait_for_a_waiting_lock(url: str, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < end:
            row = conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
            if row and row[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the reader never waited on the lock")


def test_a_locked_table_is_waited_on_only_until_the_deadline(db: str, sample: Snapshot) -> None:
    export_network(sample, db)
    locker = Locker(db, "activities")
    try:
        start = time.monotonic()
        with pytest.raises(DataError, match=r"did not answer within 1 s \(a table locked"):
            load_network(db, timeout=1)
        with pytest.raises(DataError, match=r"did not answer within 1 s .*nothing was written"):
            export_network(sample, db, overwrite=True, timeout=1)
        assert time.monotonic() - start < 6
    finally:
        locker.release()
    assert load_network(db).sha256 == sample.sha256  # the refused write changed nothing


def _netdocs(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def test_the_server_stopped_in_mid_read(
    db: str, server: PgServer, sample: Snapshot, tmp_path: Path
) -> None:
    export_network(sample, db)
    locker = Locker(db, "partnerships")  # read last: the reader is mid-way through the tables
    target = tmp_path / "exported"
    reader = _netdocs("data", "export", "--data", db, "--to", str(target), "--timeout", "60")
    try:
        wait_for_a_waiting_lock(db)
        server.stop()
        said, _ = reader.communicate(timeout=60)
    finally:
        locker.release()
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 1, said
    assert said.startswith(
        f"error: {label(server)}: the database server stopped or closed the connection ("
    ), said
    assert said.rstrip().endswith("nothing was loaded; try again when it is back"), said
    assert "Traceback" not in said and PASSWORD not in said
    assert not target.exists()  # nothing half-written


def test_the_server_stopped_in_mid_write_changes_nothing(
    db: str, server: PgServer, sample: Snapshot
) -> None:
    export_network(sample, db)
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE organisations SET name = 'Before' WHERE id = 'org-001'")
    locker = Locker(db, "partnerships")
    errors: list[BaseException] = []

    def write() -> None:
        try:
            export_network(sample, db, overwrite=True, timeout=60)
        except (DataError, UsageError) as exc:
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        wait_for_a_waiting_lock(db)
        server.stop()
        writer.join(60)
    finally:
        locker.release()
    assert not writer.is_alive()
    assert len(errors) == 1
    message = errors[0].format_message()  # type: ignore[attr-defined]
    assert "the database server stopped or closed the connection" in message
    assert "nothing was written" in message
    server.start()
    with psycopg.connect(db) as conn:
        name = conn.execute("SELECT name FROM organisations WHERE id = 'org-001'").fetchone()
    assert name == ("Before",)  # the interrupted write was rolled back whole

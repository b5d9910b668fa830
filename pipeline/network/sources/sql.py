"""Read and write a SQL database through SQLAlchemy: one table per entity.

The same code serves ``sqlite:///network.db`` and ``postgresql://user@host/db`` (through
psycopg 3, a dependency of netdocs). The command's ``--timeout`` is a deadline for the whole
read or write: PostgreSQL gets it as ``statement_timeout`` and ``lock_timeout``, SQLite as its
busy timeout, so a table locked by another session is waited on only until then.

Values are read as the database stores them, without SQLAlchemy's
type conversion, so a malformed date in a text column is reported, not a crash. Numbers are
written as exact ``NUMERIC``; one that SQLite (or an older database) keeps as a float is read as
the shortest decimal that is that float, so 0.1 stays 0.1.
"""

from __future__ import annotations

import logging
import math
import re
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    column,
    create_engine,
    inspect,
    select,
    table,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from ...errors import DataError, NotFoundError, Problem, UsageError
from ..assemble import assemble
from ..model import NetworkData
from ..tables import (
    ALL_TABLES,
    OPTIONAL_TABLES,
    PlaceFn,
    Raw,
    RawTable,
    TableSpec,
    cell_text,
    row_dict,
    to_tables,
)
from .urls import password_text, redact

log = logging.getLogger(__name__)


DEFAULT_TIMEOUT = 10.0
"""Seconds a database has to answer in full, unless the caller says otherwise."""

_LIBPQ_DRIVERS = ("psycopg", "psycopg2")
"""Drivers that pass libpq's ``connect_timeout`` and ``options`` through."""

_TIMED_OUT = {"57014", "55P03"}
"""PostgreSQL's codes for a statement cancelled by statement_timeout or lock_timeout."""

_SERVER_GONE = {"57P01", "57P02", "57P03", "08000", "08003", "08006"}
"""PostgreSQL's codes for a server shutting down or a connection lost."""


def describe_url(url: str) -> str:
    """The URL without its password, fit for messages and snapshots (see :func:`redact`)."""
    return redact(url)


def _scrub(text: str, url: str, parsed: URL | None) -> str:
    """``text`` (a driver's message) without the password of ``url``, should it quote it."""
    secrets = {password_text(url) or "", str(parsed.password or "") if parsed else ""}
    for secret in sorted(secrets - {""}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class _Deadline:
    """The time left for a whole read or write; PostgreSQL is told it before each step."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url = url
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self, conn: Any) -> None:
        """Refuse to go on after the deadline; else limit the next statements to the rest."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.error()
        if conn.dialect.name == "postgresql" and conn.dialect.driver in _LIBPQ_DRIVERS:
            ms = str(max(1, int(left * 1000)))
            conn.exec_driver_sql(
                "SELECT set_config('statement_timeout', %(ms)s, false), "
                "set_config('lock_timeout', %(ms)s, false)",
                {"ms": ms},
            )

    def error(self) -> DataError:
        return DataError(
            f"{describe_url(self.url)} did not answer within {self.seconds:g} s (a table locked "
            "by another session, or a slow server); try again later or raise --timeout"
        )


def _connect_args(parsed: URL, timeout: float) -> dict[str, Any]:
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return {"timeout": timeout}  # how long to wait for a lock held by another process
    if backend == "postgresql" and parsed.get_driver_name() in _LIBPQ_DRIVERS:
        ms = max(1, int(timeout * 1000))
        return {
            "connect_timeout": max(2, math.ceil(timeout)),  # libpq's smallest useful value
            "options": f"-c statement_timeout={ms} -c lock_timeout={ms}",
        }
    return {}


def _database_error(
    url: str, exc: sa_exc.DBAPIError, deadline: _Deadline, writing: bool
) -> DataError:
    """A database failure as the user can act on it; the password never appears."""
    orig = exc.orig
    parsed = make_url(url)
    text = _scrub(" ".join(str(orig).split()), url, parsed) or type(orig).__name__
    label = describe_url(url)
    nothing = "nothing was written" if writing else "nothing was loaded"
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    lowered = text.lower()
    if code in _TIMED_OUT or "database is locked" in lowered:
        return DataError(f"{deadline.error().format_message()}; {nothing}")
    if "file is not a database" in lowered:
        return DataError(
            f"{label}: '{parsed.database}' is not an SQLite database (file is not a database); "
            f"{nothing}. Give the path of a database file, or export to a new file name"
        )
    if code == "3D000" or re.search(r'database "[^"]*" does not exist', text):
        return DataError(
            f"{label}: the server has no database '{parsed.database}' ({text}); check the name "
            "after the last '/' of the URL, or create it (createdb)"
        )
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return DataError(
            f"{label}: the server refused the login ({text}); check the user and password in "
            "the URL (postgresql://user:password@host/database)"
        )
    gone = ("server closed the connection", "terminating connection", "consuming input failed")
    if code in _SERVER_GONE or any(g in lowered for g in gone):
        return DataError(
            f"{label}: the database server stopped or closed the connection ({text}); "
            f"{nothing}; try again when it is back"
        )
    refused = ("connection refused", "could not connect", "connection failed", "timeout expired")
    if any(r in lowered for r in refused):
        return DataError(
            f"{label}: cannot connect ({text}); is the server running, and are the host and "
            "port right?"
        )
    return DataError(f"{label}: database error: {text}; {nothing}")


@contextmanager
def connect(
    url: str, must_exist: bool, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[tuple[Engine, _Deadline]]:
    """An engine for ``url`` and the deadline of the work; clear errors for a bad URL, a
    missing driver or database, a lost server or a lock held past the deadline."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise UsageError(
            f"'{describe_url(url)}' is not a database URL (e.g. sqlite:///network.db)"
        ) from exc
    if "@" in (parsed.host or ""):  # a password holding an unencoded '@' spills into the host
        raise UsageError(
            f"{describe_url(url)}: write '@' in the user name or password percent-encoded, as "
            "%40 (postgresql://user:p%40ss@host/database)"
        )
    if parsed.get_backend_name() == "sqlite" and must_exist:
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).is_file():
            raise NotFoundError(f"{describe_url(url)}: no such database file '{database}'")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, a dependency
    deadline = _Deadline(url, timeout)
    try:
        engine = create_engine(parsed, connect_args=_connect_args(parsed, timeout))
    except (sa_exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        raise UsageError(
            f"{describe_url(url)}: no database driver for '{parsed.drivername}' ({exc}); "
            "install one, e.g. `pip install psycopg` for PostgreSQL"
        ) from exc
    try:
        yield engine, deadline
    except sa_exc.DBAPIError as exc:
        raise _database_error(url, exc, deadline, writing=not must_exist) from exc
    finally:
        engine.dispose()


def _place(name: str, spec: TableSpec, rows: list[dict[str, Any]]) -> PlaceFn:
    def place(row: int | None, col: str | None) -> str:
        if row is None:
            return f"table {name}"
        values = rows[row]
        key = " ".join(f"{k}={values.get(k)}" for k in spec.key if values.get(k) is not None)
        where = f"table {name} {key or f'row {row + 1}'}"
        return f"{where} column {col}" if col else where

    return place


def _read_table(
    conn: Any, name: str, spec: TableSpec, existing: list[str], problems: list[Problem]
) -> RawTable | None:
    present = {c.lower(): c for c in existing}
    missing = [c for c in spec.columns if c in spec.required and c not in present]
    if missing:
        problems.append(
            Problem(
                f"table {name}",
                "error",
                "missing column(s) " + ", ".join(f"'{c}'" for c in missing),
            )
        )
        return None
    for extra in sorted(set(present) - set(spec.columns)):
        problems.append(Problem(f"table {name}", "warning", f"column '{extra}' is not read"))
    columns = [c for c in spec.columns if c in present]
    order: list[Any] = [column(present[k]) for k in spec.key if k in present]
    query: Any = (
        select(*[column(present[c]) for c in columns]).select_from(table(name)).order_by(*order)
    )
    rows = []
    numbers = [i for i, c in enumerate(columns) if c in spec.numbers]
    for record in conn.execute(query):
        values = list(record) if numbers else record
        for i in numbers:
            if type(values[i]) is float and math.isfinite(values[i]):
                values[i] = Decimal(repr(values[i]))  # REAL or double: the float's shortest text
        row = row_dict(spec, columns, values)
        if row:
            rows.append(row)
    return RawTable(spec, rows, _place(name, spec, rows))


def read_sql(url: str, timeout: float = DEFAULT_TIMEOUT) -> Raw:
    """Read every network table of the database at ``url``, collecting all problems.

    ``timeout`` bounds the whole read: a table locked by another session is waited on only
    until then.
    """
    label = describe_url(url)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    incomplete: set[str] = set()
    with connect(url, must_exist=True, timeout=timeout) as (engine, deadline):
        with engine.connect() as conn:
            _read_tables(conn, label, deadline, tables, problems, incomplete)
    raw = assemble(tables, lambda loc: label)
    raw.problems[:0] = problems
    raw.incomplete |= incomplete
    if "network" in incomplete:
        raw.incomplete |= {"network", "strategy"}
    return raw


def _read_tables(
    conn: Any,
    label: str,
    deadline: _Deadline,
    tables: dict[str, RawTable],
    problems: list[Problem],
    incomplete: set[str],
) -> None:
    deadline.check(conn)
    inspector = inspect(conn)
    names = {n.lower(): n for n in inspector.get_table_names()}
    for spec in ALL_TABLES:
        name = names.get(spec.name)
        if name is None:
            if spec.name not in OPTIONAL_TABLES:
                problems.append(Problem(label, "error", f"no table '{spec.name}'"))
                incomplete.add(spec.name)
            continue
        deadline.check(conn)
        existing = [c["name"] for c in inspector.get_columns(name)]
        raw_table = _read_table(conn, name, spec, existing, problems)
        if raw_table is None:
            incomplete.add(spec.name)
            continue
        tables[spec.name] = raw_table
        log.debug("read %d rows from table %s", len(raw_table.rows), name)


def _schema(metadata: MetaData) -> dict[str, Table]:
    result = {}
    for spec in ALL_TABLES:
        cols = []
        for name in spec.columns:
            kind: Any = Text
            if name in spec.dates:
                kind = Date
            elif name in spec.integers:
                kind = Integer()
            elif name in spec.numbers:
                kind = Numeric()  # exact in PostgreSQL, whatever the currency's minor unit
            cols.append(Column(name, kind, primary_key=name in spec.key))
        result[spec.name] = Table(spec.name, metadata, *cols)
    return result


def _db_value(name: str, spec: TableSpec, value: Any) -> Any:
    if isinstance(value, list):
        return cell_text(value)
    if spec.name == "network" and name == "value" and value is not None:
        return cell_text(value)
    return value


def write_sql(
    data: NetworkData, url: str, overwrite: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> str:
    """Write the network to the database at ``url`` in one transaction; return its label.

    Nothing is changed unless the whole network is written (a failure rolls it all back);
    ``timeout`` bounds the whole write, lock waits included.
    """
    metadata = MetaData()
    schema = _schema(metadata)
    rows = to_tables(data)
    with connect(url, must_exist=False, timeout=timeout) as (engine, deadline):
        with engine.begin() as conn:
            _write_tables(conn, url, deadline, schema, metadata, rows, overwrite)
    return describe_url(url)


def _write_tables(
    conn: Any,
    url: str,
    deadline: _Deadline,
    schema: dict[str, Table],
    metadata: MetaData,
    rows: dict[str, list[dict[str, Any]]],
    overwrite: bool,
) -> None:
    deadline.check(conn)
    existing = {n.lower() for n in inspect(conn).get_table_names()}
    ours = sorted(existing & set(schema))
    if ours and not overwrite:
        raise UsageError(
            f"{describe_url(url)} already has network tables ({', '.join(ours)}); "
            "pass --force to replace them"
        )
    metadata.drop_all(conn)
    metadata.create_all(conn)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Decimal objects natively.*")
        for spec in ALL_TABLES:
            deadline.check(conn)
            values = [
                {k: _db_value(k, spec, row.get(k)) for k in spec.columns} for row in rows[spec.name]
            ]
            if values:
                conn.execute(schema[spec.name].insert(), values)

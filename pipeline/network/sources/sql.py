"""Read and write a SQL database through SQLAlchemy: one table per entity.

The same code serves ``sqlite:///network.db`` and ``postgresql://user@host/db`` (with a driver
such as psycopg installed). Values are read as the database stores them, without SQLAlchemy's
type conversion, so a malformed date in a text column is reported, not a crash.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Engine,
    Float,
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
from sqlalchemy.engine import make_url

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

log = logging.getLogger(__name__)


def describe_url(url: str) -> str:
    """The URL without its password, fit for messages and snapshots."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return url


@contextmanager
def connect(url: str, must_exist: bool) -> Iterator[Engine]:
    """An engine for ``url``; clear errors for a bad URL, a missing driver or database."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise UsageError(f"'{url}' is not a database URL (e.g. sqlite:///network.db)") from exc
    if parsed.get_backend_name() == "sqlite" and must_exist:
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).is_file():
            raise NotFoundError(f"{url}: no such database file '{database}'")
    try:
        engine = create_engine(parsed)
    except (sa_exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        raise UsageError(
            f"{describe_url(url)}: no database driver for '{parsed.drivername}' ({exc}); "
            "install one, e.g. `pip install psycopg` for PostgreSQL"
        ) from exc
    try:
        yield engine
    except sa_exc.OperationalError as exc:
        raise DataError(f"{describe_url(url)}: database error: {exc.orig}") from exc
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
    for record in conn.execute(query):
        row = row_dict(spec, columns, record)
        if row:
            rows.append(row)
    return RawTable(spec, rows, _place(name, spec, rows))


def read_sql(url: str) -> Raw:
    """Read every network table of the database at ``url``, collecting all problems."""
    label = describe_url(url)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    incomplete: set[str] = set()
    with connect(url, must_exist=True) as engine, engine.connect() as conn:
        inspector = inspect(conn)
        names = {n.lower(): n for n in inspector.get_table_names()}
        for spec in ALL_TABLES:
            name = names.get(spec.name)
            if name is None:
                if spec.name not in OPTIONAL_TABLES:
                    problems.append(Problem(label, "error", f"no table '{spec.name}'"))
                    incomplete.add(spec.name)
                continue
            existing = [c["name"] for c in inspector.get_columns(name)]
            raw_table = _read_table(conn, name, spec, existing, problems)
            if raw_table is None:
                incomplete.add(spec.name)
                continue
            tables[spec.name] = raw_table
            log.debug("read %d rows from table %s", len(raw_table.rows), name)
    raw = assemble(tables, lambda loc: label)
    raw.problems[:0] = problems
    raw.incomplete |= incomplete
    if "network" in incomplete:
        raw.incomplete |= {"network", "strategy"}
    return raw


def _schema(metadata: MetaData) -> dict[str, Table]:
    result = {}
    for spec in ALL_TABLES:
        cols = []
        for name in spec.columns:
            kind: Any = Text
            if name in spec.dates:
                kind = Date
            elif name == "budget":
                kind = Numeric(15, 2)
            elif name in spec.numbers:
                kind = Float
            cols.append(Column(name, kind, primary_key=name in spec.key))
        result[spec.name] = Table(spec.name, metadata, *cols)
    return result


def _db_value(name: str, spec: TableSpec, value: Any) -> Any:
    if isinstance(value, list):
        return cell_text(value)
    if spec.name == "network" and name == "value" and value is not None:
        return cell_text(value)
    return value


def write_sql(data: NetworkData, url: str, overwrite: bool = False) -> str:
    """Write the network to the database at ``url`` in one transaction; return its label."""
    metadata = MetaData()
    schema = _schema(metadata)
    rows = to_tables(data)
    with connect(url, must_exist=False) as engine, engine.begin() as conn:
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
                values = [
                    {k: _db_value(k, spec, row.get(k)) for k in spec.columns}
                    for row in rows[spec.name]
                ]
                if values:
                    conn.execute(schema[spec.name].insert(), values)
    return describe_url(url)

"""The registry's fact frames: organizations, enterprise-years and platforms, read in bulk.

Each loader runs one SQL statement (PostgreSQL: ``COPY … TO STDOUT`` in CSV; SQLite: one
``fetchall``) and builds the polars frame column by column; money comes out of the database as
integer fen (``CAST(ROUND(x * 100) AS BIGINT)``) so sums stay exact. Enterprise-years carry the
organization's attributes (division, zone, ownership …) joined in polars.
"""

from __future__ import annotations

import io

import polars as pl
from django.db import connection as default_connection

from kechuang.engines.indicators import BOOL, DATE, INT, MONEY, STR, FactSchema, Field
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.platforms.models import Platform
from kechuang.regions.models import Division, Zone

from .registry import FactSource, register_fact

POLARS = {STR: pl.Utf8, INT: pl.Int64, MONEY: pl.Int64, BOOL: pl.Boolean, DATE: pl.Date}


def _choices(model, name: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in model._meta.get_field(name).flatchoices}


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _field(model, name: str, kind: str = STR, column: str | None = None) -> Field:
    return Field(column or name, _label(model, name), kind, _choices(model, name))


ORG_FIELDS = (
    _field(Organization, "division_code"),
    Field("zone_id", "所在园区", INT),
    _field(Organization, "kind"),
    _field(Organization, "ownership"),
    _field(Organization, "above_scale", BOOL),
    _field(Organization, "hightech_field"),
    _field(Organization, "industry_code"),
    _field(Organization, "founded_on", DATE),
)
ORG_COLUMNS = tuple(f.name for f in ORG_FIELDS)
FACT_MONEY = (
    "revenue",
    "rd_expense",
    "rd_expense_domestic",
    "hightech_revenue",
    "total_assets",
    "net_assets",
    "total_cost",
    "tax_paid",
    "value_added",
)
FACT_COUNTS = ("employees", "rd_staff", "class_i_ip", "class_ii_ip", "invention_patents")

ORGANIZATIONS = FactSchema(
    name="organizations",
    label="机构",
    fields=(Field("id", "机构", INT), *ORG_FIELDS),
    org_key="id",
    record_label="家",
)
ENTERPRISE_YEARS = FactSchema(
    name="enterprise_years",
    label="企业年度数据",
    fields=(
        Field("id", "记录", INT),
        Field("org_id", "机构", INT),
        _field(EnterpriseYear, "year", INT),
        *ORG_FIELDS,
        *(_field(EnterpriseYear, name, MONEY) for name in FACT_MONEY),
        *(_field(EnterpriseYear, name, INT) for name in FACT_COUNTS),
    ),
    org_key="org_id",
    yearly=True,
    record_label="条",
)
PLATFORMS = FactSchema(
    name="platforms",
    label="创新平台",
    fields=(
        Field("id", "平台", INT),
        Field("host_id", "依托单位", INT),
        _field(Platform, "division_code"),
        Field("zone_id", "所在园区", INT),
        _field(Platform, "kind"),
        _field(Platform, "level"),
        _field(Platform, "status"),
        _field(Platform, "recognised_on", DATE),
    ),
    org_key="host_id",
    record_label="个",
)


# --- reading ---------------------------------------------------------------------------------


def _table(model) -> str:
    return default_connection.ops.quote_name(model._meta.db_table)


def fen(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def text_to_fen(frame: pl.DataFrame, columns) -> pl.DataFrame:
    """Columns of "1234.56" texts → 123456 fen (exact)."""
    shaped = pl.all_horizontal(
        pl.col(c).is_null() | (pl.col(c).str.slice(-3, 1) == ".") for c in columns
    )
    if not frame.select(shaped.all()).item():
        raise ValueError("金额应为两位小数")
    return frame.with_columns(
        pl.col(c).str.replace(".", "", literal=True).cast(pl.Int64, strict=True) for c in columns
    )


def read_query(connection, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``sql`` and return its rows as a frame of ``schema`` (columns in select order)."""
    names = list(schema)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        buffer = io.BytesIO()
        statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.tell():
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        raw = {n: (pl.Utf8 if t in (pl.Boolean, pl.Date) else t) for n, t in schema.items()}
        frame = pl.read_csv(buffer, has_header=False, new_columns=names, schema=raw)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        if not rows:
            return pl.DataFrame(schema=schema)
        columns = zip(*rows, strict=True)
        frame = pl.DataFrame(
            [pl.Series(n, c, strict=False) for n, c in zip(names, columns, strict=True)]
        )
    return _conform(frame, schema)


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    casts = []
    for name, dtype in schema.items():
        column = pl.col(name)
        current = frame.schema[name]
        if current == dtype:
            casts.append(column)
        elif dtype == pl.Boolean and current == pl.Utf8:
            casts.append(column.is_in(["t", "true", "1"]).alias(name))
        elif dtype == pl.Date and current == pl.Utf8:
            casts.append(column.str.slice(0, 10).str.to_date().alias(name))
        elif current == pl.Null:
            casts.append(column.cast(dtype))
        else:
            casts.append(column.cast(dtype))
    return frame.select(casts)


def table_loader(schema: FactSchema, model, columns: dict[str, str] | None = None):
    """A loader reading ``model``'s table into ``schema``'s frame, one column per schema field:
    the database column of the same name unless ``columns`` maps it (e.g. ``org_id`` →
    ``enterprise_id``); money fields become integer fen."""
    columns = columns or {}
    money = [f.name for f in schema.fields if f.kind == MONEY]

    def load(connection, loaded=None) -> pl.DataFrame:
        types = schema.polars_schema()
        postgres = connection.vendor == "postgresql"
        select = []
        for name in schema.names:
            column = columns.get(name, name)
            select.append(fen(column) if name in money and not postgres else column)
        if postgres:  # numeric prints with its two decimals: read as text, exact in polars
            types |= {name: pl.Utf8 for name in money}
        sql = f"SELECT {', '.join(select)} FROM {_table(model)}"
        frame = read_query(connection, sql, types)
        return text_to_fen(frame, money) if postgres and money else frame

    return load


def _org_sql() -> str:
    return (
        "SELECT id, division_code, zone_id, kind, ownership, "
        "CASE WHEN above_scale THEN 1 ELSE 0 END, hightech_field, industry_code, founded_on "
        f"FROM {_table(Organization)}"
    )


def load_organizations(connection, loaded=None) -> pl.DataFrame:
    return read_query(connection, _org_sql(), ORGANIZATIONS.polars_schema())


def load_enterprise_years(connection, loaded=None) -> pl.DataFrame:
    """Yearly facts with their organization's attributes (``loaded["organizations"]`` when the
    organizations were just read)."""
    organizations = (loaded or {}).get("organizations")
    if organizations is None:
        organizations = load_organizations(connection)
    counts = ", ".join(FACT_COUNTS)
    schema = {"id": pl.Int64, "org_id": pl.Int64, "year": pl.Int64}
    if connection.vendor == "postgresql":
        # numeric(18, 2) prints with two decimals: "1234.50" → 123450 fen, in polars (rounding
        # a million numerics in PostgreSQL costs more than reading them).
        money = ", ".join(FACT_MONEY)
        schema |= {name: pl.Utf8 for name in FACT_MONEY}
    else:
        money = ", ".join(fen(name) for name in FACT_MONEY)
        schema |= {name: pl.Int64 for name in FACT_MONEY}
    schema |= {name: pl.Int64 for name in FACT_COUNTS}
    sql = f"SELECT id, organization_id, year, {money}, {counts} FROM {_table(EnterpriseYear)}"
    years = read_query(connection, sql, schema)
    if connection.vendor == "postgresql":
        years = text_to_fen(years, FACT_MONEY)
    joined = years.join(
        organizations.select(pl.col("id").alias("org_id"), *ORG_COLUMNS), on="org_id", how="left"
    )
    return joined.select(list(ENTERPRISE_YEARS.polars_schema()))


def load_qualifications(connection) -> pl.DataFrame:
    from kechuang.engines.indicators import QUALIFICATION_COLUMNS

    sql = (
        "SELECT organization_id, kind, status, granted_on, valid_until "
        f"FROM {_table(Qualification)}"
    )
    return read_query(connection, sql, dict(QUALIFICATION_COLUMNS))


def load_divisions(connection) -> pl.DataFrame:
    sql = f"SELECT code, name, parent_id FROM {_table(Division)}"
    return read_query(connection, sql, {"code": pl.Utf8, "name": pl.Utf8, "parent": pl.Utf8})


def load_zones(connection) -> pl.DataFrame:
    sql = f"SELECT id, name, division_code FROM {_table(Zone)}"
    return read_query(connection, sql, {"id": pl.Int64, "name": pl.Utf8, "division_code": pl.Utf8})


ORG_LOOKUPS = {"org_id": "organization_id", "zone_id": "organization__zone_id"}
ORG_LOOKUPS |= {name: f"organization__{name}" for name in ORG_COLUMNS if name != "zone_id"}

register_fact(
    FactSource(
        schema=ORGANIZATIONS,
        model=Organization,
        load=load_organizations,
        org_lookup="id",
        ordering=("division_code", "name"),
    ),
    watch=(Qualification, Zone, Division),
)
register_fact(
    FactSource(
        schema=ENTERPRISE_YEARS,
        model=EnterpriseYear,
        load=load_enterprise_years,
        lookups=ORG_LOOKUPS,
        org_lookup="organization_id",
        division_lookup="organization__division_code",
        zone_lookup="organization__zone_id",
        ordering=("organization__division_code", "organization__name"),
    )
)
register_fact(
    FactSource(
        schema=PLATFORMS,
        model=Platform,
        load=table_loader(PLATFORMS, Platform),
        org_lookup="host_id",
        ordering=("division_code", "kind", "name"),
    )
)

"""Migration 0002: matches the Core tables, upgrades a 0001 library without losing a row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from govlab.community import tables as ct
from govlab.community.session import open_library
from govlab.community.tables import metadata
from govlab.library.engine import make_engine
from govlab.library.migrate import HEAD, current_revision, upgrade
from govlab.library.paths import resolve_db_url
from govlab.library.store import Store
from govlab.models import Practice

COMMUNITY = {
    table.name
    for table in vars(ct).values()
    if hasattr(table, "name") and getattr(table, "metadata", None) is metadata
}


def test_the_migration_builds_what_the_code_declares(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = Store.open(db_url, seed=False)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    ours = [d for d in diff if _table_of(d) in COMMUNITY]
    store.close()
    assert len(COMMUNITY) == 18
    assert ours == []


def _table_of(change: Any) -> str:
    """The table an Alembic autogenerate difference is about."""
    item = change[0] if isinstance(change, list) else change  # modify_* come in lists
    kind, thing = item[0], item[1]
    if kind in ("add_table", "remove_table"):
        return str(thing.name)
    if kind in ("add_fk", "remove_fk"):
        return str(thing.parent.name)
    if hasattr(thing, "table"):  # indexes and constraints
        return str(thing.table.name)
    return str(item[2])  # add_column / remove_column / modify_*: (kind, schema, table, ...)


def test_an_old_library_upgrades_without_losing_a_row(db_url: str) -> None:
    engine = make_engine(resolve_db_url(db_url))
    upgrade(engine, "0001")
    old = Store(engine)
    old.save(Practice(id="kept-practice", title="Kept practice", status="published"), by="x")
    assert current_revision(engine) == "0001"
    library = open_library(db_url, "ada", seed=False, show_guidelines=False)  # upgrades
    assert current_revision(engine) == HEAD
    assert library.get("kept-practice").title == "Kept practice"
    assert library.role == "admin"
    assert set(inspect(engine).get_table_names()) >= COMMUNITY
    library.close()
    engine.dispose()


def test_downgrade_removes_only_the_community(db_url: str) -> None:
    engine = make_engine(resolve_db_url(db_url))
    upgrade(engine)
    Store(engine).save(Practice(id="kept-practice", title="Kept practice"), by="x")
    upgrade_to = _downgrade(engine, "0001")
    assert upgrade_to == "0001"
    names = set(inspect(engine).get_table_names())
    assert not COMMUNITY & names and "practices" in names
    upgrade(engine)
    assert Store(engine).get("kept-practice").title == "Kept practice"
    engine.dispose()


def _downgrade(engine: object, revision: str) -> str | None:
    from alembic import command

    from govlab.library.engine import WRITE
    from govlab.library.migrate import alembic_config

    with engine.connect().execution_options(**WRITE) as conn, conn.begin():  # type: ignore[attr-defined]
        command.downgrade(alembic_config(conn), revision)  # type: ignore[arg-type]
    return current_revision(engine)  # type: ignore[arg-type]

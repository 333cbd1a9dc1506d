"""An old library upgrades to the newest schema without losing a row, on both databases."""

from __future__ import annotations

from govlab.library import Store
from govlab.library.engine import make_engine
from govlab.library.migrate import current_revision, upgrade
from govlab.models import Practice


def test_upgrade_from_the_first_schema_keeps_every_row(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    old = Store(engine)
    for i in range(25):
        saved = old.save(Practice(id=f"old-{i}", title=f"Old practice {i}", topics=["x"]), by="a")
        old.save(saved.model_copy(update={"summary": "edited"}), by="b", why="edit")

    upgrade(engine)  # to head, as opening the library with a newer govlab does

    assert current_revision(engine) != "0001"
    new = Store(engine)
    assert new.count() == 25
    assert [r.revision for r in new.history("old-7")] == [1, 2]
    assert new.get("old-24").summary == "edited"
    assert new.search("old", topic="x", limit=0).total == 25
    engine.dispose()


def test_head_is_alembics_newest_revision() -> None:
    """Opening reads HEAD instead of asking Alembic: the two must agree."""
    from alembic.script import ScriptDirectory

    from govlab.library.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD  # type: ignore[arg-type]


def test_upgrade_to_0003_keys_every_member_name(db_url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(db_url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        for name in ("Alice", "ＢＯＢ"):
            conn.execute(
                text(
                    "INSERT INTO members (name, role, display_name, organisation, jurisdiction, "
                    "topics, bio, joined) VALUES (:n, 'member', '', '', '', '[]', '', :t)"
                ),
                {"n": name, "t": "2026-01-05 10:00:00"},
            )
    upgrade(engine)
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT name, name_key FROM members")).all())
    assert keys == {"Alice": "alice", "ＢＯＢ": "bob"}
    engine.dispose()

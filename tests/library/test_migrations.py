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

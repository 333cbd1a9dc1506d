"""Storage and search of the practice library (SQLite by default, PostgreSQL when shared)."""

from govlab.library.records import FieldChange, Revision
from govlab.library.store import Store, Tx
from govlab.models import SearchResult

__all__ = ["FieldChange", "Revision", "SearchResult", "Store", "Tx"]

"""Opening the configured store with its version check.

The store records the ontology version it was built with; facts extracted under another
version may use terms that no longer exist, so opening it says so and names the command
that rebuilds it (``plankg rebuild`` re-reads every recorded source).
"""

from __future__ import annotations

from plankg.config import Settings
from plankg.ontology import ONTOLOGY_VERSION
from plankg.store.base import GraphStore, StoreError, open_backend

STORE_FORMAT_VERSION = 1


class StoreVersionError(StoreError):
    pass


def new_store_meta(backend: str) -> dict[str, object]:
    """The metadata of an empty store built by this plankg (``backend``: the store's name)."""
    return {"ontology_version": ONTOLOGY_VERSION, "store_format": STORE_FORMAT_VERSION, "backend": backend}


def open_store(settings: Settings, *, read_only: bool = False, check_version: bool = True) -> GraphStore:
    settings.home.mkdir(parents=True, exist_ok=True)
    store = open_backend(settings.store_backend, settings.store_path, read_only=read_only, settings=settings)
    meta = store.read_meta()
    if not meta:
        if not read_only:
            store.write_meta(new_store_meta(store.name))
        return store
    built = meta.get("ontology_version")
    if check_version and built != ONTOLOGY_VERSION:
        store.close()
        raise StoreVersionError(
            f"Kho dữ liệu ở {settings.store_path} được xây với ontology {built}, phiên bản hiện tại là {ONTOLOGY_VERSION}. "
            f"Chạy `plankg rebuild` để đọc lại các tệp nguồn. "
            f"(The store was built with ontology {built}; this plankg uses {ONTOLOGY_VERSION}: run `plankg rebuild`.)"
        )
    return store

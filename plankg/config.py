"""Runtime configuration read from the environment.

Every piece of state lives under ``PLANKG_HOME`` so that one folder can be backed up,
deleted or handed to another machine; nothing is written elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_IRI = "https://plankg.example.org/"


@dataclass(frozen=True)
class Settings:
    home: Path
    base_iri: str
    store_backend: str

    @property
    def store_path(self) -> Path:
        return self.home / "store"

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    @property
    def corrections_path(self) -> Path:
        return self.home / "corrections.yaml"


def load_settings() -> Settings:
    """Read settings now (not at import) so tests can point PLANKG_HOME elsewhere."""
    home = Path(os.environ.get("PLANKG_HOME", ".plankg")).expanduser().resolve()
    base = os.environ.get("PLANKG_BASE_IRI", DEFAULT_BASE_IRI)
    if not base.endswith(("/", "#")):
        base += "/"
    backend = os.environ.get("PLANKG_STORE", "oxigraph")
    return Settings(home=home, base_iri=base, store_backend=backend)

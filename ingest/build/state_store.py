"""The incremental build's per-source state in SQLite (``PLANKG_HOME/build/state.sqlite``).

Why not one JSON file: the state was read and written whole on every change (5.7 MB at
3,000 documents, 0.3 s per change, growing with the corpus), and clustering, the citation
tables and the dependents walked every source. Here each source is one row (its
:class:`SourceState` as JSON, plus the columns the corpus-wide lookups filter on) and the
lookups are indexed tables, so a change reads and writes only the rows of its clusters,
the sources its tables touch and its dependents:

- ``sources``: one row per source; ``sym``/``date``/``year``/``kind``/``issuer``/``level``
  and ``trigrams`` give the clustering candidates (:meth:`StateStore.candidates`, the exact
  prefilters of the pairwise test), ``cluster`` a cluster's members, ``graph`` a graph's
  rank, ``doc`` a document's renditions;
- ``years``: (normalised symbol, year, source) for sources with a document key (what
  :class:`~plankg.ingest.build.assemble.CitationResolver` knows a symbol's years from);
- ``owners``: the numbered document keys of cluster primaries (the resolver's own-key
  index: the first primary by name wins);
- ``cite_symbols``/``cite_numbers``: the sources citing a symbol or key number (who may
  need rebuilding when a table entry changes).

A run writes every changed row in **one transaction** (:meth:`StateStore.commit`), so the
state on disk is the last finished run's, whole, at every instant (SQLite's rollback
journal undoes a transaction cut short by a crash). A home that has only the former
``build/state.json`` is migrated on first open (same :data:`STATE_VERSION` stamp: nothing
is rebuilt).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plankg.ingest.build.renditions import CANDIDATE_JACCARD
from plankg.store import iris

__all__ = ["SourceState", "StateStore", "LiveState", "OldState"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, sym TEXT, date TEXT, year INTEGER, kind TEXT, issuer TEXT, level TEXT,
    trigrams INTEGER, cluster TEXT, doc TEXT, graph TEXT, graph_rank INTEGER, error TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sources_sym ON sources (sym);
CREATE INDEX IF NOT EXISTS sources_cluster ON sources (cluster);
CREATE INDEX IF NOT EXISTS sources_doc ON sources (doc);
CREATE INDEX IF NOT EXISTS sources_graph ON sources (graph);
CREATE TABLE IF NOT EXISTS years (sym TEXT, year INTEGER, name TEXT);
CREATE INDEX IF NOT EXISTS years_sym ON years (sym);
CREATE INDEX IF NOT EXISTS years_name ON years (name);
CREATE TABLE IF NOT EXISTS owners (number TEXT, type TEXT, issuer TEXT, year INTEGER, name TEXT, key TEXT);
CREATE INDEX IF NOT EXISTS owners_key ON owners (number, type, issuer, year);
CREATE INDEX IF NOT EXISTS owners_name ON owners (name);
CREATE TABLE IF NOT EXISTS cite_symbols (sym TEXT, name TEXT);
CREATE INDEX IF NOT EXISTS cite_symbols_sym ON cite_symbols (sym);
CREATE INDEX IF NOT EXISTS cite_symbols_name ON cite_symbols (name);
CREATE TABLE IF NOT EXISTS cite_numbers (number TEXT, name TEXT);
CREATE INDEX IF NOT EXISTS cite_numbers_number ON cite_numbers (number);
CREATE INDEX IF NOT EXISTS cite_numbers_name ON cite_numbers (name);
"""
_INDEX_TABLES = ("years", "owners", "cite_symbols", "cite_numbers")
#: Signature fields after the symbol, as ``sources`` columns (``SourceState.sig[1:]``).
_SIG_COLUMNS = ("date", "year", "kind", "issuer", "level")


@dataclass
class SourceState:
    """What the build keeps about one source between runs (read from its extraction, and
    from building its graph)."""

    sig: list[Any]  # symbol (no spaces), date, year, folded kind, issuer, locality level
    trigrams: int
    precedence: list[Any]  # renditions.precedence: [ocr, -length, name]
    years: list[list[Any]]  # (normalised symbol, year) it tells the corpus
    cite_symbols: list[str]
    cite_numbers: list[str]
    cluster: str | None = None  # primary file of its document cluster
    rank: int = 0
    key: list[Any] | None = None  # DocumentKey of its document
    doc: str | None = None
    cited: list[str] = field(default_factory=list)  # cited document IRIs in its graph
    cite_iris: list[str] = field(default_factory=list)  # what each citation resolved to, in order
    graph_rank: int = 0
    error: str | None = None


def _dump(s: SourceState) -> str:
    # vars(), not asdict(): the fields are flat lists, and asdict's deep copy costs
    return json.dumps(vars(s), ensure_ascii=False, sort_keys=True)


def owner_key(key: list[Any]) -> tuple[Any, Any, Any, Any]:
    """The own-key index's key of a recorded DocumentKey list: (number, type, issuer, year)."""
    return key[4], key[2], key[1], key[3]


class StateStore:
    """One SQLite database holding the build state; ``graph_iri`` names a source's graph."""

    def __init__(self, path: Path, stamp: str, graph_iri: Callable[[str], str]) -> None:
        self.path, self.stamp, self.graph_iri = path, stamp, graph_iri
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:  # not a database (a damaged file): the state is derived, start afresh
            path.unlink(missing_ok=True)
            self.db = self._open()
        row = self.db.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()
        #: the stored state is of this build's stamp (else it is ignored: every source is rebuilt)
        self.valid = row is not None and row[0] == stamp

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        try:
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    # -- migration ----------------------------------------------------------------------------
    def migrate(self, legacy: Path) -> None:
        """Take the rows of a former ``state.json`` of the same stamp (one transaction), then
        delete it; a stale one is deleted when the run commits."""
        if self.valid or not legacy.exists():
            return
        try:
            data = json.loads(legacy.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if data.get("stamp") != self.stamp:
            return
        states = {n: SourceState(**s) for n, s in data["sources"].items()}
        self._transaction(lambda: self._write_all(states))
        self.valid = True
        legacy.unlink(missing_ok=True)

    # -- reads ------------------------------------------------------------------------------------
    def names(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sources")} if self.valid else set()

    def graphs(self) -> dict[str, tuple[str, bool]]:
        """Name → (its graph, built without error) of every stored source (read from the
        columns: no IRI is computed, no row decoded)."""
        if not self.valid:
            return {}
        return {r[0]: (r[1], r[2] is None) for r in self.db.execute("SELECT name, graph, error FROM sources")}

    def get(self, name: str) -> SourceState | None:
        if not self.valid:
            return None
        row = self.db.execute("SELECT data FROM sources WHERE name=?", (name,)).fetchone()
        return SourceState(**json.loads(row[0])) if row else None

    def where(self, column: str, value: Any) -> list[str]:
        """Names of the stored rows whose ``column`` (cluster, doc) is ``value``."""
        assert column in ("cluster", "doc")
        if not self.valid:
            return []
        return [r[0] for r in self.db.execute(f"SELECT name FROM sources WHERE {column} IS ?", (value,))]

    def graph_row(self, graph: str) -> tuple[str, int, str | None, str | None] | None:
        """(name, graph rank, error, document) of the stored source whose graph is ``graph``
        (from the columns: no row decoded)."""
        if not self.valid:
            return None
        row = self.db.execute("SELECT name, graph_rank, error, doc FROM sources WHERE graph=?", (graph,)).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def candidates(self, sig: list[Any], trigrams: int) -> list[str]:
        """Stored sources whose signature is compatible with ``sig`` and whose trigram count
        can reach the candidate Jaccard (the exact prefilters of ``same_document``)."""
        if not self.valid or not trigrams:
            return []
        sql = ["trigrams > 0 AND trigrams >= ? AND trigrams <= ?"]
        args: list[Any] = [trigrams * CANDIDATE_JACCARD - 1, trigrams / CANDIDATE_JACCARD + 1]
        for column, value in zip(("sym", *_SIG_COLUMNS), sig):
            if value:
                sql.append(f"({column} IS NULL OR {column} = ?)")
                args.append(value)
        return [r[0] for r in self.db.execute(f"SELECT name FROM sources WHERE {' AND '.join(sql)}", args)]

    def years_of(self, sym: str) -> list[tuple[str, int]]:
        """(source, year) for the sources with a document key telling ``sym``'s year."""
        if not self.valid:
            return []
        return [(r[0], r[1]) for r in self.db.execute("SELECT name, year FROM years WHERE sym=?", (sym,))]

    def owners_of(self, k: tuple[Any, Any, Any, Any]) -> list[tuple[str, list[Any]]]:
        """(primary, key) of the stored numbered documents with own-key index key ``k``."""
        if not self.valid:
            return []
        rows = self.db.execute("SELECT name, key FROM owners WHERE number IS ? AND type IS ? AND issuer IS ? "
                               "AND year IS ?", k)
        return [(r[0], json.loads(r[1])) for r in rows]

    def citing(self, symbols: Iterable[str], numbers: Iterable[str]) -> set[str]:
        """Stored sources with a document key citing one of ``symbols`` (undated) or ``numbers``."""
        out: set[str] = set()
        if not self.valid:
            return out
        for table, column, values in (("cite_symbols", "sym", symbols), ("cite_numbers", "number", numbers)):
            for v in values:
                out.update(r[0] for r in self.db.execute(f"SELECT name FROM {table} WHERE {column}=?", (v,)))
        return out

    def errors(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT name, error FROM sources WHERE error IS NOT NULL")}

    # -- writes ------------------------------------------------------------------------------------
    def commit(self, states: Mapping[str, SourceState], removed: Iterable[str], full: bool,
               crash_point: Callable[[str], None]) -> int:
        """Write ``states`` (the changed rows; every row when ``full``) and delete ``removed``,
        in one transaction; returns the rows written."""
        def work() -> None:
            if full:
                self._write_all(states)
            else:
                for n in removed:
                    self._delete(n)
                for n, s in states.items():
                    self._put(n, s)
            crash_point("state-writing")
        self._transaction(work)
        self.valid = True
        return len(states)

    def _transaction(self, work: Callable[[], None]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            work()
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (self.stamp,))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _write_all(self, states: Mapping[str, SourceState]) -> None:
        for table in ("sources", *_INDEX_TABLES):
            self.db.execute(f"DELETE FROM {table}")
        for n in sorted(states):
            self._put(n, states[n], fresh=True)

    def _delete(self, name: str) -> None:
        for table in ("sources", *_INDEX_TABLES):
            self.db.execute(f"DELETE FROM {table} WHERE name=?", (name,))

    def _put(self, name: str, s: SourceState, fresh: bool = False) -> None:
        if not fresh:
            self._delete(name)
        sig = [v if v else None for v in s.sig]
        self.db.execute("INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (name, *sig, s.trigrams, s.cluster, s.doc, self.graph_iri(name), s.graph_rank, s.error,
                         _dump(s)))
        if s.key is None:
            return  # a failed cluster tells the resolver nothing (as in assemble_graphs)
        self.db.executemany("INSERT INTO years VALUES (?,?,?)", [(sym, int(y), name) for sym, y in s.years])
        if s.cluster == name and s.key[4]:
            self.db.execute("INSERT INTO owners VALUES (?,?,?,?,?,?)",
                            (*owner_key(s.key), name, json.dumps(s.key, ensure_ascii=False)))
        self.db.executemany("INSERT INTO cite_symbols VALUES (?,?)", [(v, name) for v in s.cite_symbols])
        self.db.executemany("INSERT INTO cite_numbers VALUES (?,?)", [(v, name) for v in s.cite_numbers])


class OldState(Mapping[str, SourceState]):
    """The state as the last run left it (read-only; rows read when asked for)."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._names = store.names()
        self._rows: dict[str, SourceState] = {}

    def __getitem__(self, name: str) -> SourceState:
        if name not in self._names:
            raise KeyError(name)
        s = self._rows.get(name)
        if s is None:
            s = self._rows[name] = self.store.get(name)  # type: ignore[assignment]
        return s  # type: ignore[return-value]

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class LiveState(MutableMapping[str, SourceState]):
    """This run's state: the stored rows of ``names`` (read when first asked for, then kept,
    so a caller may change them in place) and the rows set by the run. Only the rows read
    or set can differ from the store: :meth:`changed` is what :meth:`StateStore.commit` writes."""

    def __init__(self, store: StateStore, names: set[str]) -> None:
        self.store = store
        self._stored = names  # stored rows that are part of this state
        self._rows: dict[str, SourceState] = {}
        self._loaded: dict[str, str] = {}  # name → its row as read (to tell a change)

    def __getitem__(self, name: str) -> SourceState:
        s = self._rows.get(name)
        if s is not None:
            return s
        if name not in self._stored:
            raise KeyError(name)
        s = self.store.get(name)
        if s is None:
            raise KeyError(name)
        self._rows[name], self._loaded[name] = s, _dump(s)
        return s

    def __setitem__(self, name: str, value: SourceState) -> None:
        self._rows[name] = value

    def __delitem__(self, name: str) -> None:
        self._stored.discard(name)
        del self._rows[name]

    def __contains__(self, name: object) -> bool:
        return name in self._rows or name in self._stored

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored | set(self._rows))

    def __len__(self) -> int:
        return len(self._stored | set(self._rows))

    def held(self) -> dict[str, SourceState]:
        """The rows read or set so far."""
        return self._rows

    def changed(self) -> dict[str, SourceState]:
        return {n: s for n, s in self._rows.items() if self._loaded.get(n) != _dump(s)}

    def select(self, stored: Iterable[str], keep: Callable[[SourceState], bool]) -> set[str]:
        """The names among ``stored`` (a store lookup) and the held rows whose current row
        passes ``keep``: a lookup on the stored rows corrected by this run's changes."""
        out = {n for n in stored if n in self and keep(self[n])}
        out.update(n for n, s in self._rows.items() if keep(s))
        return out


class YearTable(Mapping[str, set[int]]):
    """The years each symbol is known with (the resolver's ``years``), looked up per symbol:
    the stored rows except ``stale`` ones, plus the rows of ``fresh``."""

    def __init__(self, store: StateStore, stale: set[str] | None = None,
                 fresh: Mapping[str, SourceState] | None = None) -> None:
        self.store, self.stale = store, stale or set()
        self.extra: dict[str, set[int]] = {}
        for s in (fresh or {}).values():
            if s.key is not None:
                for sym, y in s.years:
                    self.extra.setdefault(sym, set()).add(int(y))
        self._cache: dict[str, set[int]] = {}

    def __getitem__(self, sym: str) -> set[int]:
        years = self._cache.get(sym)
        if years is None:
            years = {y for n, y in self.store.years_of(sym) if n not in self.stale} | self.extra.get(sym, set())
            self._cache[sym] = years
        if not years:
            raise KeyError(sym)
        return years

    def __iter__(self) -> Iterator[str]:  # the whole table: for completeness, not used by a run
        syms = {r[0] for r in self.store.db.execute("SELECT DISTINCT sym FROM years")} if self.store.valid else set()
        return iter(sorted(s for s in syms | set(self.extra) if s in self))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class OwnerTable(Mapping[tuple[Any, Any, Any, Any], iris.DocumentKey]):
    """The own-key index (:func:`~plankg.ingest.build.assemble.own_key_index`) looked up per
    key: the key of the first primary by name, of the stored rows except ``stale`` ones and
    the rows of ``fresh``."""

    def __init__(self, store: StateStore, stale: set[str] | None = None,
                 fresh: Mapping[str, SourceState] | None = None) -> None:
        self.store, self.stale = store, stale or set()
        self.extra: dict[tuple[Any, Any, Any, Any], list[tuple[str, list[Any]]]] = {}
        for n, s in (fresh or {}).items():
            if s.key is not None and s.cluster == n and s.key[4]:
                self.extra.setdefault(owner_key(s.key), []).append((n, s.key))

    def __getitem__(self, k: tuple[Any, Any, Any, Any]) -> iris.DocumentKey:
        rows = [r for r in self.store.owners_of(k) if r[0] not in self.stale] + self.extra.get(k, [])
        if not rows:
            raise KeyError(k)
        return iris.DocumentKey(*min(rows, key=lambda r: r[0])[1])

    def __iter__(self) -> Iterator[tuple[Any, Any, Any, Any]]:  # the whole table: not used by a run
        stored = {tuple(r) for r in self.store.db.execute("SELECT number, type, issuer, year FROM owners")} \
            if self.store.valid else set()
        return iter([k for k in stored | set(self.extra) if k in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)

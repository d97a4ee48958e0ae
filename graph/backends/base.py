"""What every store backend is: the declared interface, and what the backends share.

A backend takes Cypher with parameters only and returns plain Python values. The
Store (graph/store.py) and the pipeline speak to a backend only through `Backend`:
they ask `capabilities` whether it can COPY and how many claims a transaction may
hold, rather than knowing which backend it is.
"""
from __future__ import annotations

import abc
import contextlib
import decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from ..errors import QueryError, StoreError

# The graph's labels, keys, properties and relationship tables: loaded once, here, for
# both backends' DDL and for the writers (store.py's columns, bulk.py's import files).
SCHEMA = yaml.safe_load((Path(__file__).parent.parent / "schema.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, for the writers to choose their path."""

    copy: bool  # bulk insert from a local file (COPY FROM); else rows go through UNWIND
    max_batch_claims: int  # the most claims one write transaction should hold


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


class Backend(abc.ABC):
    """A graph database graphctl can write to and read from.

    `run` is the one way in, and it is defined here so that both backends enforce
    `write=False` the same way: the statement is checked first (`check_read_only`),
    then executed read-only."""

    kind: str
    location: str
    capabilities: Capabilities

    def run(self, query: str, params: dict | None = None, write: bool = True) -> QueryResult:
        if not write:
            self.check_read_only(query, params)
        return self._execute(query, params, read_only=not write)

    @abc.abstractmethod
    def _execute(self, query: str, params: dict | None = None, read_only: bool = False) -> QueryResult:
        """Run one statement as it is (inside the open transaction, if there is one)."""

    @abc.abstractmethod
    def check_read_only(self, query: str, params: dict | None = None):
        """Raise QueryError unless the statement only reads the graph."""

    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager["Backend"]:
        """A write transaction: committed when the block ends, rolled back if it raises."""

    @abc.abstractmethod
    def reserve(self, extra_bytes: int):
        """Refuse, before anything is written, a write the store's disk can't hold."""

    @abc.abstractmethod
    def close(self):
        """Release the connection (and, embedded, the store's lock)."""

    def copy(self, table: str, rows: list[list]):
        """Bulk insert rows into a table; only where `capabilities.copy` says so."""
        raise StoreError(f"the {self.kind} store has no bulk COPY: write through UNWIND")

    @property
    def max_batch_claims(self) -> int:  # scripts/benchmark.py reads it by this name
        return self.capabilities.max_batch_claims

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def plain(value):
    """Database values as plain Python: numbers, strings, lists, dicts of properties."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        # A LadybugDB node lists every column, set or not; Neo4j only the set ones.
        is_entity = "_LABEL" in value
        return {k: plain(v) for k, v in value.items()
                if not k.startswith("_") and not (is_entity and v is None)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "nodes") and hasattr(value, "relationships"):  # a Neo4j path
        return [plain(dict(node)) for node in value.nodes]
    if hasattr(value, "element_id") and hasattr(value, "items"):  # a Neo4j node or relationship
        return plain(dict(value.items()))
    return value


def cypher_string(text: str) -> str:
    """`text` as a Cypher string literal, for the few places that take no parameter."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def first_line(error) -> str:
    """An engine's or driver's error as one line (they span several, with plans and stacks)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def refuse_unless_read(refused: Iterator[str] | list[str]):
    """The one message both backends give for a statement that does more than read."""
    refused = sorted(set(refused))
    if refused:
        raise QueryError(f"this statement does more than read the graph ({', '.join(refused)}); "
                         "pass --write to allow it")

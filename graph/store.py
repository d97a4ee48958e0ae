"""Writing actors, documents and claims into a graph, the same on both backends.

Every statement is parameterised Cypher that LadybugDB and Neo4j both run; rows
go in batches through UNWIND, or, for large batches on the embedded store,
through COPY FROM a temporary CSV file. A document's claims are replaced in one
transaction, so a failure or a kill leaves the previous state.
"""
from __future__ import annotations

import operator
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from .backends import SCHEMA, Backend, Capabilities, EmbeddedBackend, Neo4jBackend, QueryResult, neo4j_settings
from .errors import StoreConflict, StoreError
from .fields import (CLAIM_FIELDS, CLAIM_PROPERTIES, DOCUMENT_FIELDS, EDGE_FIELDS, EDGE_PROPERTIES, LINK_FIELDS,
                     claim_row, year_range)  # noqa: F401  year_range: graph.store's name before graph/fields.py
from .model import DOCUMENT_SPEAKERS, EDGE_TYPES, NOT_COUNTED, Actor, Claim, Document, link_parts
from .sources import fingerprint

DEFAULT_DB = Path("graphctl-data") / "graph.lbug"
BATCH = 5000
COPY_MIN_ROWS = 2000  # below it, UNWIND is faster (measured with scripts/benchmark.py)

_UPSERT_ACTORS = """
UNWIND $rows AS r
MERGE (a:Actor {id: r.id})
SET a.name = r.name, a.kind = r.kind, a.aliases = r.aliases, a.part_of = r.part_of, a.provisional = r.provisional
"""
_LINK_UNITS = """
UNWIND $rows AS r
MATCH (a:Actor {id: r.id})
MATCH (p:Actor {id: r.part_of})
MERGE (a)-[:UNIT_OF]->(p)
"""
_UPSERT_DOCUMENT = """
UNWIND $rows AS r
MERGE (d:Document {name: r.name})
SET d.id = r.id, d.path = r.path, d.title = r.title, d.outlet = r.outlet, d.url = r.url,
    d.date = r.date, d.reliability = r.reliability, d.chars = r.chars, d.minhash = r.minhash,
    d.story = r.story, d.extractor = r.extractor, d.discovery = r.discovery
"""
_ENSURE_DOCUMENTS = """
UNWIND $names AS name
MERGE (d:Document {name: name})
"""
_DOCUMENT_HASHES = "MATCH (d:Document) RETURN d.name, d.id"
_DOCUMENT_VERSIONS = "MATCH (d:Document) RETURN d.name, d.id, d.extractor"
# Which of these keys a label has stored (labels and key names come from schema.yaml, never input).
_STORED_KEYS = """
UNWIND $keys AS k
MATCH (n:%(label)s {%(key)s: k})
RETURN n.%(key)s
"""
_OLD_CLAIMS_OF_DOCUMENTS = """
UNWIND $names AS name
MATCH (c:Claim)-[:IN_DOCUMENT]->(d:Document {name: name})
WHERE c.origin = $origin
RETURN c.id, c.subject, c.predicate, c.object, c.link_key
"""
_OLD_CLAIMS_OF_ORIGIN = """
MATCH (c:Claim)
WHERE c.origin = $origin
RETURN c.id, c.subject, c.predicate, c.object, c.link_key
"""
_DELETE_CLAIMS = """
UNWIND $ids AS claim_id
MATCH (c:Claim {id: claim_id})
DETACH DELETE c
"""
_DELETE_EDGES = """
UNWIND $rows AS r
MATCH (a:Actor {id: r.subject})-[e:%s]->(b:Actor {id: r.object})
WHERE e.claim_id = r.id
DELETE e
"""
# One statement per predicate creates each claim, its links to document, actors and
# Link, and its typed actor-to-actor edge. Separate MATCH clauses: LadybugDB plans a
# comma-joined pattern as a cross product. The property maps come from schema.yaml
# (graph/fields.py); %s is left for the edge type.
_CREATE_CLAIMS = f"""
UNWIND $rows AS r
MATCH (d:Document {{name: r.doc}})
MATCH (s:Actor {{id: r.subject}})
MATCH (o:Actor {{id: r.object}})
MATCH (l:Link {{key: r.link_key}})
CREATE (c:Claim {{{CLAIM_PROPERTIES}}})
CREATE (c)-[:IN_DOCUMENT]->(d)
CREATE (c)-[:SUBJECT]->(s)
CREATE (c)-[:OBJECT]->(o)
CREATE (c)-[:ABOUT]->(l)
CREATE (s)-[:%s {{{EDGE_PROPERTIES}}}]->(o)
RETURN count(c)
"""
_CLAIM_TO_SPEAKER = """
UNWIND $rows AS r
MATCH (c:Claim {id: r.id})
MATCH (a:Actor {id: r.said_by})
CREATE (c)-[:SAID_BY]->(a)
"""
# Counts are filled in by _REFRESH_LINKS in the same transaction.
_CREATE_LINKS = """
UNWIND $rows AS r
CREATE (:Link {key: r.key, subject: r.subject, predicate: r.predicate, object: r.object})
"""
# A link's state as graph/links.py defines it, in Cypher: the one other definition
# (tests/test_links.py checks the two agree on both stores). Contested: an affirming and a
# denying claim from different speakers; with both polarities present, that holds exactly
# when there are two or more speakers. Only claims in force count (model.counts: not set aside
# in review); `claims` counts every stored one, and copies of one story (Claim.source,
# graph/sources.py) are one document.
_REFRESH_LINKS = """
UNWIND $keys AS k
MATCH (l:Link {key: k})
OPTIONAL MATCH (c:Claim)-[:ABOUT]->(l)
WITH l, c, (c IS NOT NULL AND (c.review IS NULL OR NOT c.review IN $not_counted)) AS counted
WITH l, count(c) AS claims, sum(CASE WHEN counted THEN 1 ELSE 0 END) AS in_force,
     count(DISTINCT CASE WHEN counted THEN c.speaker_key END) AS speakers,
     count(DISTINCT CASE WHEN counted THEN coalesce(c.source, c.doc) END) AS documents,
     sum(CASE WHEN counted AND c.polarity = 'affirms' THEN 1 ELSE 0 END) AS affirms,
     sum(CASE WHEN counted AND c.polarity = 'denies' THEN 1 ELSE 0 END) AS denies,
     sum(CASE WHEN counted AND c.certainty = 'asserted' THEN 1 ELSE 0 END) AS asserted
SET l.claims = claims, l.speakers = speakers, l.documents = documents, l.affirms = affirms,
    l.denies = denies, l.contested = (affirms > 0 AND denies > 0 AND speakers > 1),
    l.tentative = (in_force > 0 AND asserted = 0)
"""
_DROP_EMPTY_LINKS = """
UNWIND $keys AS k
MATCH (l:Link {key: k})
WHERE l.claims = 0
DETACH DELETE l
"""
_COUNTS = {
    "actors": "MATCH (a:Actor) RETURN count(a)",
    "documents": "MATCH (d:Document) RETURN count(d)",
    "claims": "MATCH (c:Claim) RETURN count(c)",
    "links": "MATCH (l:Link) RETURN count(l)",
    "contested_links": "MATCH (l:Link) WHERE l.contested = true RETURN count(l)",
}


class Store:
    """A graph of actors, documents and claims on one backend."""

    def __init__(self, backend: Backend):
        self.backend = backend

    @property
    def kind(self) -> str:
        return self.backend.kind

    @property
    def location(self) -> str:
        return self.backend.location

    @property
    def capabilities(self) -> Capabilities:
        """Whether the backend can COPY, and how many claims a write transaction may hold."""
        return self.backend.capabilities

    def close(self):
        self.backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading -------------------------------------------------------------
    def query(self, cypher: str, params: dict | None = None, write: bool = False) -> QueryResult:
        return self.backend.run(cypher, params or {}, write=write)

    def counts(self) -> dict[str, int]:
        return {name: self.backend.run(q).rows[0][0] for name, q in _COUNTS.items()}

    def document_hashes(self) -> dict[str, str]:
        """Each stored document's content hash, by name."""
        return {name: doc_id for name, doc_id in self.backend.run(_DOCUMENT_HASHES).rows}

    def document_versions(self) -> dict[str, tuple[str, str | None]]:
        """Each stored document's content hash and the extractor version that read it, by name:
        what an incremental load compares (a change of either re-extracts the document)."""
        return {name: (doc_id, extractor) for name, doc_id, extractor in self.backend.run(_DOCUMENT_VERSIONS).rows}

    # -- writing -------------------------------------------------------------
    def reserve(self, extra_bytes: int):
        """Refuse, before anything is written, a write the store's disk can't hold."""
        self.backend.reserve(extra_bytes)

    def write_actors(self, actors: Iterable[Actor]):
        actors = list(actors)
        _retrying(lambda: self._write_actors(actors))

    def _write_actors(self, actors: list[Actor]):
        rows = [{"id": a.id, "name": a.name, "kind": a.kind, "aliases": list(a.aliases), "part_of": a.part_of,
                 "provisional": a.provisional} for a in actors]
        with self.backend.transaction():
            for batch in _batches(rows):
                self.backend.run(_UPSERT_ACTORS, {"rows": batch})
            units = [r for r in rows if r["part_of"]]
            for batch in _batches(units):
                self.backend.run(_LINK_UNITS, {"rows": batch})

    def replace_document(self, document: Document | None, claims: list[Claim], name: str | None = None,
                         origin: str = "extracted"):
        """The document's claims of this origin, replaced by `claims`, in one transaction."""
        self.replace_documents([(name or document.name, document, claims)], origin)

    def replace_documents(self, batch: list[tuple[str, Document | None, list[Claim]]],
                          origin: str = "extracted"):
        """Several documents' claims replaced in one transaction: each document ends with
        all of its new claims or, if anything fails, all of its old ones. A None document
        (claims loaded from a file) only makes sure a Document node of that name exists."""
        _retrying(lambda: self._replace_documents(batch, origin))

    def _replace_documents(self, batch, origin):
        names = list(dict.fromkeys(name for name, _, _ in batch))
        documents = list({d.name: _document_row(d) for _, d, _ in batch if d is not None}.values())
        with self.backend.transaction():
            stored = self._stored("Document", names)
            self._write_documents([d for d in documents if d["name"] not in stored],
                                  [d for d in documents if d["name"] in stored])
            described = {d["name"] for d in documents}
            bare = [name for name in names if name not in stored and name not in described]
            for chunk in _batches(bare):
                self.backend.run(_ENSURE_DOCUMENTS, {"names": chunk})
            old = []  # a document new to the store has no old claims to look up
            for chunk in _batches([name for name in names if name in stored]):
                old += self.backend.run(_OLD_CLAIMS_OF_DOCUMENTS, {"names": chunk, "origin": origin}).records()
            self._swap_claims(old, [claim for _, _, claims in batch for claim in claims])

    def _write_documents(self, new: list[dict], stored: list[dict]):
        if self._bulk(new):
            self.backend.copy("Document", [[row[c] for c in DOCUMENT_FIELDS] for row in new])
        else:
            stored = new + stored
        for rows in _batches(stored):
            self.backend.run(_UPSERT_DOCUMENT, {"rows": rows})

    def replace_claim_set(self, origin: str, claims: list[Claim]):
        """Every claim of one curated file, replaced in one transaction."""
        _retrying(lambda: self._replace_claim_set(origin, claims))

    def _replace_claim_set(self, origin: str, claims: list[Claim]):
        with self.backend.transaction():
            names = sorted({c.doc for c in claims})
            for batch in _batches(names):
                self.backend.run(_ENSURE_DOCUMENTS, {"names": batch})
            old = self.backend.run(_OLD_CLAIMS_OF_ORIGIN, {"origin": origin}).records()
            self._swap_claims(old, claims)

    def _swap_claims(self, old: list[dict], claims: list[Claim]):
        rows = list({row["id"]: row for row in map(claim_row, claims)}.values())
        old_ids = {r["c.id"] for r in old}
        new_ids = {r["id"] for r in rows}
        if old_ids == new_ids:
            return
        self._delete_claims(old)
        self._create_claims(rows)
        touched = {r["c.link_key"] for r in old} | {r["link_key"] for r in rows}
        self.refresh_links(touched)

    def refresh_links(self, keys: Iterable[str]):
        """The links' counts and flags recomputed from their claims (in the caller's transaction,
        if one is open); links left without claims are removed."""
        for batch in _batches(sorted(set(keys))):
            self.backend.run(_REFRESH_LINKS, {"keys": batch, "not_counted": list(NOT_COUNTED)})
            self.backend.run(_DROP_EMPTY_LINKS, {"keys": batch})

    def _delete_claims(self, old: list[dict]):
        by_predicate = defaultdict(list)
        for r in old:
            by_predicate[r["c.predicate"]].append({"id": r["c.id"], "subject": r["c.subject"], "object": r["c.object"]})
        for predicate, rows in by_predicate.items():
            for batch in _batches(rows):
                self.backend.run(_DELETE_EDGES % _edge_type(predicate), {"rows": batch})
        for batch in _batches([r["c.id"] for r in old]):
            self.backend.run(_DELETE_CLAIMS, {"ids": batch})

    def _create_claims(self, rows: list[dict]):
        self._create_missing_links({r["link_key"] for r in rows})
        if self._bulk(rows):
            self._copy_claims(rows)
        else:
            self._unwind_claims(rows)

    def _bulk(self, rows: list) -> bool:
        """COPY where the backend has it and the rows are many: in LadybugDB a transaction
        with a COPY pays about half a second at commit, then loads several times faster."""
        return self.capabilities.copy and len(rows) >= COPY_MIN_ROWS

    def _stored(self, label: str, keys: Iterable[str]) -> set[str]:
        statement = _STORED_KEYS % {"label": label, "key": SCHEMA["nodes"][label]["key"]}
        found = set()
        for batch in _batches(sorted(keys)):
            found.update(row[0] for row in self.backend.run(statement, {"keys": batch}).rows)
        return found

    def _create_missing_links(self, keys: set[str]):
        existing = self._stored("Link", keys)
        new = [dict(zip(("subject", "predicate", "object"), link_parts(key)), key=key) for key in sorted(keys - existing)]
        if self._bulk(new):
            self.backend.copy("Link", [[row.get(c) for c in LINK_FIELDS] for row in new])
        else:
            for batch in _batches(new):
                self.backend.run(_CREATE_LINKS, {"rows": batch})

    def _unwind_claims(self, rows: list[dict]):
        by_predicate = defaultdict(list)
        for r in rows:
            by_predicate[r["predicate"]].append(r)
        for predicate, typed in by_predicate.items():
            for batch in _batches(typed):
                created = self.backend.run(_CREATE_CLAIMS % _edge_type(predicate), {"rows": batch}).rows[0][0]
                if created != len(batch):  # an actor or document was missing: refuse rather than drop claims
                    raise StoreError(f"{len(batch) - created} claim(s) name actors the store lacks; "
                                     "load the registry that defines them")
        quoted = [r for r in rows if r["said_by"] not in DOCUMENT_SPEAKERS]
        for batch in _batches(quoted):
            self.backend.run(_CLAIM_TO_SPEAKER, {"rows": batch})

    def _copy_claims(self, rows: list[dict]):
        """The embedded store's bulk path: COPY FROM files, many times faster than UNWIND."""
        copy = self.backend.copy
        pick = lambda *keys: list(map(operator.itemgetter(*keys), rows))
        copy("Claim", pick(*CLAIM_FIELDS))
        copy("IN_DOCUMENT", pick("id", "doc"))
        copy("SUBJECT", pick("id", "subject"))
        copy("OBJECT", pick("id", "object"))
        copy("ABOUT", pick("id", "link_key"))
        copy("SAID_BY", [(r["id"], r["said_by"]) for r in rows if r["said_by"] not in DOCUMENT_SPEAKERS])
        edge = operator.itemgetter("subject", "object", *EDGE_FIELDS)
        by_predicate = defaultdict(list)
        for r in rows:
            by_predicate[r["predicate"]].append(edge(r))
        for predicate, edges in by_predicate.items():
            copy(_edge_type(predicate), edges)

    def clear(self):
        """Remove everything: the graph is empty after."""
        with self.backend.transaction():
            for label in ("Claim", "Link", "Document", "Actor"):
                self.backend.run(f"MATCH (n:{label}) DETACH DELETE n")


def _retrying(write, attempts: int = 5):
    """Run a write transaction again when a concurrent writer got in its way (Neo4j)."""
    for attempt in range(attempts):
        try:
            return write()
        except StoreConflict:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1) + random.random() * 0.2)


def _edge_type(predicate: str) -> str:
    if predicate not in EDGE_TYPES:  # types can't be parameters; only declared names reach Cypher
        raise ValueError(f"unknown predicate {predicate!r}")
    return EDGE_TYPES[predicate]


def _document_row(document: Document) -> dict:
    source = document.source
    return {"name": document.name, "id": document.id, "path": document.path, "title": document.title,
            "outlet": source.outlet, "url": source.url, "date": source.date,
            "reliability": source.reliability, "chars": len(document.text),
            "minhash": fingerprint(document.text), "source": None, "copies_threshold": None,
            "story": source.story,
            "extractor": document.extractor,
            "discovery": document.discovery}


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def open_store(db: str | Path | None = None, uri: str | None = None, read_only: bool = False,
               wait: float = 0, on_wait: Callable[[str], None] | None = None) -> Store:
    """Neo4j when a server is configured (--uri or NEO4J_URI), else the embedded file."""
    settings = neo4j_settings(uri)
    if settings:
        return Store(Neo4jBackend(**settings))
    return Store(EmbeddedBackend(Path(db) if db else DEFAULT_DB, read_only=read_only, wait=wait, on_wait=on_wait))

"""CSV files for `neo4j-admin database import full`: the first load of a large corpus.

Transactional loads (graphctl load) pay for every claim's relationships in Cypher; an
offline import builds the Neo4j store from files instead. The files hold the same graph
a load writes (schema.yaml): actors, documents, claims, links with their counts, and the
relationships between them. Claims are streamed: only the links' tallies stay in memory.
"""
from __future__ import annotations

import csv
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .backends import SCHEMA
from .errors import InputError
from .model import DOCUMENT_SPEAKERS, EDGE_TYPES, Actor, Claim
from .store import claim_row

ARRAY_DELIMITER = ";"
# neo4j-admin's types for the schema's
_TYPES = {"STRING": "", "INT64": ":long", "DOUBLE": ":double", "BOOLEAN": ":boolean", "STRING[]": ":string[]"}


@dataclass
class ImportFiles:
    """The files written, as neo4j-admin's --nodes / --relationships arguments, and counts."""
    directory: Path
    nodes: list[str] = field(default_factory=list)          # file names; each row has its :LABEL
    relationships: list[str] = field(default_factory=list)  # file names; each row has its :TYPE
    counts: dict[str, int] = field(default_factory=dict)

    def arguments(self) -> list[str]:
        """neo4j-admin database import full's arguments for these files."""
        return ([f"--nodes={self.directory / name}" for name in self.nodes] +
                [f"--relationships={self.directory / name}" for name in self.relationships] +
                [f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true"])


class _LinkTally:
    __slots__ = ("claims", "affirms", "denies", "asserted", "speakers", "documents")

    def __init__(self):
        self.claims = self.affirms = self.denies = self.asserted = 0
        self.speakers: set[str] = set()
        self.documents: set[str] = set()

    def add(self, claim: Claim):
        """As the store's link refresh: every claim in `claims`, only those in force in the rest."""
        self.claims += 1
        if not claim.counted:
            return
        self.affirms += claim.polarity == "affirms"
        self.denies += claim.polarity == "denies"
        self.asserted += claim.certainty == "asserted"
        self.speakers.add(claim.speaker_key)
        self.documents.add(claim.source or claim.doc)

    @property
    def contested(self) -> bool:
        """As the store's link refresh: both polarities, from two or more speakers."""
        return self.affirms > 0 and self.denies > 0 and len(self.speakers) > 1

    def row(self, key: str) -> list:
        subject, predicate, obj = key.split("|")
        return [key, subject, predicate, obj, self.claims, self.affirms, self.denies, len(self.speakers),
                len(self.documents), _boolean(self.contested), _boolean(self.asserted == 0)]


def _header(label: str) -> list[str]:
    spec = SCHEMA["nodes"][label]
    return [f"{name}:ID({label})" if name == spec["key"] else f"{name}{_TYPES[kind]}"
            for name, kind in spec["properties"].items()] + [":LABEL"]


def _rel_header(source: str, target: str) -> list[str]:
    return [f":START_ID({source})", f":END_ID({target})", ":TYPE"]


HEADERS = {
    "actors.csv": _header("Actor"), "documents.csv": _header("Document"), "claims.csv": _header("Claim"),
    "links.csv": _header("Link"),
    "unit_of.csv": _rel_header("Actor", "Actor"), "in_document.csv": _rel_header("Claim", "Document"),
    "subject.csv": _rel_header("Claim", "Actor"), "object.csv": _rel_header("Claim", "Actor"),
    "about.csv": _rel_header("Claim", "Link"), "said_by.csv": _rel_header("Claim", "Actor"),
    "claim_edges.csv": _rel_header("Actor", "Actor") + [
        f"{name}{_TYPES[kind]}" for name, kind in SCHEMA["claim_edge"]["properties"].items()],
}
NODE_FILES = ("actors.csv", "documents.csv", "claims.csv", "links.csv")
RELATIONSHIP_FILES = tuple(name for name in HEADERS if name not in NODE_FILES)
_CLAIM_COLUMNS = list(SCHEMA["nodes"]["Claim"]["properties"])
_EDGE_COLUMNS = ["id" if p == "claim_id" else p for p in SCHEMA["claim_edge"]["properties"]]


def _boolean(value) -> str | None:
    return None if value is None else ("true" if value else "false")


def write_import_files(directory: Path, actors: Iterable[Actor], claims: Iterable[Claim]) -> ImportFiles:
    """The graph of `actors` and `claims` as import files in `directory` (made or replaced
    whole: the files appear together when all are written)."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        result = _write(work, list(actors), claims)
        if directory.exists():
            shutil.rmtree(directory)
        work.rename(directory)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.directory = directory
    return result


def _write(work: Path, actors: list[Actor], claims: Iterable[Claim]) -> ImportFiles:
    streams = {name: open(work / name, "w", newline="", encoding="utf-8") for name in HEADERS}
    out = {name: csv.writer(stream) for name, stream in streams.items()}  # None is written empty: no property
    try:
        for name, header in HEADERS.items():
            out[name].writerow(header)
        known = {a.id for a in actors}
        for actor in actors:
            if any(ARRAY_DELIMITER in alias for alias in actor.aliases):
                raise InputError("the registry", f"an alias holds '{ARRAY_DELIMITER}', the import's list separator",
                                 field=actor.id)
            out["actors.csv"].writerow([actor.id, actor.name, actor.kind, ARRAY_DELIMITER.join(actor.aliases),
                                        actor.part_of, _boolean(actor.provisional), "Actor"])
            if actor.part_of:
                out["unit_of.csv"].writerow([actor.id, actor.part_of, "UNIT_OF"])
        links: dict[str, _LinkTally] = defaultdict(_LinkTally)
        documents: dict[str, str | None] = {}
        curated = _CLAIM_COLUMNS.index("curated")
        provisional = _CLAIM_COLUMNS.index("provisional")
        seen: set[str] = set()
        for claim in claims:
            for actor_id in (claim.subject, claim.object, *([claim.said_by] if claim.said_by not in DOCUMENT_SPEAKERS else [])):
                if actor_id not in known:
                    raise InputError(claim.doc, f"claim names '{actor_id}', which the registry lacks")
            row = claim_row(claim)
            claim_id = row["id"]
            if claim_id in seen:
                continue  # the same claim twice (one claim per id, as in the store)
            seen.add(claim_id)
            values = [row[c] for c in _CLAIM_COLUMNS]
            values[curated] = _boolean(values[curated])
            values[provisional] = _boolean(values[provisional])
            out["claims.csv"].writerow([*values, "Claim"])
            out["in_document.csv"].writerow((claim_id, row["doc"], "IN_DOCUMENT"))
            out["subject.csv"].writerow((claim_id, row["subject"], "SUBJECT"))
            out["object.csv"].writerow((claim_id, row["object"], "OBJECT"))
            out["about.csv"].writerow((claim_id, row["link_key"], "ABOUT"))
            if claim.said_by not in DOCUMENT_SPEAKERS:
                out["said_by.csv"].writerow((claim_id, claim.said_by, "SAID_BY"))
            out["claim_edges.csv"].writerow([row["subject"], row["object"], EDGE_TYPES[row["predicate"]],
                                             *(row[c] for c in _EDGE_COLUMNS)])
            links[row["link_key"]].add(claim)
            documents.setdefault(claim.doc, claim.doc_id)
        for name, doc_id in documents.items():
            # only what claims carry: the name and the content hash (no title, outlet or date)
            out["documents.csv"].writerow([name, doc_id, *[None] * (len(HEADERS["documents.csv"]) - 3), "Document"])
        for key, tally in links.items():
            out["links.csv"].writerow([*tally.row(key), "Link"])
    finally:
        for stream in streams.values():
            stream.close()
    result = ImportFiles(work, list(NODE_FILES), list(RELATIONSHIP_FILES))
    result.counts = {"actors": len(actors), "documents": len(documents), "claims": len(seen), "links": len(links),
                     "contested_links": sum(t.contested for t in links.values())}
    return result

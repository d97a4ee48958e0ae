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
from .model import AUTHOR, Actor, Claim
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
        self.claims += 1
        self.affirms += claim.polarity == "affirms"
        self.denies += claim.polarity == "denies"
        self.asserted += claim.certainty == "asserted"
        self.speakers.add(claim.speaker_key)
        self.documents.add(claim.doc)

    @property
    def contested(self) -> bool:
        """As the store's link refresh: both polarities, from two or more speakers."""
        return self.affirms > 0 and self.denies > 0 and len(self.speakers) > 1

    def row(self, key: str) -> list:
        subject, predicate, obj = key.split("|")
        return [key, subject, predicate, obj, self.claims, self.affirms, self.denies, len(self.speakers),
                len(self.documents), self.contested, self.asserted == 0]


def _header(label: str) -> list[str]:
    spec = SCHEMA["nodes"][label]
    return [f"{name}:ID({label})" if name == spec["key"] else f"{name}{_TYPES[kind]}"
            for name, kind in spec["properties"].items()]


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(value)
    return "" if value is None else value


class _Files:
    """One CSV writer per file, opened on first use."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.streams, self.writers, self.rows = {}, {}, defaultdict(int)

    def write(self, name: str, header: list[str], row: list):
        if name not in self.writers:
            stream = open(self.directory / name, "w", newline="", encoding="utf-8")
            self.streams[name] = stream
            self.writers[name] = csv.writer(stream)
            self.writers[name].writerow(header)
        self.writers[name].writerow([_value(v) for v in row])
        self.rows[name] += 1

    def close(self):
        for stream in self.streams.values():
            stream.close()


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
    files = _Files(work)
    result = ImportFiles(work)
    known = {a.id for a in actors}
    try:
        for actor in actors:
            if any(ARRAY_DELIMITER in alias for alias in actor.aliases):
                raise InputError("the registry", f"an alias holds '{ARRAY_DELIMITER}', the import's list separator",
                                 field=actor.id)
            files.write("actors.csv", [*_header("Actor"), ":LABEL"],
                        [actor.id, actor.name, actor.kind, list(actor.aliases), actor.part_of, "Actor"])
            if actor.part_of:
                files.write("unit_of.csv", [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE"],
                            [actor.id, actor.part_of, "UNIT_OF"])
        links: dict[str, _LinkTally] = defaultdict(_LinkTally)
        documents: dict[str, str | None] = {}
        claim_header = [*_header("Claim"), ":LABEL"]
        edge_header = [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE",
                       *(f"{name}{_TYPES[kind]}" for name, kind in SCHEMA["claim_edge"]["properties"].items())]
        edge_columns = ["id" if p == "claim_id" else p for p in SCHEMA["claim_edge"]["properties"]]
        claim_columns = list(SCHEMA["nodes"]["Claim"]["properties"])
        seen: set[str] = set()
        for claim in claims:
            for actor_id in (claim.subject, claim.object, *([claim.said_by] if claim.said_by != AUTHOR else [])):
                if actor_id not in known:
                    raise InputError(claim.doc, f"claim names '{actor_id}', which the registry lacks")
            row = claim_row(claim)
            if row["id"] in seen:
                continue  # the same claim twice (one claim per id, as in the store)
            seen.add(row["id"])
            files.write("claims.csv", claim_header, [*(row[c] for c in claim_columns), "Claim"])
            for kind, target, group in (("IN_DOCUMENT", row["doc"], "Document"), ("SUBJECT", row["subject"], "Actor"),
                                        ("OBJECT", row["object"], "Actor"), ("ABOUT", row["link_key"], "Link")):
                files.write(f"{kind.lower()}.csv", [":START_ID(Claim)", f":END_ID({group})", ":TYPE"],
                            [row["id"], target, kind])
            if claim.said_by != AUTHOR:
                files.write("said_by.csv", [":START_ID(Claim)", ":END_ID(Actor)", ":TYPE"],
                            [row["id"], claim.said_by, "SAID_BY"])
            files.write("claim_edges.csv", edge_header,
                        [row["subject"], row["object"], row["predicate"], *(row[c] for c in edge_columns)])
            links[row["link_key"]].add(claim)
            documents.setdefault(claim.doc, claim.doc_id)
        for name, doc_id in documents.items():
            files.write("documents.csv", [*_header("Document"), ":LABEL"],
                        [name, doc_id, None, None, None, None, None, None, None, "Document"])
        for key, tally in links.items():
            files.write("links.csv", [*_header("Link"), ":LABEL"], [*tally.row(key), "Link"])
    finally:
        files.close()
    result.nodes = [name for name in NODE_FILES if name in files.rows]
    result.relationships = [name for name in RELATIONSHIP_FILES if name in files.rows]
    result.counts = {"actors": len(actors), "documents": len(documents), "claims": len(seen), "links": len(links),
                     "contested_links": sum(t.contested for t in links.values())}
    return result


NODE_FILES = ("actors.csv", "documents.csv", "claims.csv", "links.csv")
RELATIONSHIP_FILES = ("unit_of.csv", "in_document.csv", "subject.csv", "object.csv", "about.csv", "said_by.csv",
                      "claim_edges.csv")

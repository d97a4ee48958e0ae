"""CSV files for `neo4j-admin database import full`: the first load of a large corpus.

Transactional loads (graphctl load) pay for every claim's relationships in Cypher; an
offline import builds the Neo4j store from files instead. The files hold the same graph
a load writes (schema.yaml): actors, documents, claims, links with their counts, and the
relationships between them, each row built as a load builds it (graph/fields.py, graph/links.py).
Claims are streamed: only the links' tallies stay in memory.
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
from .fields import EDGE_FIELDS, claim_row
from .links import LinkTally
from .model import DOCUMENT_SPEAKERS, EDGE_TYPES, Actor, Claim

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


def _boolean(value) -> str | None:
    return None if value is None else ("true" if value else "false")


def _node_line(label: str, row: dict) -> list:
    """A node's line: its row's values in the order and types schema.yaml gives, then its label."""
    kinds = SCHEMA["nodes"][label]["properties"]
    return [_csv_value(kind, row.get(name)) for name, kind in kinds.items()] + [label]


def _csv_value(kind: str, value):
    """A value of one of the schema's types as neo4j-admin reads it (None is written empty: no property)."""
    if kind == "BOOLEAN":
        return _boolean(value)
    if kind == "STRING[]" and value is not None:
        return ARRAY_DELIMITER.join(value)
    return value


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
            out["actors.csv"].writerow(_node_line("Actor", vars(actor)))
            if actor.part_of:
                out["unit_of.csv"].writerow([actor.id, actor.part_of, "UNIT_OF"])
        links: dict[str, LinkTally] = defaultdict(LinkTally)
        documents: dict[str, str | None] = {}
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
            out["claims.csv"].writerow(_node_line("Claim", row))
            out["in_document.csv"].writerow((claim_id, row["doc"], "IN_DOCUMENT"))
            out["subject.csv"].writerow((claim_id, row["subject"], "SUBJECT"))
            out["object.csv"].writerow((claim_id, row["object"], "OBJECT"))
            out["about.csv"].writerow((claim_id, row["link_key"], "ABOUT"))
            if claim.said_by not in DOCUMENT_SPEAKERS:
                out["said_by.csv"].writerow((claim_id, claim.said_by, "SAID_BY"))
            out["claim_edges.csv"].writerow([row["subject"], row["object"], EDGE_TYPES[row["predicate"]],
                                             *(row[c] for c in EDGE_FIELDS)])
            links[row["link_key"]].add_claim(claim)
            documents.setdefault(claim.doc, claim.doc_id)
        for name, doc_id in documents.items():
            # only what claims carry: the name and the content hash (no title, outlet or date)
            out["documents.csv"].writerow(_node_line("Document", {"name": name, "id": doc_id}))
        for key, tally in links.items():
            out["links.csv"].writerow(_node_line("Link", tally.link_row(key)))
    finally:
        for stream in streams.values():
            stream.close()
    result = ImportFiles(work, list(NODE_FILES), list(RELATIONSHIP_FILES))
    result.counts = {"actors": len(actors), "documents": len(documents), "claims": len(seen), "links": len(links),
                     "contested_links": sum(t.contested for t in links.values())}
    return result

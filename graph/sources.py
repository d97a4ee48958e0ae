"""Independent sources: copies of one story (syndicated, re-headlined, trimmed) found
with MinHash locality-sensitive hashing (datasketch) and counted as one source.

Each document's fingerprint (a MinHash of its word shingles) is stored with it when it
is loaded; after every load the stored fingerprints are grouped: documents whose
estimated Jaccard similarity reaches the threshold are copies, transitively. Each
group stands under one name, its first document's (Document.source and Claim.source):
a link's speakers, documents and contested state count the group once, while every
copy and its claims stay stored and visible.
"""
from __future__ import annotations

import base64
import functools
import re
import zlib
from dataclasses import dataclass, field

import numpy as np

from .model import AUTHOR, UNNAMED, speaker_key

DEFAULT_THRESHOLD = 0.4  # estimated Jaccard of word shingles; measured in BENCHMARKS.md
SHINGLE = 4              # words per shingle
PERMUTATIONS = 128
SEED = 1

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@functools.lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=SEED).permutations  # made once: a third of a document's cost


def minhash(text: str):
    """The MinHash of a text's word shingles (CRC-32 of each: stable across processes, and
    several times faster than the default SHA-1 where only spread matters)."""
    from datasketch import MinHash

    signature = MinHash(num_perm=PERMUTATIONS, seed=SEED, permutations=_permutations(), hashfunc=zlib.crc32)
    signature.update_batch(list(shingles(text)))
    return signature


def fingerprint(text: str) -> str | None:
    """A document's MinHash as text, for the store; None for a document without words."""
    if not _WORD.search(text):
        return None
    return base64.b64encode(minhash(text).hashvalues.astype("<u4").tobytes()).decode("ascii")


def _signature(text: str):
    from datasketch import LeanMinHash

    values = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values)


def group(fingerprints: dict[str, str | None], threshold: float = DEFAULT_THRESHOLD) -> dict[str, str]:
    """Each document's group, as the name of the group's first document (sorted by name);
    a document with no copy is its own group."""
    from datasketch import MinHashLSH

    if not 0 < threshold <= 1:
        raise ValueError("the copies threshold is a Jaccard similarity, above 0 and at most 1")
    signatures = {name: _signature(text) for name, text in sorted(fingerprints.items()) if text}
    # Candidates from a slightly lower threshold, so that few pairs at the threshold slip past
    # the banding; each is then kept only when its estimated similarity reaches the threshold.
    lsh = MinHashLSH(threshold=min(max(threshold - 0.1, 0.05), 0.9), num_perm=PERMUTATIONS)
    for name, signature in signatures.items():
        lsh.insert(name, signature)
    parent = {name: name for name in fingerprints}

    def root(name):
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name, signature in signatures.items():
        for other in lsh.query(signature):  # candidates; kept only when the estimate reaches the threshold
            if other != name and signature.jaccard(signatures[other]) >= threshold:
                a, b = sorted((root(name), root(other)))
                parent[b] = a
    return {name: root(name) for name in fingerprints}


@dataclass
class Groups:
    threshold: float
    groups: dict[str, list[str]] = field(default_factory=dict)  # the group's name -> its copies, itself first
    documents: int = 0

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "documents": self.documents,
                "groups": [{"source": name, "copies": len(docs), "documents": docs}
                           for name, docs in self.groups.items()]}


_DOCUMENTS = "MATCH (d:Document) RETURN d.name, d.minhash, d.source"
_SET_DOCUMENT_SOURCE = """
UNWIND $rows AS r
MATCH (d:Document {name: r.name})
SET d.source = r.source
"""
_SET_CLAIM_SOURCE = """
UNWIND $rows AS r
MATCH (c:Claim {doc: r.name})
WHERE coalesce(c.source, '') <> coalesce(r.source, '')
SET c.source = r.source, c.speaker_key = CASE WHEN c.said_by = $author THEN r.author_key
                                              WHEN c.said_by = $unnamed THEN r.unnamed_key ELSE c.said_by END
RETURN c.link_key
"""
_GROUPS = """
MATCH (d:Document)
WHERE d.source IS NOT NULL
RETURN d.source, d.name
ORDER BY d.source, d.name
"""


def regroup(store, threshold: float = DEFAULT_THRESHOLD) -> Groups:
    """Group the stored documents by their fingerprints and mark documents, claims and
    links accordingly, in one transaction; returns the groups."""
    stored = store.query(_DOCUMENTS).rows
    found = group({name: text for name, text, _ in stored}, threshold)
    sizes: dict[str, int] = {}
    for name in found.values():
        sizes[name] = sizes.get(name, 0) + 1
    new = {name: (found[name] if sizes[found[name]] > 1 else None) for name in found}
    old = {name: source for name, _, source in stored}
    rows = [{"name": name, "source": source, "author_key": speaker_key(AUTHOR, source or name),
             "unnamed_key": speaker_key(UNNAMED, source or name)}
            for name, source in sorted(new.items()) if source or old[name]]
    with store.backend.transaction():
        changed = [r for r in rows if r["source"] != old[r["name"]]]
        for start in range(0, len(changed), 5000):
            store.query(_SET_DOCUMENT_SOURCE, {"rows": changed[start:start + 5000]}, write=True)
        touched = set()
        for start in range(0, len(rows), 5000):
            result = store.query(_SET_CLAIM_SOURCE, {"rows": rows[start:start + 5000], "author": AUTHOR,
                                                            "unnamed": UNNAMED}, write=True)
            touched.update(row[0] for row in result.rows)
        store.refresh_links(touched)
    return stored_groups(store, threshold)


def stored_groups(store, threshold: float | None = None) -> Groups:
    """The groups of copies the store holds (as the last load found them)."""
    groups: dict[str, list[str]] = {}
    for source, name in store.query(_GROUPS).rows:
        groups.setdefault(source, []).append(name)
    for name, docs in groups.items():
        docs.sort(key=lambda d: (d != name, d))
    documents = store.query("MATCH (d:Document) RETURN count(d)").rows[0][0]
    return Groups(threshold, groups, documents)

"""Independent sources: copies of one story (syndicated, re-headlined, trimmed) found
with MinHash locality-sensitive hashing (datasketch) and counted as one source.

Each document's fingerprint (a MinHash of the word shingles of its body: the prose, without
the headlines, navigation, captions and footers a site puts around a story) is stored with it
when it is loaded; a load that changed documents groups them: documents whose estimated
Jaccard similarity reaches the threshold are copies, transitively (all stored documents with
LSH, or only the changed ones against every fingerprint when they are few), and so are
documents whose sources.yaml entries declare the same `story`. Each
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

DEFAULT_THRESHOLD = 0.2  # estimated Jaccard of the bodies' word shingles; chosen and measured in BENCHMARKS.md
SHINGLE = 4              # words per shingle
PERMUTATIONS = 256       # more than the usual 128: a low threshold needs a closer estimate
SEED = 1
SCHEME = "body.256"      # what a fingerprint is of, written before it: fingerprints of another scheme are
                         # not compared, and a load reads their documents again

_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", '"', "\u201d", "\u2019", "'", "\u2026")
_NOT_BODY = re.compile(r"\((?:AP|AFP|Reuters|UPI)?\s*Photo|Photo:|Image:|Credit:|/File\)|\u00a9|copyright|"
                       r"all rights reserved", re.IGNORECASE)
_DATE_STAMP = re.compile(r"^\s*date \d{4}(?:-\d\d){0,2}\s+")  # some page stores prefix the page with it
_BLANK_LINE = re.compile(r"\n\s*\n")
BODY_MIN_WORDS = 8    # a body paragraph has at least this many words,
BODY_LONG_WORDS = 25  # and ends a sentence, or is this long (a paragraph cut off where the page was cut)
WRAP_WIDTH = 120      # a text with no longer line is hard-wrapped: its paragraphs run to a blank line


def _paragraphs(text: str) -> list[str]:
    """A page's paragraphs are its lines; a hard-wrapped text's run to a blank line."""
    lines = text.splitlines()
    return [" ".join(block.split()) for block in _BLANK_LINE.split(text)] if _hard_wrapped(lines) else lines


def _hard_wrapped(lines: list[str]) -> bool:
    """No line longer than WRAP_WIDTH, and most lines of prose length ending mid-sentence."""
    if not lines or max(map(len, lines)) > WRAP_WIDTH:
        return False
    prose = [line.strip() for line in lines if len(_WORD.findall(line)) >= BODY_MIN_WORDS]
    return sum(not line.endswith(_SENTENCE_END) for line in prose) * 2 > len(prose)


def body(text: str) -> str:
    """The body of a document: its paragraphs that read as prose, without the site around the story.

    A paragraph is kept when it has at least BODY_MIN_WORDS words and ends a sentence (or quote),
    or has at least BODY_LONG_WORDS words; one naming a photo, an image credit or a copyright is
    dropped, and so is one repeating an earlier one word for word (a caption or headline shown
    twice). This drops headlines, navigation, bylines, datelines and date stamps on their own
    line, related-links lists, photo captions and footers the same way on every page. A text
    without such a paragraph (a short note, one headline) is its own body."""
    kept, seen = [], set()
    for paragraph in _paragraphs(text):
        paragraph = _DATE_STAMP.sub("", paragraph).strip()
        words = _WORD.findall(paragraph)
        if len(words) < BODY_MIN_WORDS or _NOT_BODY.search(paragraph):
            continue
        if not (paragraph.endswith(_SENTENCE_END) or len(words) >= BODY_LONG_WORDS):
            continue
        key = " ".join(words).lower()
        if key not in seen:
            seen.add(key)
            kept.append(paragraph)
    return "\n".join(kept) if kept else text


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
    """The MinHash of the word shingles of a text's body (CRC-32 of each: stable across processes,
    and several times faster than the default SHA-1 where only spread matters)."""
    from datasketch import MinHash

    signature = MinHash(num_perm=PERMUTATIONS, seed=SEED, permutations=_permutations(), hashfunc=zlib.crc32)
    signature.update_batch(list(shingles(body(text))))
    return signature


def fingerprint(text: str) -> str | None:
    """A document's MinHash as text, for the store; None for a document without words."""
    if not _WORD.search(text):
        return None
    return encode(minhash(text))


def encode(signature) -> str:
    """A MinHash as stored: the scheme, then its values."""
    return f"{SCHEME}:" + base64.b64encode(signature.hashvalues.astype("<u4").tobytes()).decode("ascii")


def _signature(text: str):
    """The stored MinHash, or None when another scheme (an older graphctl) made it."""
    from datasketch import LeanMinHash

    scheme, _, values = text.rpartition(":")
    if scheme != SCHEME:
        return None
    values = np.frombuffer(base64.b64decode(values), dtype="<u4").astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values)


def group(fingerprints: dict[str, str | None], threshold: float = DEFAULT_THRESHOLD,
          previous: dict[str, str | None] | None = None, changed: set[str] = frozenset(),
          stories: dict[str, str | None] | None = None) -> dict[str, str]:
    """Each document's group, as the name of the group's first document (sorted by name);
    a document with no copy is its own group. Documents that declare one of `stories` are
    copies of each other whatever their text, and documents that declare different stories
    are never in one group: a document like both joins the one it is closer to.

    With `previous` (each document's group when last grouped at this threshold, None when alone)
    only the `changed` documents are compared, each with every other: the other documents keep
    their groups, a group whose changed member may have held it together being grouped again."""
    if not 0 < threshold <= 1:
        raise ValueError("the copies threshold is a Jaccard similarity, above 0 and at most 1")
    signatures = {name: _signature(text) for name, text in sorted(fingerprints.items()) if text}
    names = [name for name, signature in signatures.items() if signature is not None]
    values = np.stack([signatures[name].hashvalues.astype(np.uint32) for name in names]) if names \
        else np.empty((0, PERMUTATIONS), dtype=np.uint32)  # the stored values are 32-bit
    declared = {name: story for name, story in (stories or {}).items() if story and name in fingerprints}
    forest = _Forest(fingerprints, declared)
    _join_declared(forest, declared)
    if previous is None:
        pairs = _candidate_pairs(names, signatures, values, threshold)
    else:
        pairs = _pairs_of_changed(names, values, threshold, previous, changed)
    if declared:  # the closest pairs first, so that a document like two stories joins its closer one
        index = {name: i for i, name in enumerate(names)}
        pairs = sorted(pairs, key=lambda p: (-float(_similar(values, index[p[0]], [index[p[1]]])[0]), p))
    for a, b in pairs:
        forest.join(a, b)
    return forest.roots()


def _join_declared(forest: "_Forest", declared: dict[str, str]):
    """The analyst's word on provenance (sources.yaml `story`): one agency's first version and
    its rewritten update share too few words for a shingle to tell, and are one source."""
    first: dict[str, str] = {}
    for name, story in sorted(declared.items()):
        forest.join(first.setdefault(story, name), name)


class _Forest:
    """Union-find over document names; a group's root is its first name. Two groups holding
    different declared stories are not joined."""

    def __init__(self, names, declared: dict[str, str] | None = None):
        self.parent = {name: name for name in names}
        self.story = dict(declared or {})  # a group's root -> the story one of its documents declares

    def root(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def join(self, a: str, b: str):
        first, second = sorted((self.root(a), self.root(b)))
        stories = {self.story.get(first), self.story.get(second)} - {None}
        if first == second or len(stories) > 1:
            return
        self.parent[second] = first
        if stories:
            self.story[first] = stories.pop()

    def roots(self) -> dict[str, str]:
        return {name: self.root(name) for name in self.parent}


def _similar(values, i: int, others) -> np.ndarray:
    """The MinHash estimates of the Jaccard similarity of row i with the rows `others`."""
    return (values[others] == values[i]).mean(axis=1)


def _candidate_pairs(names, signatures, values, threshold: float):
    """Every pair whose estimate reaches the threshold, among the candidates of MinHash LSH."""
    from datasketch import MinHashLSH

    # Candidates from a lower threshold, so that few pairs at the threshold slip past the banding.
    lsh = MinHashLSH(threshold=min(max(threshold - 0.1, 0.05), 0.9), num_perm=PERMUTATIONS)
    for name in names:
        lsh.insert(name, signatures[name])
    index = {name: i for i, name in enumerate(names)}
    for i, name in enumerate(names):
        later = np.array(sorted(index[other] for other in lsh.query(signatures[name]) if index[other] > i), dtype=int)
        if len(later):
            for j in later[_similar(values, i, later) >= threshold]:
                yield name, names[j]


def _pairs_of_changed(names, values, threshold: float, previous: dict, changed: set[str]):
    """The pairs that hold the groups after a few documents changed: each changed document with
    every other (exact estimates, no banding), the unchanged members of a group that had a changed
    member with each other (it may have held them together), and the other groups as they were."""
    index = {name: i for i, name in enumerate(names)}
    members: dict[str, list[str]] = {}
    for name, group_name in sorted(previous.items()):
        if group_name is not None:
            members.setdefault(group_name, []).append(name)
    for docs in members.values():
        kept = [index[name] for name in docs if name not in changed and name in index]
        if len(kept) == len(docs):
            yield from ((docs[0], other) for other in docs[1:])
        else:
            yield from ((names[i], names[j]) for i, j in _spanning_pairs(values, kept, threshold))
    everyone = np.arange(len(names))
    for name in sorted(changed & index.keys()):
        i = index[name]
        for j in everyone[_similar(values, i, everyone) >= threshold]:
            if j != i:
                yield name, names[j]


def _spanning_pairs(values, rows: list[int], threshold: float):
    """Pairs that connect the rows as their similarities do (a spanning forest, found by search from
    each row reached: it is compared only with the rows not reached yet, so a close-knit group costs
    little)."""
    waiting = np.array(sorted(rows), dtype=int)
    while len(waiting):
        queue, waiting = [waiting[0]], waiting[1:]
        while queue and len(waiting):
            i = queue.pop()
            near = _similar(values, i, waiting) >= threshold
            for j in waiting[near]:
                yield i, j
            queue.extend(waiting[near])
            waiting = waiting[~near]


@dataclass
class Groups:
    threshold: float
    groups: dict[str, list[str]] = field(default_factory=dict)  # the group's name -> its copies, itself first
    documents: int = 0
    stories: dict[str, str] = field(default_factory=dict)  # the group's name -> the story its documents declare

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, "documents": self.documents,
                "groups": [{"source": name, "copies": len(docs), "documents": docs, "story": self.stories.get(name)}
                           for name, docs in self.groups.items()]}


_DOCUMENTS = "MATCH (d:Document) RETURN d.name, d.minhash, d.source, d.copies_threshold, d.story"
_STORIES = "MATCH (d:Document) RETURN d.name, d.story"
_SET_STORY = """
UNWIND $rows AS r
MATCH (d:Document {name: r.name})
SET d.story = r.story
"""
_SET_DOCUMENT_SOURCE = """
UNWIND $rows AS r
MATCH (d:Document {name: r.name})
SET d.source = r.source, d.copies_threshold = r.threshold
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
RETURN d.source, d.name, d.story
ORDER BY d.source, d.name
"""


def regroup(store, threshold: float = DEFAULT_THRESHOLD, changed: set[str] | None = None) -> Groups:
    """Group the stored documents by their fingerprints and mark documents, claims and
    links accordingly, in one transaction; returns the groups. Given the documents a load
    `changed`, few of them, and the others last grouped at this threshold, only the changed
    are compared (with every other); else (and whenever a document declares a story) every
    document is grouped again."""
    stored = store.query(_DOCUMENTS).rows
    fingerprints = {name: text for name, text, *_ in stored}
    old = {name: source for name, _, source, *_ in stored}
    stories = {name: story for name, *_, story in stored}
    if _few_changed(stored, threshold, changed):
        found = group(fingerprints, threshold, previous=old, changed=changed, stories=stories)
    else:
        found = group(fingerprints, threshold, stories=stories)
    sizes: dict[str, int] = {}
    for name in found.values():
        sizes[name] = sizes.get(name, 0) + 1
    new = {name: (found[name] if sizes[found[name]] > 1 else None) for name in found}
    rows = [{"name": name, "source": source, "author_key": speaker_key(AUTHOR, source or name),
             "unnamed_key": speaker_key(UNNAMED, source or name), "threshold": threshold}
            for name, source in sorted(new.items())]
    marked = {name: (source, grouped_at) for name, _, source, grouped_at, _ in stored}
    with store.backend.transaction():
        changed_rows = [r for r in rows if (r["source"], r["threshold"]) != marked[r["name"]]]
        for start in range(0, len(changed_rows), 5000):
            store.query(_SET_DOCUMENT_SOURCE, {"rows": changed_rows[start:start + 5000]}, write=True)
        grouped = [r for r in rows if r["source"] or old[r["name"]]]
        touched = set()
        for start in range(0, len(grouped), 5000):
            result = store.query(_SET_CLAIM_SOURCE, {"rows": grouped[start:start + 5000], "author": AUTHOR,
                                                            "unnamed": UNNAMED}, write=True)
            touched.update(row[0] for row in result.rows)
        store.refresh_links(touched)
    return stored_groups(store, threshold)


def _few_changed(stored: list, threshold: float, changed: set[str] | None) -> bool:
    """Whether comparing only the changed documents is cheaper than grouping again, and right: at
    most a tenth of the documents changed and the others were last grouped at this threshold."""
    if changed is None or len(changed) * 10 > len(stored) or any(story for *_, story in stored):
        return False  # (declared stories: the order of joins matters, and only a full grouping has them all)
    return all(grouped_at == threshold for name, _, _, grouped_at, _ in stored if name not in changed)


def declare_stories(store, stories: dict[str, str | None]) -> set[str]:
    """Store the stories sources.yaml now declares for these documents (a document read again
    stores its own); the names whose story changed, to be grouped again."""
    stored = dict(store.query(_STORIES).rows)
    rows = [{"name": name, "story": story} for name, story in sorted(stories.items())
            if name in stored and stored[name] != story]
    if rows:
        store.query(_SET_STORY, {"rows": rows}, write=True)
    return {row["name"] for row in rows}


def stored_groups(store, threshold: float | None = None) -> Groups:
    """The groups of copies the store holds (as the last load found them)."""
    groups: dict[str, list[str]] = {}
    stories: dict[str, str] = {}
    for source, name, story in store.query(_GROUPS).rows:
        groups.setdefault(source, []).append(name)
        if story:
            stories[source] = story
    for name, docs in groups.items():
        docs.sort(key=lambda d: (d != name, d))
    documents = store.query("MATCH (d:Document) RETURN count(d)").rows[0][0]
    return Groups(threshold, groups, documents, stories)

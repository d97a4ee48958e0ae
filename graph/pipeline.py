"""Loading: documents -> actors -> extraction -> store, with curated claims beside.

Only documents whose content changed since the last load are extracted and
rewritten; each is written in its own transaction.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import discovery as discovering, review
from .actors import Registry
from .claimsio import read_claims
from .documents import DEFAULT_MAX_BYTES, Corpus, is_regular, load_sources, read_document, scan
from .errors import DocumentError, GraphctlError, InputError
from .model import DOCUMENT_SPEAKERS, Actor, Claim, Document, Source
from .sources import (DEFAULT_THRESHOLD as COPIES_THRESHOLD, SCHEME as FINGERPRINT_SCHEME, declare_stories, regroup,
                      stored_groups)
from .store import Store

REPO = Path(__file__).parent.parent
# Documents per transaction, unless the store's claims cap (capabilities) comes first. LadybugDB's
# commit costs more as the graph grows, so fewer, larger transactions load faster; a kill
# loses at most one batch, which the next load redoes.
DEFAULT_BATCH_DOCS = 10_000


# The broad registry shipped in the package (built by scripts/build_registry.py): states,
# FTO-listed and other armed groups, government and international bodies, leaders.
SHIPPED_REGISTRY = Path(__file__).parent / "registry" / "actors.yaml"


def default_registry_path() -> Path:
    if SHIPPED_REGISTRY.exists():
        return SHIPPED_REGISTRY
    raise GraphctlError("no actor registry found: pass --registry PATH")


def find_registry(paths: Iterable[Path], explicit: Path | None = None) -> Registry:
    """The registry given, else an actors.yaml in a folder being loaded, else the shipped one."""
    if explicit:
        return read_yaml(Registry.from_yaml, Path(explicit))
    for path in paths:
        candidate = Path(path) / "actors.yaml"
        if Path(path).is_dir() and candidate.exists():
            return read_yaml(Registry.from_yaml, candidate)
    return read_yaml(Registry.from_yaml, default_registry_path())


def combined_registry(paths: Iterable[Path]) -> Registry:
    """One registry from several files; a later file may extend an earlier one (part_of, new actors)."""
    import tempfile

    paths = [Path(p) for p in paths]
    if len(paths) == 1:
        return Registry.from_yaml(paths[0])
    with tempfile.TemporaryDirectory() as folder:
        joined = Path(folder) / "+".join(p.name for p in paths)
        joined.write_text("\n".join(p.read_text(encoding="utf-8") for p in paths), encoding="utf-8")
        return Registry.from_yaml(joined)


def find_sources(paths: Iterable[Path]) -> dict[str, Source]:
    sources = {}
    for path in paths:
        candidate = Path(path) / "sources.yaml"
        if Path(path).is_dir() and candidate.exists():
            sources.update(read_yaml(load_sources, candidate))
    return sources


def read_yaml(reader: Callable, path: Path):
    """reader(path), with what PyYAML raises beyond YAMLError as one InputError: an
    impossible date (2024-13-45) is a ValueError, nesting thousands deep a RecursionError."""
    if not is_regular(path):  # a FIFO would block the read, a device never end it
        raise InputError(path, "not a regular file")
    try:
        return reader(path)
    except RecursionError:
        raise InputError(path, "not valid YAML (nested too deep)") from None
    except ValueError as exc:
        raise InputError(path, f"not valid YAML ({exc})") from None


@dataclass
class LoadSummary:
    store: str
    documents_seen: int = 0
    documents_loaded: int = 0
    documents_unchanged: int = 0
    claims_extracted: int = 0
    curated_files: int = 0
    curated_claims: int = 0  # distinct claims: what the store holds
    curated_duplicates: int = 0  # lines repeating a claim already counted
    skipped: list[DocumentError] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    copies: dict = field(default_factory=dict)   # sources.Groups.to_dict()
    review: dict = field(default_factory=dict)   # review.Applied.to_dict()

    def to_dict(self) -> dict:
        return {
            "store": self.store,
            "documents": {"seen": self.documents_seen, "loaded": self.documents_loaded,
                          "unchanged": self.documents_unchanged, "skipped": len(self.skipped)},
            "skipped": [{"path": e.path, "reason": e.reason} for e in self.skipped],
            "claims_extracted": self.claims_extracted,
            "curated": {"files": self.curated_files, "claims": self.curated_claims,
                        "duplicates": self.curated_duplicates},
            "graph": self.counts,
            "copies": self.copies,
            "review": self.review,
        }


def read_documents(corpus: Corpus, sources: dict, max_bytes: int, skipped: list,
                   strict: bool = False) -> Iterator[Document]:
    """The corpus's documents, one at a time; unreadable ones go to `skipped`."""
    for root, path in corpus.documents:
        try:
            yield read_document(path, root, sources, max_bytes)
        except DocumentError as error:
            if strict:
                raise
            skipped.append(error)


@dataclass
class Reading:
    """Documents read from paths, one at a time, and the files skipped with their reasons
    (filled as the documents are read)."""

    documents: Iterator[Document]
    skipped: list[DocumentError]


def read_paths(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Reading:
    """The documents under `paths` (folders or files), with their folders' sources.yaml:
    the first steps of every command that reads documents (scan, then read each)."""
    paths = [Path(p) for p in paths]
    corpus = scan(paths)
    skipped = list(corpus.skipped)
    return Reading(read_documents(corpus, find_sources(paths), max_bytes, skipped), skipped)


def check_claim_files(files: list[Path], registry: Registry, allow_new_actors: bool) -> dict[Path, list[Claim]]:
    """Every curated claim, validated before anything is written."""
    known = None if allow_new_actors else set(registry.actors)
    return {Path(f): read_claims(Path(f), known_actors=known) for f in files}


# How much the embedded store and its log may grow per byte read, with room to spare:
# a claim's quote is written in the claim, in its edge and in the log.
GROWTH_PER_INPUT_BYTE = 4


def _input_bytes(corpus: Corpus, curated: dict[Path, list[Claim]]) -> int:
    total = 0
    for path in [*(path for _, path in corpus.documents), *curated]:
        try:
            total += Path(path).stat().st_size
        except OSError:
            pass  # reported when it is read
    return total


def check_fresh(curated: dict[Path, list[Claim]], hashes: dict[str, str]):
    """Extracted claims replace their document's claims, so they must come from the version
    of it the store holds (this load's, when the folder was loaded too): claims extracted
    from an older version are refused, never put in the current one's place."""
    for path, claims in curated.items():
        for claim in claims:
            stored = hashes.get(claim.doc)
            if claim.origin == "extracted" and stored and claim.doc_id != stored:
                raise InputError(path, f"claims of '{claim.doc}' come from another version of it "
                                 f"(doc_id {claim.doc_id}, the stored one is {stored}): extract it again, "
                                 "or load them as curated claims (without \"origin\": \"extracted\")",
                                 field="doc_id")


def new_actors(claims: Iterable[Claim], registry: Registry) -> list[Actor]:
    """Stand-ins for actors that curated claims name and the registry lacks (--allow-new-actors)."""
    missing = set()
    for claim in claims:
        for actor_id in (claim.subject, claim.object, claim.said_by):
            if actor_id not in DOCUMENT_SPEAKERS and actor_id not in registry:
                missing.add(actor_id)
    return [Actor(actor_id, actor_id, "organization", []) for actor_id in sorted(missing)]


def load(
    store: Store,
    paths: list[Path],
    claim_files: list[Path] = (),
    registry: Registry | None = None,
    jobs: int = 1,
    strict: bool = False,
    force: bool = False,
    allow_new_actors: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH_DOCS,
    progress: Callable[[str, int, int], None] | None = None,
    copies_threshold: float | None = None,
    discover: bool = True,
) -> LoadSummary:
    """Load `paths` (and `claim_files`) into the store; see LoadSummary. The documents are
    grouped into copies of one story again when some changed (or the story sources.yaml
    declares for one), or when `copies_threshold` is given (default sources.DEFAULT_THRESHOLD);
    the folders' review decisions are applied.
    discover=False: no provisional actors (graph/discovery.py), as `graphctl extract` gives claims."""
    paths = [Path(p) for p in paths]
    # the folders' decisions on actors NER found: accepted and merged names join the registry
    base = registry or find_registry(paths)  # the extractor version follows it; decisions, the discovery digest
    discovery = discovering.Discovery(base, discovering.folder_decisions(paths), discover)
    registry = discovery.registry
    sources = find_sources(paths)
    corpus = scan(paths)
    if strict and corpus.skipped:
        raise corpus.skipped[0]
    curated = check_claim_files([*claim_files, *corpus.claim_files], registry, allow_new_actors)
    summary = LoadSummary(store=f"{store.kind}: {store.location}", skipped=list(corpus.skipped))

    store.reserve(GROWTH_PER_INPUT_BYTE * _input_bytes(corpus, curated))
    all_curated = [c for claims in curated.values() for c in claims]
    store.write_actors([*registry.actors.values(), *new_actors(all_curated, registry)])

    stored = store.document_versions()
    stories: dict[str, str | None] = {}  # each document's story as sources.yaml declares it (copies)
    documents = _noting_stories(read_documents(corpus, sources, max_bytes, summary.skipped, strict), stories)
    version = _extractor_version(base) if corpus.documents else None
    changed = _changed_only(documents, stored, version, summary, force, discovery, discovering.stored_digests(store))
    total = len(corpus.documents)
    written: set[str] = set()  # the documents this load wrote: only they are compared for copies
    if total:
        discovery.add_stored(store)
        batch, batch_claims, provisional = [], 0, {}
        for document, claims in discovery.extract(changed, jobs=jobs):  # spaCy loads only if there is text
            provisional.update(discovery.actors_in(claims))
            batch.append((document.name, document, claims))
            written.add(document.name)
            batch_claims += len(claims)
            summary.claims_extracted += len(claims)
            if progress:
                progress(document.name, summary.documents_seen, total)
            if len(batch) >= batch_size or batch_claims >= store.capabilities.max_batch_claims:
                _write(store, batch, summary, provisional)
                batch_claims = 0
        _write(store, batch, summary, provisional)
        discovering.remove_unused(store)

    if curated:
        check_fresh(curated, store.document_hashes())
    for path, claims in curated.items():
        _load_claim_file(store, path, claims)
        distinct = len({claim.id for claim in claims})
        summary.curated_files += 1
        summary.curated_claims += distinct
        summary.curated_duplicates += len(claims) - distinct
    # The analyst's decisions and the groups of copies, over everything stored.
    summary.review = review.apply_folders(store, paths).to_dict()
    redeclared = declare_stories(store, stories)  # documents not read again whose story changed
    if summary.documents_loaded or redeclared or copies_threshold is not None:
        summary.copies = regroup(store, copies_threshold or COPIES_THRESHOLD, written | redeclared).to_dict()
    else:  # nothing changed: the stored groups stand
        summary.copies = stored_groups(store).to_dict()
    summary.counts = store.counts()
    return summary


def _noting_stories(documents: Iterator[Document], stories: dict) -> Iterator[Document]:
    for document in documents:
        stories[document.name] = document.source.story
        yield document


def _write(store: Store, batch: list, summary: LoadSummary, provisional: dict):
    """One transaction for the batch, after the provisional actors its claims name; emptied after,
    so memory stays flat."""
    if provisional:
        store.write_actors(provisional.values())
        provisional.clear()
    if batch:
        store.replace_documents(batch)
        summary.documents_loaded += len(batch)
        batch.clear()


def _extractor_version(registry: Registry) -> str:
    """What reads a document: the extractor's version and the copies fingerprint's scheme (a
    change of either reads the stored documents again)."""
    from .extraction import Extractor  # spaCy itself loads only when a document is parsed

    return f"{Extractor(registry).version}+copies.{FINGERPRINT_SCHEME}"


def _changed_only(documents: Iterator[Document], stored: dict[str, tuple], version: str | None,
                  summary: LoadSummary, force: bool, discovery, digests: dict) -> Iterator[Document]:
    """The documents to extract: new or changed, read by another version of the extractor (its
    rules, registry or scorer changed), or named in review decisions that changed; all with --force."""
    for document in documents:
        summary.documents_seen += 1
        document.discovery = discovery.digest(document)
        document.extractor = version
        if not force and stored.get(document.name) == (document.id, version) \
                and digests.get(document.name) == document.discovery:
            summary.documents_unchanged += 1
            continue
        yield document


def _load_claim_file(store: Store, path: Path, claims: list[Claim]):
    """Curated claims replace the file's previous ones; extracted ones (from `graphctl
    extract`) replace their document's extracted claims, as a direct load would."""
    extracted = defaultdict(list)
    curated = []
    for claim in claims:
        (extracted[claim.doc] if claim.origin == "extracted" else curated).append(claim)
    if extracted:
        store.replace_documents([(doc, None, doc_claims) for doc, doc_claims in extracted.items()])
    if curated or not extracted:
        store.replace_claim_set(f"curated:{path.name}", curated)

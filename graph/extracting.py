"""Extraction over documents on disk, without a store: what `graphctl extract`,
`actors --candidates` and `eval` do, callable from code and tests.

Each reads documents as a load does (pipeline.read_paths: regular files only,
bounded reads, sources.yaml) and reports the files it skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import extraction, pipeline
from .actors import Registry
from .claimsio import read_claims
from .errors import DocumentError, UsageError
from .evaluation import EvaluationReport, evaluate, read_passages
from .model import Claim, Document

# What `graphctl eval` scores without arguments: the seeds against their hand-annotated
# claims, from a source checkout, else from the copies a wheel ships (pyproject.toml).
SHIPPED = Path(__file__).parent / "_shipped"
DEFAULT_DOCUMENTS = (pipeline.REPO / "seeds", SHIPPED / "seeds")
DEFAULT_GOLD = (pipeline.REPO / "tests" / "data" / "gold.claims.jsonl", SHIPPED / "gold.claims.jsonl")


@dataclass
class Extracted:
    """Claims per document, produced as they are extracted, and the files skipped so far."""

    results: Iterator[tuple[Document, list[Claim]]]
    skipped: list[DocumentError]


def extract_paths(paths: Iterable[Path], registry: Registry | None = None, jobs: int = 1,
                  explain: bool = False) -> Extracted:
    """The claims of the documents under `paths`, with the registry given or found for them."""
    paths = list(paths)
    registry = registry or pipeline.find_registry(paths)
    reading = pipeline.read_paths(paths)
    return Extracted(extraction.extract_many(reading.documents, registry, jobs=jobs, explain=explain),
                     reading.skipped)


def candidate_actors(paths: Iterable[Path], registry: Registry) -> tuple[list[dict], list[DocumentError]]:
    """Organisations and people NER finds under `paths` that the registry lacks, merged over
    documents (most mentioned first), and the files skipped. Only reported, never added."""
    extractor = extraction.Extractor(registry)
    reading = pipeline.read_paths(paths)
    merged = {}
    for document in reading.documents:
        for candidate in extractor.candidates(document):
            entry = merged.setdefault((candidate.text, candidate.label),
                                      {"text": candidate.text, "label": candidate.label, "count": 0,
                                       "documents": [], "example": candidate.example})
            entry["count"] += candidate.count
            entry["documents"].append(candidate.doc)
    return sorted(merged.values(), key=lambda e: (-e["count"], e["text"])), reading.skipped


def evaluate_paths(gold: Path | None = None, paths: Iterable[Path] = (), registries: Iterable[Path] = (),
                   scorer: bool = True) -> EvaluationReport:
    """Extraction scored against gold claims, on documents (folders, files) or passages files
    (.jsonl with id and text). Without gold: the seeds against their gold (the default)."""
    paths = [Path(p) for p in paths]
    if gold is None and paths:
        raise UsageError("give --gold GOLD for the documents given: the shipped gold is about the seeds")
    gold_claims = read_claims(Path(gold) if gold else shipped(DEFAULT_GOLD, "the seeds' gold claims"))
    paths = paths or [shipped(DEFAULT_DOCUMENTS, "the seeds")]
    registries = list(registries)
    registry = pipeline.combined_registry(registries) if registries else pipeline.find_registry(paths)
    documents = _gold_documents(paths, {c.doc for c in gold_claims})
    predicted = [c for _, claims in extraction.extract_many(documents, registry, scorer="shipped" if scorer else None)
                 for c in claims]
    read = {d.name for d in documents}
    return evaluate([c for c in gold_claims if c.doc in read], predicted)


def _gold_documents(paths: list[Path], names: set[str]) -> list[Document]:
    """Every passage of the passages files, and the documents under the other paths that
    the gold is about (the others would only count as false positives)."""
    documents = [d for p in paths if p.suffix == ".jsonl" for d in read_passages(p)]
    folders = [p for p in paths if p.suffix != ".jsonl"]
    if folders:
        documents += [d for d in pipeline.read_paths(folders).documents if d.name in names]
    return documents


def shipped(candidates: tuple[Path, ...], what: str) -> Path:
    """The first of a default's places that exists: the source checkout's, then the wheel's."""
    for path in candidates:
        if path.exists():
            return path
    raise UsageError(f"{what} are not in this installation ({', '.join(map(str, candidates))}): "
                     "give --gold GOLD and the documents it is about")

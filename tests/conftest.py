"""Shared fixtures: the registry, the gold claims, and a store of each kind.

The `store` fixture runs a test once on the embedded store and once on Neo4j;
the Neo4j run is skipped, with its reason shown, only when no server is
configured (NEO4J_URI). `.ci/run` always configures one.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from graph.actors import Registry
from graph.backends import EmbeddedBackend, Neo4jBackend, neo4j_settings
from graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
GOLD_CLAIMS = DATA / "gold.claims.jsonl"
STORE_KINDS = ["embedded", "neo4j"]


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.from_yaml(SEEDS / "actors.yaml")


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of seeds/, safe to edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def neo4j_or_skip() -> dict:
    settings = neo4j_settings()
    if not settings:
        pytest.skip("no Neo4j server configured: set NEO4J_URI (scripts/neo4j-server.sh run ... does)")
    return settings


def open_test_store(kind: str, tmp_path: Path) -> Store:
    if kind == "embedded":
        return Store(EmbeddedBackend(tmp_path / "graph.lbug"))
    store = Store(Neo4jBackend(**neo4j_or_skip()))
    store.clear()
    return store


@pytest.fixture(params=STORE_KINDS)
def store(request, tmp_path):
    """An empty store, of each kind in turn."""
    store = open_test_store(request.param, tmp_path)
    yield store
    store.close()


@pytest.fixture
def embedded_db(tmp_path) -> Path:
    return tmp_path / "graph.lbug"


def store_args(kind: str, db: Path) -> list[str]:
    """The CLI's options for an empty store of this kind: the embedded file `db`, or the
    configured Neo4j server, cleared (skipped when none is configured)."""
    if kind == "embedded":
        return ["--db", str(db)]
    settings = neo4j_or_skip()
    with Store(Neo4jBackend(**settings)) as store:
        store.clear()
    return ["--uri", settings["uri"]]


@pytest.fixture
def store_env(request, tmp_path, monkeypatch):
    """CLI settings for a store of the kind the test is parametrised with (`kind`)."""
    kind = request.param if hasattr(request, "param") else "embedded"
    if kind == "embedded":
        monkeypatch.delenv("NEO4J_URI", raising=False)
    return store_args(kind, tmp_path / "cli.lbug")


def pytest_report_header(config):
    uri = os.environ.get("NEO4J_URI")
    return f"neo4j: {uri}" if uri else "neo4j: not configured (Neo4j tests will be skipped)"


def canonical(rows):
    """Rows as comparable text: collected lists have no order, so they are sorted."""
    def norm(value):
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=json.dumps)
        if isinstance(value, dict):
            return {k: norm(v) for k, v in sorted(value.items())}
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    return sorted(json.dumps(norm(r), sort_keys=True) for r in rows)


@pytest.fixture
def scripted_extraction(monkeypatch):
    """Loads that take their claims from the documents' own `CLAIM: subject PREDICATE object
    polarity said_by` lines instead of the extractor: tests of what a load does with claims
    that do not depend on what extraction finds."""
    from graph import extraction
    from graph.model import Claim

    def extract_many(documents, registry, jobs=1):
        for document in documents:
            claims = []
            for line in document.text.splitlines():
                if line.startswith("CLAIM: "):
                    subject, predicate, obj, polarity, said_by = line[7:].split()
                    claims.append(Claim(doc=document.name, doc_id=document.id, subject=subject, predicate=predicate,
                                        object=obj, polarity=polarity, said_by=said_by, evidence=[line],
                                        extractor="scripted", origin="extracted", confidence=0.5))
            yield document, claims

    monkeypatch.setattr(extraction, "extract_many", extract_many)
    # a load's own extractor (graph/discovery.py): the same claims, and no NER candidates
    monkeypatch.setattr(extraction.Extractor, "extract_batch",
                        lambda self, documents: [claims for _, claims in extract_many(documents, self.registry)])
    monkeypatch.setattr(extraction.Extractor, "candidates", lambda self, document: [])

"""Hostile input (issue 14): each class of fault, several inputs each, on both stores
where a store is involved. Nothing lost, nothing escapes, one line and an exit code."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import QueryError
from conftest import ROOT, SEEDS, STORE_KINDS


def invoke(args, **kwargs):
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


@pytest.fixture
def ready(store, registry):
    store.write_actors(registry.actors.values())
    return store


# -- 6. a read-only query has no effect outside the store ------------------------------

EMBEDDED_ESCAPES = [
    "COPY (MATCH (a:Actor) RETURN a.id) TO '{tmp}/out.csv'",
    "LOAD FROM '{tmp}/in.csv' RETURN *",
    "EXPORT DATABASE '{tmp}/dump'",
    "LOAD EXTENSION '{tmp}/ext.so'",
    "INSTALL json",
    "CALL threads=1",
    "MATCH (a:Actor) RETURN a.id LIMIT 1; COPY (MATCH (a:Actor) RETURN a.id) TO '{tmp}/out2.csv'",
    "MATCH (a:Actor) SET a.name = 'x' RETURN a.id",
    "CREATE (:Actor {id: 'x', name: 'X', kind: 'group'})",
]
NEO4J_ESCAPES = [
    "LOAD CSV FROM 'file://{tmp}/in.csv' AS line RETURN line",
    "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN count(line)",
    "CALL dbms.components()",
    "CALL db.createLabel('X')",
    "CALL () { CREATE (:X) } IN TRANSACTIONS",
    "MATCH (a:Actor) SET a.name = 'x' RETURN a.id",
    "CREATE (:Actor {id: 'x', name: 'X', kind: 'group'})",
    "MATCH (a:Actor) RETURN a.id LIMIT 1; CREATE (:X)",
]


def test_a_read_only_query_reads_no_file_writes_none_and_loads_no_code(ready, tmp_path):
    (tmp_path / "in.csv").write_text("a,b\n1,2\n")
    marker = tmp_path / "ran"
    if ready.kind == "embedded":
        _native_library(tmp_path / "ext.so", marker)
    before = ready.counts()
    statements = EMBEDDED_ESCAPES if ready.kind == "embedded" else NEO4J_ESCAPES
    for statement in statements:
        with pytest.raises(QueryError, match="--write|one statement"):
            ready.query(statement.replace("{tmp}", str(tmp_path)), write=False)
    # LadybugDB's binder makes EXPORT DATABASE's folder while planning it: it stays empty
    leftovers = {p.name for p in tmp_path.iterdir() if not p.name.startswith("graph.lbug")}
    assert leftovers - {"dump"} == {"in.csv", *(["ext.so"] if ready.kind == "embedded" else [])}
    assert not any(tmp_path.glob("dump/*"))
    assert not marker.exists() and ready.counts() == before


def _native_library(path: Path, marker: Path):
    """A shared library that leaves `marker` when it is loaded."""
    source = path.with_suffix(".c")
    source.write_text('#include <stdio.h>\n__attribute__((constructor)) static void hit(void) '
                      f'{{ FILE *f = fopen("{marker}", "w"); if (f) fclose(f); }}\n')
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(path), str(source)], check=True)
    source.unlink()


def test_reading_queries_still_run_read_only(ready):
    for statement in ("MATCH (a:Actor) RETURN count(a)",
                      "MATCH (a:Actor) WHERE a.id = $id RETURN a.name",
                      "MATCH p = (a:Actor)-[:UNIT_OF*1..3]->(b:Actor) RETURN count(p)",
                      "UNWIND [1, 2] AS x RETURN x ORDER BY x DESC LIMIT 1",
                      "MATCH (a:Actor) OPTIONAL MATCH (a)-[:UNIT_OF]->(b) RETURN a.id, b.id ORDER BY a.id SKIP 1 LIMIT 2"):
        ready.query(statement, {"id": "iran"} if "$id" in statement else {}, write=False)
    from graph.analysis import run_shipped
    from graph.queries import shipped_queries

    for name in shipped_queries():
        run_shipped(ready, name)

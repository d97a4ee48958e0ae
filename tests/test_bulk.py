"""graph.bulk: the neo4j-admin import files hold the graph a load writes."""
from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from graph.bulk import RELATIONSHIP_FILES, write_import_files
from graph.claimsio import read_claims
from graph.errors import InputError
from conftest import GOLD_CLAIMS, SEEDS, canonical, open_test_store


def _rows(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


@pytest.fixture
def gold(registry, tmp_path):
    claims = read_claims(GOLD_CLAIMS)
    return claims, write_import_files(tmp_path / "import", registry.actors.values(), claims)


def test_the_files_count_what_a_load_stores(registry, gold, tmp_path):
    claims, files = gold
    store = open_test_store("embedded", tmp_path)
    try:
        store.write_actors(registry.actors.values())
        store.replace_claim_set("curated:gold.claims.jsonl", claims)
        counts = store.counts()
        stored_links = {tuple(r) for r in store.query(
            "MATCH (l:Link) RETURN l.key, l.claims, l.affirms, l.denies, l.speakers, l.documents, l.contested, "
            "l.tentative").rows}
    finally:
        store.close()
    assert files.counts == counts
    header, *links = _rows(files.directory / "links.csv")
    index = [header.index(c) for c in ("key:ID(Link)", "claims:long", "affirms:long", "denies:long",
                                       "speakers:long", "documents:long", "contested:boolean", "tentative:boolean")]
    written = {tuple(int(row[i]) if n in range(1, 6) else (row[i] == "true" if n > 5 else row[i])
                     for n, i in enumerate(index)) for row in links}
    assert written == stored_links
    assert counts["contested_links"] == 7
    assert len(_rows(files.directory / "claims.csv")) == counts["claims"] + 1


def test_every_relationship_file_names_its_ends_and_type(gold):
    _, files = gold
    assert set(files.relationships) == set(RELATIONSHIP_FILES)
    for name in files.relationships:
        header = _rows(files.directory / name)[0]
        assert header[0].startswith(":START_ID(") and header[1].startswith(":END_ID(") and header[2] == ":TYPE"
    types = {row[2] for row in _rows(files.directory / "claim_edges.csv")[1:]}
    assert types == {c.predicate for c in gold[0]}
    arguments = files.arguments()
    assert sum(a.startswith("--nodes=") for a in arguments) == 4
    assert sum(a.startswith("--relationships=") for a in arguments) == len(RELATIONSHIP_FILES)
    assert "--multiline-fields=true" in arguments  # quotes may span lines


def test_the_cli_writes_the_files_and_prints_the_import_command(tmp_path):
    import json

    from click.testing import CliRunner

    from graph.cli import cli

    result = CliRunner().invoke(cli, ["import-files", str(tmp_path / "out"), str(GOLD_CLAIMS),
                                      "--registry", str(SEEDS / "actors.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["claims"] == 234 and data["counts"]["contested_links"] == 7
    assert data["command"][:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert (tmp_path / "out" / "claims.csv").exists()


def test_document_text_survives_csv_quoting(registry, tmp_path):
    claim = replace(read_claims(GOLD_CLAIMS)[0], evidence=['He said, "no",\nthen left; 100% \\ sure'])
    files = write_import_files(tmp_path / "import", registry.actors.values(), [claim])
    header, row = _rows(files.directory / "claims.csv")
    assert row[header.index("quote")] == 'He said, "no",\nthen left; 100% \\ sure'


def test_an_unknown_actor_leaves_no_files(registry, tmp_path):
    claim = replace(read_claims(GOLD_CLAIMS)[0], subject="nobody-we-know")
    with pytest.raises(InputError, match="nobody-we-know"):
        write_import_files(tmp_path / "import", registry.actors.values(), [claim])
    assert list(tmp_path.iterdir()) == []


def test_neo4j_admin_builds_from_the_files_the_graph_a_load_writes(registry, gold, tmp_path):
    """The whole route: files, Neo4j's offline importer (scripts/neo4j-server.sh import), a
    server on the result, and graphctl reading it as it reads a store it loaded itself."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT, neo4j_or_skip

    neo4j_or_skip()  # Java and the launcher are there when a test server is
    claims, files = gold
    env = {**os.environ, "NEO4J_TEST_DATA_DIR": str(tmp_path / "home"), "NEO4J_TEST_STATE_DIR": str(tmp_path / "state"),
           "NEO4J_TEST_PORT": "auto", "NEO4J_TEST_HEAP": "512m"}
    script = str(ROOT / "scripts" / "neo4j-server.sh")
    imported = subprocess.run(["bash", script, "import", *files.arguments()], env=env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr[-2000:]
    read = ("import json, sys; from graph.store import open_store; from graph.analysis import contested_links; "
            "s = open_store(); print(json.dumps([s.counts(), contested_links(s, 100, 10_000)]))")
    served = subprocess.run(["bash", script, "run", sys.executable, "-c", read], env=env, capture_output=True,
                            text=True, cwd=ROOT)
    assert served.returncode == 0, served.stderr[-2000:]
    counts, contested = json.loads(served.stdout.strip().splitlines()[-1])

    store = open_test_store("embedded", tmp_path)
    try:
        store.write_actors(registry.actors.values())
        store.replace_claim_set("curated:gold.claims.jsonl", claims)
        from graph.analysis import contested_links

        expected = store.counts(), contested_links(store, 100, 10_000)
    finally:
        store.close()
    assert counts == expected[0]
    assert canonical(contested) == canonical(expected[1])

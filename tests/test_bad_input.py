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


def assert_one_error_line(result, codes=(1,)):
    """One line saying what is wrong (click's usage errors add their usage lines), never a traceback."""
    assert result.exit_code in codes, result.output
    errors = [line for line in result.output.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output


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


# -- 4. output files: through symlinks, into FIFOs and devices, or to stdout -------------

@pytest.fixture(scope="module")
def gold_db(tmp_path_factory):
    """An embedded store holding the gold claims (no extraction: quick)."""
    from conftest import GOLD_CLAIMS

    db = tmp_path_factory.mktemp("gold") / "graph.lbug"
    result = invoke(["--db", str(db), "load", "--claims", str(GOLD_CLAIMS)])
    assert result.exit_code == 0, result.output
    return ["--db", str(db)]


OUTPUT_COMMANDS = [["export", "json"], ["export", "graphml"], ["report", "contested"]]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(gold_db, tmp_path, command):
    target = tmp_path / "real" / "out.data"
    target.parent.mkdir()
    target.write_text("old")
    os.chmod(target, 0o640)
    link, chain, dangling = tmp_path / "link", tmp_path / "chain", tmp_path / "dangling"
    link.symlink_to(target)
    chain.symlink_to(link)
    dangling.symlink_to(tmp_path / "real" / "new.data")
    for output in (link, chain, dangling):
        result = invoke([*gold_db, *command, "-o", str(output)])
        assert result.exit_code == 0, result.output
        assert output.is_symlink()
    assert target.read_text() != "old" and (target.stat().st_mode & 0o777) == 0o640
    assert (tmp_path / "real" / "new.data").read_text() == target.read_text()
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["new.data", "out.data"]  # no temporary left


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_streams_into_a_fifo_and_a_device(gold_db, tmp_path, command):
    import threading

    fifo = tmp_path / "pipe.data"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = invoke([*gold_db, *command, "-o", str(fifo)])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo() and len(received[0]) > 100
    assert invoke([*gold_db, *command, "-o", "/dev/null"]).exit_code == 0
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_output_dash_is_stdout_and_the_summary_goes_to_stderr(gold_db, command):
    done = subprocess.run([sys.executable, "-m", "graph.cli", *gold_db, *command, "-o", "-"], cwd=ROOT,
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "NEO4J_URI"})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 100 and "wrote" not in done.stdout
    assert not (ROOT / "-").exists()


@pytest.mark.parametrize("output", ["{tmp}", "{tmp}/file/under", "/proc/version", "/proc/graphctl/x.json",
                                    "/proc/self/status"])
def test_outputs_that_cannot_be_written_are_one_line(gold_db, tmp_path, output):
    (tmp_path / "file").write_text("a file, not a folder")
    result = invoke([*gold_db, "export", "json", "-o", output.replace("{tmp}", str(tmp_path))])
    assert_one_error_line(result, (1, 2))
    assert (tmp_path / "file").read_text() == "a file, not a folder"

"""Faults and concurrent use: kill -9 mid-load, two loads at once, Neo4j stopped mid-load.

After each, every document in the store has all of its claims or none, and the
next load completes the job.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from graph.backends import EmbeddedBackend, Neo4jBackend, neo4j_settings
from graph.documents import scan
from graph.extraction import extract_many
from graph.pipeline import load, read_documents
from graph.store import Store
from conftest import ROOT, STORE_KINDS, store_args

pytestmark = pytest.mark.slow
ACTORS = ["Iran", "the IRGC", "Hezbollah", "al-Qaeda", "the Taliban", "Syria", "Hamas", "Russia", "Israel"]
VERBS = ["trained", "funded", "armed", "hosted", "attacked", "sanctioned"]


def make_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    """`count` documents, with the seeds' registry as the corpus's actors.yaml: the progress the
    tests watch for (the store's log growing) is then past the actors, whatever the shipped
    registry holds."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "seeds" / "actors.yaml", folder / "actors.yaml")
    for i in range(count):
        sentences = []
        for j in range(8):
            a, b = rng.sample(ACTORS, 2)
            sentences.append(f"{a} {rng.choice(VERBS)} {b} in {1990 + j}. Markets were calm on day {i}-{j}.")
        (folder / f"doc{i:04d}.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    return folder


def expected_claims(folders, registry) -> Counter:
    """How many claims each document yields, extracted in this process."""
    documents = read_documents(scan(list(folders)), {}, 10**7, [])
    return Counter({doc.name: len(claims) for doc, claims in extract_many(documents, registry)})


def stored_claims(store) -> Counter:
    rows = store.query("MATCH (d:Document) OPTIONAL MATCH (c:Claim)-[:IN_DOCUMENT]->(d) "
                       "RETURN d.name, count(c)").rows
    return Counter(dict(rows))


def clean_env() -> dict:
    """The environment without NEO4J_URI: each command names its store itself."""
    return {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}


def cli(args):
    return subprocess.Popen([sys.executable, "-m", "graph.cli", *args], cwd=ROOT, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, timeout=120, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def open_kind(kind, tmp_path) -> Store:
    if kind == "embedded":
        return Store(EmbeddedBackend(tmp_path / "graph.lbug"))
    return Store(Neo4jBackend(**neo4j_settings()))


def documents_loaded_so_far(kind, tmp_path):
    """While a loader runs: the embedded file is locked, so watch its write-ahead log grow instead."""
    if kind == "embedded":
        wal = tmp_path / "graph.lbug.wal"
        return lambda: wal.exists() and wal.stat().st_size > 400_000
    store = open_kind(kind, tmp_path)
    return lambda: store.query("MATCH (d:Document) RETURN count(d)").rows[0][0] >= 20


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_kill_9_mid_load_leaves_whole_documents_and_the_next_load_completes(kind, tmp_path, registry):
    corpus = make_corpus(tmp_path / "corpus", 250)
    args = store_args(kind, tmp_path / "graph.lbug")
    loader = cli([*args, "load", "--batch-size", "5", str(corpus)])
    progressed = wait_until(documents_loaded_so_far(kind, tmp_path))
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    assert progressed, "the load never got going"
    expected = expected_claims([corpus], registry)

    with open_kind(kind, tmp_path) as store:
        after_kill = stored_claims(store)
        assert 0 < len(after_kill) < len(expected), "the kill did not land mid-load"
        for name, count in after_kill.items():
            assert count == expected[name], f"{name} has {count} of its {expected[name]} claims"
        summary = load(store, [corpus], registry=registry)
        assert summary.documents_unchanged == len(after_kill)
        assert stored_claims(store) == expected


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_two_loads_of_overlapping_folders_at_once_make_no_duplicates(kind, tmp_path, registry):
    everything = sorted(make_corpus(tmp_path / "all", 60).glob("*.txt"))
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, files in ((first, everything[:40]), (second, everything[20:])):  # docs 20-39 in both
        folder.mkdir()
        shutil.copy(tmp_path / "all" / "actors.yaml", folder / "actors.yaml")
        for path in files:
            shutil.copy(path, folder / path.name)
    args = store_args(kind, tmp_path / "graph.lbug")
    loaders = [cli([*args, "--wait", "300", "load", str(folder)]) for folder in (first, second)]
    outputs = [loader.communicate(timeout=600) for loader in loaders]
    for loader, (stdout, stderr) in zip(loaders, outputs):
        assert loader.returncode == 0, stderr
    with open_kind(kind, tmp_path) as store:
        names = [row[0] for row in store.query("MATCH (d:Document) RETURN d.name").rows]
        assert len(names) == len(set(names)) == 60
        ids = [row[0] for row in store.query("MATCH (c:Claim) RETURN c.id").rows]
        assert len(ids) == len(set(ids))
        actors = [row[0] for row in store.query("MATCH (a:Actor) RETURN a.id").rows]
        assert len(actors) == len(set(actors)) == len(registry)
        edges = store.query("MATCH (:Actor)-[r]->(:Actor) WHERE r.claim_id IS NOT NULL RETURN count(r)").rows[0][0]
        assert edges == len(ids)
        expected = expected_claims([first, second], registry)
        assert stored_claims(store) == expected


def test_a_second_embedded_writer_is_told_the_store_is_busy(tmp_path):
    with Store(EmbeddedBackend(tmp_path / "graph.lbug")):
        result = subprocess.run([sys.executable, "-m", "graph.cli", "--db", str(tmp_path / "graph.lbug"),
                                 "load", str(ROOT / "seeds")], capture_output=True, text=True, cwd=ROOT,
                                env=clean_env())
        assert result.returncode == 4
        assert result.stderr.strip().startswith("error: store busy")
        reader = subprocess.run([sys.executable, "-m", "graph.cli", "--db", str(tmp_path / "graph.lbug"),
                                 "status", "--json"], capture_output=True, text=True, cwd=ROOT,
                                env=clean_env())
        assert reader.returncode == 3 and "busy" in reader.stdout  # never a stale snapshot shown as current


def neo4j_script(tmp_path, *args):
    env = {**os.environ, "NEO4J_TEST_STATE_DIR": str(tmp_path / "state"), "NEO4J_TEST_PORT": "auto",
           "NEO4J_TEST_DATA_DIR": str(tmp_path / "data"), "NEO4J_TEST_HEAP": "512m"}
    return subprocess.run(["bash", str(ROOT / "scripts" / "neo4j-server.sh"), *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="no Neo4j configured: this test starts its own "
                    "server with scripts/neo4j-server.sh, which the configured run also uses")
def test_neo4j_stopped_mid_load_is_one_line_and_the_next_load_succeeds(tmp_path, registry):
    started = neo4j_script(tmp_path, "start")
    assert started.returncode == 0, started.stderr
    uri = started.stdout.strip().splitlines()[-1]
    try:
        corpus = make_corpus(tmp_path / "corpus", 250)
        loader = cli(["--uri", uri, "load", "--batch-size", "5", str(corpus)])
        with Store(Neo4jBackend(uri)) as watcher:
            if not wait_until(lambda: watcher.query("MATCH (d:Document) RETURN count(d)").rows[0][0] >= 20):
                loader.kill()
                pytest.fail(f"the load never got going: {loader.communicate()}")
        pid = int((tmp_path / "state" / "pid").read_text())
        os.kill(pid, signal.SIGKILL)  # the server dies under the loader
        stdout, stderr = loader.communicate(timeout=120)
        assert loader.returncode == 3, stderr
        assert len(stderr.strip().splitlines()) == 1 and "Neo4j" in stderr and "Traceback" not in stderr

        restarted = neo4j_script(tmp_path, "start")
        assert restarted.returncode == 0, restarted.stderr
        uri = restarted.stdout.strip().splitlines()[-1]
        expected = expected_claims([corpus], registry)
        with Store(Neo4jBackend(uri)) as store:
            after = stored_claims(store)
            assert 0 < len(after) < len(expected)
            for name, count in after.items():
                assert count == expected[name]
            load(store, [corpus], registry=registry)
            assert stored_claims(store) == expected
    finally:
        neo4j_script(tmp_path, "stop")


def test_a_process_killed_after_a_bulk_copy_leaves_a_store_that_opens_with_it(tmp_path, registry):
    """A commit that went through COPY FROM (large batches) is in the store even when the
    process dies before closing it, and the store opens (LadybugDB cannot replay a log of
    an uncheckpointed COPY, so such commits must checkpoint)."""
    from graph.model import Claim, Document
    from graph.store import COPY_MIN_ROWS

    script = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from graph.actors import Registry
from graph.backends import EmbeddedBackend
from graph.model import Claim, Document
from graph.store import Store
registry = Registry.from_yaml({str(ROOT / "seeds" / "actors.yaml")!r})
store = Store(EmbeddedBackend({str(tmp_path / "graph.lbug")!r}))
store.write_actors(registry.actors.values())
batch = []
for i in range({COPY_MIN_ROWS // 10 + 10}):
    doc = Document(name=f"d{{i}}.txt", text=f"text {{i}}")
    batch.append((doc.name, doc, [Claim(doc=doc.name, subject="iran", predicate="TRAINED", object="hezbollah",
                                        polarity="affirms", evidence=[f"sentence {{i}} {{k}}"], doc_id=doc.id)
                                  for k in range(10)]))
store.replace_documents(batch)
os._exit(0)  # no close
"""
    done = subprocess.run([sys.executable, "-c", script], env=clean_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    opened = subprocess.run([sys.executable, "-m", "graph.cli", "--db", str(tmp_path / "graph.lbug"), "status",
                             "--json"], cwd=ROOT, env=clean_env(), capture_output=True, text=True)
    assert opened.returncode == 0, opened.stderr[-2000:]
    assert '"claims": ' + str((COPY_MIN_ROWS // 10 + 10) * 10) in opened.stdout

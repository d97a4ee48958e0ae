"""The small query scripts in scripts/: each runs on a store and prints CSV."""
import csv
import io
import os
import subprocess
import sys

from graph.backends import EmbeddedBackend
from graph.claimsio import read_claims
from graph.store import Store
from conftest import GOLD_CLAIMS, ROOT


def run_script(name, *args):
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], capture_output=True, text=True,
                            cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def gold_db(tmp_path, registry):
    path = tmp_path / "gold.lbug"
    with Store(EmbeddedBackend(path)) as store:
        store.write_actors(registry.actors.values())
        store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
    return str(path)


def test_every_script_starts_with_a_usage_line():
    for path in (ROOT / "scripts").glob("*.py"):
        head = path.read_text(encoding="utf-8")[:600]
        assert f"scripts/{path.name}" in head, f"{path.name}: say how to run it at the top"


def test_contested_for_actor(tmp_path, registry):
    rows = run_script("contested_for_actor.py", "irgc", "--db", gold_db(tmp_path, registry))
    assert rows and all("irgc" in (r["subject"], r["object"]) for r in rows)
    assert {r["polarity"] for r in rows} == {"affirms", "denies"}


def test_actor_timeline(tmp_path, registry):
    rows = run_script("actor_timeline.py", "iran", "--db", gold_db(tmp_path, registry))
    years = [int(r["year"]) for r in rows]
    assert years and years == sorted(years)
    assert all("iran" in (r["subject"], r["object"]) for r in rows)

"""docker-compose.yml for users: valid, Neo4j 5.26+, loopback ports, no password in the repository."""
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"


def compose_command():
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return None


@pytest.mark.skipif(compose_command() is None, reason="neither docker-compose nor `docker compose` is installed")
def test_compose_file_validates_and_requires_a_password():
    env = {**os.environ, "NEO4J_PASSWORD": "a-test-password"}
    ok = subprocess.run([*compose_command(), "-f", str(COMPOSE), "config"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "a-test-password" in ok.stdout
    without = {k: v for k, v in env.items() if k != "NEO4J_PASSWORD"}
    refused = subprocess.run([*compose_command(), "-f", str(COMPOSE), "config"], capture_output=True, text=True,
                             env=without, cwd=ROOT / "tests")
    assert refused.returncode != 0 and "NEO4J_PASSWORD" in refused.stderr


def test_compose_uses_neo4j_5_26_community_on_loopback_with_a_healthcheck():
    service = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]["neo4j"]
    assert service["image"].startswith("neo4j:5.26") and "community" in service["image"]
    assert all(str(port).startswith("127.0.0.1:") for port in service["ports"])
    assert "wget" in " ".join(service["healthcheck"]["test"])
    assert "${NEO4J_PASSWORD" in service["environment"]["NEO4J_AUTH"]


def test_no_env_file_is_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert ".env" not in tracked and ".env.example" in tracked

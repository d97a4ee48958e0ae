#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs graphctl with its test extras into
# .venv, Debian's chromium and docker-compose for the browser and compose tests,
# starts a real Neo4j (Java, no Docker), runs pytest against both stores, and stops Neo4j.
# Usage: bash scripts/test.sh [pytest arguments...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e '.[test]'
bash scripts/install-browser.sh || echo "chromium could not be installed: browser tests will be skipped"
# docker-compose validates docker-compose.yml without a Docker engine (tests/test_compose.py)
command -v docker-compose >/dev/null || { apt-get install -y -q docker-compose >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q docker-compose >/dev/null 2>&1; } ||
    echo "docker-compose could not be installed: the compose validation test will be skipped"; }
exec bash scripts/neo4j-server.sh run python -m pytest "$@"

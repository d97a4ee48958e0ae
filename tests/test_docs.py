"""The README documents every command and the two set-up commands CI relies on."""
from graph.cli import cli
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    missing = [name for name in cli.commands if f"graphctl {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_ci_runs_the_readmes_test_command():
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e . && graphctl load seeds/" in README


def test_every_shipped_query_is_in_the_readme():
    for path in (ROOT / "cypher").glob("*.cypher"):
        assert path.stem in README, path.stem

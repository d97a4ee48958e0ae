"""The command line, through click's runner: help, summaries, JSON, errors and exit codes."""
import json
import os

import pytest
from click.testing import CliRunner

from graph.cli import cli
from conftest import GOLD_CLAIMS, STORE_KINDS


def invoke(args, **kwargs):
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_every_command_has_help(command):
    result = invoke([*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


@pytest.fixture
def loaded(store_env, seeds_copy):
    result = invoke([*store_env, "load", str(seeds_copy), "--claims", str(GOLD_CLAIMS)])
    assert result.exit_code == 0, result.output
    return store_env


@pytest.mark.parametrize("store_env", STORE_KINDS, indirect=True)
def test_load_prints_a_summary(store_env, seeds_copy):
    result = invoke([*store_env, "load", str(seeds_copy)])
    assert result.exit_code == 0, result.output
    assert "5 read, 5 loaded" in result.output
    assert "contested" in result.output and "store:" in result.output


@pytest.mark.parametrize("store_env", STORE_KINDS, indirect=True)
def test_load_json_and_query_json(loaded):
    summary = json.loads(invoke([*loaded, "load", "--json", "--claims", str(GOLD_CLAIMS)]).output)
    assert summary["curated"]["claims"] == 234
    rows = json.loads(invoke([*loaded, "query", "contested_links", "--json"]).output)
    assert len(rows) >= 7
    assert all(r["affirming"] and r["denying"] for r in rows)


def test_query_by_file_path_and_csv(loaded):
    from graph.queries import QUERY_DIRS

    path = next(d for d in QUERY_DIRS if d.is_dir()) / "contested_links.cypher"
    assert invoke([*loaded, "query", str(path), "--json"]).exit_code == 0
    result = invoke([*loaded, "query", "MATCH (a:Actor) RETURN a.id ORDER BY a.id LIMIT 2", "--csv"])
    assert result.output.splitlines() == ["a.id", "911-commission", "abu-musab-al-zarqawi"]


@pytest.mark.parametrize("store_env", STORE_KINDS, indirect=True)
def test_query_refuses_to_write_without_flag_and_changes_nothing(loaded):
    before = json.loads(invoke([*loaded, "status", "--json"]).output)["counts"]
    result = invoke([*loaded, "query", "CREATE (n:Actor {id: 'x'})"])
    assert result.exit_code == 2
    assert "--write" in result.output
    assert json.loads(invoke([*loaded, "status", "--json"]).output)["counts"] == before
    allowed = invoke([*loaded, "query", "--write", "CREATE (n:Actor {id: 'x', name: 'X', kind: 'group'})"])
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(invoke([*loaded, "status", "--json"]).output)["counts"]["actors"] == before["actors"] + 1


def test_query_parameters(loaded):
    rows = json.loads(invoke([*loaded, "query", "actor_profile", "-p", "actor", "irgc", "--json"]).output)
    assert rows and all(r["direction"] in ("in", "out") for r in rows)
    result = invoke([*loaded, "query", "actor_profile", "-p", "nope", "1"])
    assert result.exit_code == 2 and "takes no parameter" in result.output


def test_reports(loaded, tmp_path):
    contested = json.loads(invoke([*loaded, "contested", "--json"]).output)
    assert len(contested) >= 7
    profile = json.loads(invoke([*loaded, "actor", "irgc", "--json"]).output)
    assert profile["name"] == "Islamic Revolutionary Guard Corps" and profile["claims"]
    link = json.loads(invoke([*loaded, "link", "iran", "al-qaeda", "--json"]).output)
    assert {r["predicate"] for r in link} >= {"COOPERATED_WITH", "SUPPORTED"}
    brief = tmp_path / "brief.md"
    assert invoke([*loaded, "report", "contested", "-o", str(brief)]).exit_code == 0
    text = brief.read_text(encoding="utf-8")
    assert text.startswith("# Contested links") and "**Denied by**" in text and "irgc TRAINED al-qaeda" in text


def test_errors_are_one_line_with_an_exit_code(store_env, tmp_path):
    missing = invoke([*store_env, "actor", "nobody"])
    assert missing.exit_code == 3 or missing.exit_code == 1
    assert len(missing.output.strip().splitlines()) == 1 and "Traceback" not in missing.output
    bad_query = invoke([*store_env, "query", "MATCH (n RETURN n"])
    assert bad_query.exit_code in (2, 3) and len(bad_query.output.strip().splitlines()) == 1


def test_an_unreachable_neo4j_is_one_line_and_exit_3():
    result = invoke(["--uri", "bolt://127.0.0.1:1", "status"])
    assert result.exit_code == 3 and "reachable: no" in result.output
    result = invoke(["--uri", "bolt://127.0.0.1:1", "query", "MATCH (n) RETURN n"])
    assert result.exit_code == 3
    assert result.output.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert len(result.output.strip().splitlines()) == 1


def test_extract_prints_guide_keys_and_writes_nothing(tmp_path, monkeypatch):
    from conftest import SEEDS

    monkeypatch.chdir(tmp_path)
    result = invoke(["extract", str(SEEDS / "001_5f754e46b432a733.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines
    keys = ["doc", "subject", "predicate", "object", "polarity", "said_by", "certainty", "when", "evidence"]
    assert all(list(line)[:9] == keys and line["doc"] == "001_5f754e46b432a733.txt" for line in lines)
    assert all({"start", "end", "extractor", "rule", "confidence"} <= set(line) for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_load_without_arguments_is_a_usage_error(store_env):
    assert invoke([*store_env, "load"]).exit_code == 2


def test_actor_candidates_are_reported_not_added(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # a person the shipped registry lacks (it holds Khalid Sheikh Mohammed, this test's first subject)
    (corpus / "a.txt").write_text("Tariq Nadeem Qureshi met IRGC officers in Tehran. "
                                  "Tariq Nadeem Qureshi later left for Karachi.", encoding="utf-8")
    rows = json.loads(invoke(["actors", "--candidates", str(corpus), "--json"]).output)
    names = {r["text"] for r in rows}
    assert "Tariq Nadeem Qureshi" in names and not names & {"IRGC", "Tehran"}
    registry = json.loads(invoke(["actors", "--json"]).output)
    assert "Tariq Nadeem Qureshi" not in {r["name"] for r in registry}


def test_extract_explain_says_what_made_each_claim(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("Iran armed Hezbollah.\nIran was quiet in 2001. It later trained Hamas fighters.\n",
                   encoding="utf-8")
    result = invoke(["extract", "--explain", "--registry", "tests/data/extraction/registry.yaml", str(doc)])
    assert result.exit_code == 0
    notes = {(c["subject"], c["predicate"], c["object"]): c["note"] for c in map(json.loads, result.output.splitlines())}
    assert "'Iran'=iran" in notes[("iran", "SUPPORTED", "hezbollah")]
    assert "frame SUPPORTED.active on 'armed'" in notes[("iran", "SUPPORTED", "hezbollah")]
    # the pronoun of the second sentence, resolved to the only actor before it
    assert "resolved: 'It'=iran" in notes[("iran", "TRAINED", "hamas")]


def test_eval_scores_a_passages_file(tmp_path):
    passages = tmp_path / "p.jsonl"
    passages.write_text(json.dumps({"id": "p1", "text": "Iran trained Hamas. Iran funded Hezbollah."}) + "\n",
                        encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "p1", "subject": "iran", "predicate": "TRAINED", "object": "hamas",
                                "polarity": "affirms", "said_by": "author"}) + "\n", encoding="utf-8")
    result = invoke(["eval", "--gold", str(gold), str(passages), "--registry", "tests/data/extraction/registry.yaml",
                     "--no-scorer", "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert (report["overall"]["tp"], report["overall"]["fp"], report["overall"]["fn"]) == (1, 1, 0)
    assert report["false_positives"] == [["p1", "iran", "SUPPORTED", "hezbollah", "affirms"]]


def test_an_os_error_is_one_line_and_exit_1(tmp_path, monkeypatch):
    claims = tmp_path / "c.jsonl"
    claims.write_text(json.dumps({"doc": "a", "subject": "iran", "predicate": "TRAINED", "object": "hamas",
                                  "polarity": "affirms", "said_by": "author", "evidence": "x"}) + "\n")
    (tmp_path / "file").write_text("")
    result = invoke(["import-files", str(tmp_path / "file" / "out"), str(claims)])  # a folder under a file
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1

    import errno

    from graph import pipeline

    def unreadable(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error", "/mnt/corpus/actors.yaml")

    monkeypatch.setattr(pipeline, "find_registry", unreadable)
    for command in (["extract", str(tmp_path)], ["actors"]):  # a command, and a group's own callback
        result = invoke(command)
        assert (result.exit_code, result.output) == (1, "error: /mnt/corpus/actors.yaml: Input/output error\n")


def test_eval_without_arguments_works_as_installed_from_a_wheel(tmp_path):
    """The package laid out as pyproject.toml's wheel lays it out (its force-include entries
    under graph/_shipped/), away from the source checkout: `graphctl eval` scores the seeds."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    tomllib = pytest.importorskip("tomllib")
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "graph", site / "graph", ignore=shutil.ignore_patterns("__pycache__", "_shipped"))
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    for source, target in wheel["targets"]["wheel"]["force-include"].items():
        copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy
        copy(ROOT / source, site / target)
    program = "import sys, graph; assert graph.__file__.startswith(sys.argv[1]), graph.__file__; " \
              "from graph.cli import main; sys.argv[1:] = ['eval', '--json']; main()"
    run = subprocess.run([sys.executable, "-c", program, str(site)], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(site)}, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["overall"]["tp"] > 100 and len(report["contested_links_found"]) == 7


def test_eval_of_documents_without_gold_is_one_line():
    result = invoke(["eval", "seeds/"])
    assert (result.exit_code, result.output) == \
        (2, "error: give --gold GOLD for the documents given: the shipped gold is about the seeds\n")


def test_an_unexpected_error_is_one_line_and_exit_1(monkeypatch):
    from graph import queries

    def broken():
        raise KeyError("a bug")

    monkeypatch.setattr(queries, "shipped_queries", broken)
    result = invoke(["queries"])
    assert result.exit_code == 1
    assert result.output == "error: internal error: KeyError: 'a bug' (GRAPHCTL_DEBUG=1 shows where)\n"
    monkeypatch.setenv("GRAPHCTL_DEBUG", "1")
    with pytest.raises(KeyError):
        invoke(["queries"])


def test_an_undecodable_file_read_without_a_check_is_one_line(tmp_path, seeds_copy, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)  # the embedded store named by --db
    (seeds_copy / "review.jsonl").write_bytes(b"\xff\xfe\x00not text\n")
    result = invoke(["--db", str(tmp_path / "g.lbug"), "load", str(seeds_copy)])
    assert result.exit_code == 1 and result.output.startswith("error: a file is not UTF-8 text")
    assert len(result.output.splitlines()) == 1


def test_a_failed_bulk_write_is_exit_3_and_one_line(tmp_path, seeds_copy, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)  # the embedded store named by --db: the one that COPYs
    monkeypatch.setattr("graph.store.COPY_MIN_ROWS", 1)
    monkeypatch.setattr("graph.store.DOCUMENT_FIELDS", ["name"])  # rows the Document table won't take
    result = invoke(["--db", str(tmp_path / "g.lbug"), "load", str(seeds_copy)])
    assert result.exit_code == 3
    assert result.output.startswith("error: the embedded store failed during COPY into Document")
    assert len(result.output.splitlines()) == 1


def test_review_without_a_terminal_reads_its_keys_from_stdin(loaded, seeds_copy):
    walked = invoke([*loaded, "review", str(seeds_copy)], input="")  # nothing to read: it quits, deciding nothing
    assert walked.exit_code == 0 and "Decide [y,n,c,s,q,?]?" in walked.output
    assert not (seeds_copy / "review.jsonl").exists()
    confirmed = invoke([*loaded, "review", str(seeds_copy)], input="yq")
    assert confirmed.exit_code == 0 and "1 confirm applied" in confirmed.output

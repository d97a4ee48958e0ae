"""Reading at 80 columns: claims, quotes and contested links as blocks (a header line of short
fields, the quote wrapped beneath, as `git log` shows commits), tables for short fields only.

Each command is rendered at 80 and at 200 columns; no word of a quote or a field may be split
across lines or cut to an ellipsis, no line may run past the width, and the output ends with a
newline."""
import json

import pytest
from click.testing import CliRunner

from conftest import GOLD_CLAIMS, SEEDS, STORE_KINDS
from graph.cli import cli
from graph.safetext import printable

WIDTHS = [80, 200]
QUERY = "MATCH (a:Actor)-[r:TRAINED]->(b:Actor) RETURN a.name, r.polarity, r.quote, b.name"


def run(args, width):
    env = {"COLUMNS": str(width), **({"NEO4J_URI": None} if "--db" in args else {})}  # --db: the embedded store
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def words(*texts) -> set[str]:
    return {word for text in texts for word in printable(text or "").split()}


def assert_readable(output: str, width: int, texts: list[str]):
    """Every word of `texts` shows whole; nothing is cut to an ellipsis; lines fit; a final newline."""
    assert output.endswith("\n")
    shown = set(output.split())
    wanted = {word for word in words(*texts) if len(word) < width - 8}  # longer ones must fold
    assert wanted and not wanted - shown, sorted(wanted - shown)[:10]
    cut = {token for token in shown if token.endswith("…") and len(token) > 1} - words(*texts)
    assert not cut, sorted(cut)[:10]
    too_long = [line for line in output.splitlines() if len(line) > width and " " in line.strip()]
    assert not too_long, too_long[:3]


@pytest.fixture(scope="module", params=STORE_KINDS)
def seeds_store(request, tmp_path_factory):
    from conftest import neo4j_or_skip
    from graph.backends import Neo4jBackend
    from graph.store import Store

    if request.param == "neo4j":
        settings = neo4j_or_skip()
        with Store(Neo4jBackend(**settings)) as store:
            store.clear()
        args = ["--uri", settings["uri"]]
    else:
        args = ["--db", str(tmp_path_factory.mktemp("terminal") / "graph.lbug")]
    result = CliRunner().invoke(cli, [*args, "load", str(SEEDS), "--claims", str(GOLD_CLAIMS)],
                                env={"NEO4J_URI": None} if request.param == "embedded" else {})
    assert result.exit_code == 0, result.output
    return args


@pytest.mark.parametrize("width", WIDTHS)
def test_link_shows_each_claim_as_a_block(seeds_store, width):
    claims = json.loads(run([*seeds_store, "link", "iran", "al-qaeda", "--json"], width))
    output = run([*seeds_store, "link", "iran", "al-qaeda"], width)
    assert_readable(output, width, [c["quote"] for c in claims] + [c["document"] for c in claims]
                    + [f"{c['subject']} {c['predicate']} {c['object']} {c['said_by']}" for c in claims])
    first = claims[0]
    header = output.split("\n\n")[1].splitlines()[0]
    assert header.startswith(f"{first['subject']} {first['predicate']} {first['object']} · {first['polarity']}")
    assert output.count("\n\n") >= len(claims)  # one block each


@pytest.mark.parametrize("width", WIDTHS)
def test_contested_shows_each_side_as_blocks(seeds_store, width):
    rows = json.loads(run([*seeds_store, "contested", "--json"], width))
    output = run([*seeds_store, "contested"], width)
    claims = [c for row in rows for c in row["affirming"] + row["denying"]]
    assert_readable(output, width, [c["quote"] for c in claims] + [c["document"] for c in claims]
                    + [f"{r['subject']} {r['predicate']} {r['object']}" for r in rows])
    assert output.count("affirmed by ") == sum(len(r["affirming"]) for r in rows)


@pytest.mark.parametrize("width", WIDTHS)
def test_query_with_long_cells_reads_as_records(seeds_store, width):
    rows = json.loads(run([*seeds_store, "query", QUERY, "--json"], width))
    output = run([*seeds_store, "query", QUERY], width)
    assert_readable(output, width, [value for row in rows for value in row.values()])
    short = run([*seeds_store, "query", "MATCH (a:Actor) RETURN a.id, a.kind ORDER BY a.id LIMIT 3"], width)
    assert short.startswith("┏") and short.endswith("\n")  # short fields stay a table


@pytest.mark.parametrize("width", WIDTHS)
def test_review_list_fits(seeds_store, width, tmp_path):
    output = run([*seeds_store, "review", str(tmp_path), "--list", "--limit", "5"], width)
    rows = json.loads(run([*seeds_store, "review", str(tmp_path), "--list", "--limit", "5", "--json"], width))
    assert_readable(output, width, [r["id"] + " " + r["claim"] for r in rows])
    assert output.count("\n\n") == len(rows)


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("width", WIDTHS)
def test_extract_table_shows_each_claim_as_a_block(width, explain):
    doc = str(SEEDS / "001_5f754e46b432a733.txt")
    flags = ["--explain"] if explain else []
    claims = [json.loads(line) for line in run(["extract", doc, *flags], width).splitlines()]
    output = run(["extract", doc, "--format", "table", *flags], width)
    texts = [" ".join(c["evidence"]) for c in claims] + [f"{c['doc']} {c['subject']} {c['predicate']} {c['object']}"
                                                for c in claims]
    assert_readable(output, width, texts + ([c["note"] for c in claims] if explain else []))


def test_blocks_show_untrusted_text_as_text(tmp_path):
    claims = tmp_path / "x.claims.jsonl"
    claims.write_text(json.dumps({"doc": "d.txt", "subject": "iran", "predicate": "TRAINED", "object": "hezbollah",
                                  "polarity": "affirms", "said_by": "author",
                                  "evidence": "[bold]x[/] :warning: \x1b[31mred " + "word " * 40}) + "\n")
    db = ["--db", str(tmp_path / "g.lbug")]
    run([*db, "load", "--claims", str(claims)], 80)
    for width in WIDTHS:
        output = run([*db, "link", "iran", "hezbollah"], width)
        assert "[bold]x[/] :warning: ?[31mred" in output and "\x1b" not in output


def test_actors_json_gives_the_aliases():
    actors = json.loads(run(["actors", "--json"], 80))
    iran = next(a for a in actors if a["id"] == "iran")
    assert "Tehran" in iran["aliases"]

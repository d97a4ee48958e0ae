"""The HTML network view and the data exports, on both stores, with the gold claims."""
import csv
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import views
from graph.claimsio import read_claims
from graph.cli import cli
from graph.errors import GraphctlError
from graph.model import Actor, Claim, Document, Source
from graph.views import ViewFilter, build_view, export
from conftest import GOLD_CLAIMS

CONTESTED = {
    ("al-qaeda", "COOPERATED_WITH", "iran"), ("iran", "SUPPORTED", "al-qaeda"), ("irgc", "TRAINED", "al-qaeda"),
    ("iran", "OPPOSED", "al-qaeda"), ("al-qaeda", "OPPOSED", "iran"), ("iran", "SUPPORTED", "iraqi-resistance"),
    ("israel", "OPPOSED", "russia"),
}
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture
def gold_store(store, registry):
    store.write_actors(registry.actors.values())
    store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
    return store


@pytest.fixture
def gold():
    return read_claims(GOLD_CLAIMS)


def triples(view):
    return {(link.subject, link.predicate, link.object) for link in view.links}


def stored_links(store, where="true"):
    rows = store.query(f"MATCH (l:Link) WHERE {where} RETURN l.subject, l.predicate, l.object").rows
    return {tuple(row) for row in rows}


# -- the HTML page ----------------------------------------------------------------

def test_html_is_offline_and_states_its_counts(gold_store, tmp_path):
    summary = export(gold_store, "html", tmp_path / "out" / "network.html", ViewFilter())
    html = summary.path.read_text(encoding="utf-8")
    assert (summary.nodes, summary.edges, summary.claims) == (92, 157, 234)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert "bootstrap" not in html.lower()
    assert "vis.Network" in html and "new vis.DataSet" in html  # vis-network is inside the page
    assert f'data-actors="{summary.nodes}"' in html and f'data-edges="{summary.edges}"' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert f"{summary.nodes} actors" in title and f"{summary.edges} edges" in title
    header = re.search(r'<header id="header">(.*?)</header>', html, re.S).group(1)
    assert f"<b>{summary.nodes}</b> actors" in header and f"<b>{summary.edges}</b> edges" in header
    assert f"<b>{summary.claims}</b> claims" in header
    assert gold_store.kind in header and gold_store.location in header
    assert re.search(r'<time id="made">\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>', header)


def test_html_edges_carry_state_width_dashes_and_arrows(gold_store):
    data = views.network_data(build_view(gold_store))
    links = {(l["subject"], l["predicate"], l["object"]): (edge_id, l) for edge_id, l in data["links"].items()}
    edges = {e["id"]: e for e in data["edges"]}
    edge_id, link = links[("irgc", "TRAINED", "al-qaeda")]
    assert link["state"] == "contested"
    assert edges[edge_id]["color"]["color"] == views.STATE_COLOURS["contested"]
    assert edges[edge_id]["arrows"]["to"]["enabled"] is True
    assert edges[edge_id]["width"] > 1.5  # more than one speaker
    cooperation = next(e for e in data["edges"] if data["links"][e["id"]]["predicate"] == "COOPERATED_WITH")
    assert cooperation["arrows"]["to"]["enabled"] is False
    tentative = [e for e in data["edges"] if data["links"][e["id"]]["tentative"]]
    assert tentative and all(e["dashes"] for e in tentative)
    assert all(not e["dashes"] for e in data["edges"] if not data["links"][e["id"]]["tentative"])
    assert sum(len(l["claims"]) for l in data["links"].values()) == 234
    assert "title" not in json.dumps(data["edges"]) and all("title" not in n for n in data["nodes"])
    assert {n["shape"] for n in data["nodes"]} >= {"square", "dot", "triangle"}


def test_one_edge_per_link_and_cooperation_meets_in_both_directions(gold_store, gold):
    view = build_view(gold_store)
    assert {link.key for link in view.links} == {c.link_key for c in gold}
    assert len(view.links) == len(stored_links(gold_store))
    cooperation = next(l for l in view.links if l.key == "russia|COOPERATED_WITH|united-states")
    assert {(c["subject"], c["object"]) for c in cooperation.claims} == {
        ("russia", "united-states"), ("united-states", "russia")}


# -- filters -------------------------------------------------------------------------------

def test_contested_only_gives_the_seven_contested_links(gold_store, tmp_path):
    view = build_view(gold_store, ViewFilter(contested_only=True))
    assert triples(view) == CONTESTED == stored_links(gold_store, "l.contested = true")
    assert all(link.state == "contested" for link in view.links)
    summary = export(gold_store, "html", tmp_path / "contested.html", ViewFilter(contested_only=True))
    assert (summary.nodes, summary.edges) == (6, 7)


def test_actor_and_depth_filter(gold_store):
    everything = build_view(gold_store)
    graph = nx.Graph([(l.subject, l.object) for l in everything.links])
    one = build_view(gold_store, ViewFilter(actor="quds-force"))
    two = build_view(gold_store, ViewFilter(actor="quds-force", depth=2))
    near = set(nx.single_source_shortest_path_length(graph, "quds-force", cutoff=1))
    assert set(one.nodes) == near
    assert {l.key for l in one.links} == {l.key for l in everything.links if {l.subject, l.object} <= near}
    assert set(two.nodes) == set(nx.single_source_shortest_path_length(graph, "quds-force", cutoff=2))
    assert set(one.nodes) < set(two.nodes)
    assert build_view(gold_store, ViewFilter(actor="Quds Force")).nodes == one.nodes  # by name too
    contested_irgc = build_view(gold_store, ViewFilter(actor="irgc", contested_only=True))
    assert triples(contested_irgc) == {("irgc", "TRAINED", "al-qaeda")}


def test_predicate_filter(gold_store):
    view = build_view(gold_store, ViewFilter(predicates=("TRAINED", "HOSTED")))
    assert triples(view) == stored_links(gold_store, "l.predicate IN ['TRAINED', 'HOSTED']")
    assert {l.predicate for l in view.links} == {"TRAINED", "HOSTED"}
    both = build_view(gold_store, ViewFilter(predicates=("TRAINED",), contested_only=True))
    assert triples(both) == {("irgc", "TRAINED", "al-qaeda")}


def test_source_filter_shows_what_one_document_claims(gold_store, gold):
    name = "002_31fe207d7c0f4eec.txt"
    view = build_view(gold_store, ViewFilter(source=name))
    assert {c["doc"] for c in view.claims} == {name}
    assert sorted(c["id"] for c in view.claims) == sorted(c.id for c in gold if c.doc == name)
    with pytest.raises(GraphctlError, match="no document named 'nope.txt'"):
        build_view(gold_store, ViewFilter(source="nope.txt"))


def test_min_sources(gold_store):
    view = build_view(gold_store, ViewFilter(min_sources=2))
    assert view.links and all(link.speakers >= 2 for link in view.links)
    assert triples(view) == stored_links(gold_store, "l.speakers >= 2")
    assert len(build_view(gold_store, ViewFilter(min_sources=3)).links) < len(view.links)


def test_rollup_moves_quds_force_claims_onto_iran(gold_store, gold):
    plain = build_view(gold_store)
    assert "quds-force" in plain.nodes
    view = build_view(gold_store, ViewFilter(rollup=True))
    assert "quds-force" not in view.nodes and "irgc" not in view.nodes
    by_id = {c["id"]: c for c in view.claims}
    moved = [c for c in gold if c.subject == "quds-force" and c.id in by_id]
    assert moved, "quds-force's claims on other actors appear in the rolled-up view"
    for claim in moved:
        rolled = by_id[claim.id]
        assert rolled["subject"] == "iran" and rolled["rolled_up"] and rolled["unit_subject"] == "quds-force"
    supported = next(l for l in view.links if l.key == "iran|SUPPORTED|al-qaeda")
    assert supported.rolled_up and any(c.get("unit_subject") == "quds-force" for c in supported.claims)
    # a unit's claims about its own parent would be loops: left out, and said so
    internal = [c for c in gold if c.subject == "quds-force" and c.object in ("irgc", "iran")]
    assert internal and not any(c.id in by_id for c in internal)
    assert view.internal > 0 and "left out" in view.describe()
    assert all(link.subject != link.object for link in view.links)
    around = build_view(gold_store, ViewFilter(rollup=True, actor="quds-force"))
    assert "iran" in around.nodes


def test_unknown_actor_is_an_error_with_a_suggestion(gold_store):
    with pytest.raises(GraphctlError, match="did you mean quds-force"):
        build_view(gold_store, ViewFilter(actor="quds-forse"))


# -- data exports ----------------------------------------------------------------------------

def test_graphml_has_one_edge_per_claim(gold_store, gold, tmp_path):
    summary = export(gold_store, "graphml", tmp_path / "g.graphml", ViewFilter())
    graph = nx.read_graphml(summary.path, force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges() == summary.edges == summary.claims == 234
    ids = [d["claim_id"] for _, _, d in graph.edges(data=True)]
    assert sorted(ids) == sorted(c.id for c in gold)
    edge = next(d for _, _, d in graph.edges(data=True) if d["predicate"] == "TRAINED")
    assert {"polarity", "said_by", "certainty", "quote", "doc", "link_key", "link_state"} <= set(edge)
    assert graph.nodes["iran"]["kind"] == "state" and graph.nodes["iran"]["name"] == "Iran"


def test_gexf_json_and_csv_keep_every_claim(gold_store, tmp_path):
    gexf = export(gold_store, "gexf", tmp_path / "g.gexf", ViewFilter())
    assert nx.read_gexf(gexf.path).number_of_edges() == 234
    data = json.loads(export(gold_store, "json", tmp_path / "g.json", ViewFilter()).path.read_text("utf-8"))
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.is_multigraph() and graph.number_of_edges() == 234
    assert all(isinstance(d["evidence"], list) for _, _, d in graph.edges(data=True))
    path = export(gold_store, "csv", tmp_path / "g.csv", ViewFilter(contested_only=True)).path
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 46  # the contested links' claims, the unnamed one on iran-al-qaeda cooperation included
    assert {(r["subject_name"], r["predicate"], r["object_name"]) for r in rows} >= {
        ("Islamic Revolutionary Guard Corps", "TRAINED", "al-Qaeda")}


def test_data_exports_apply_the_filters(gold_store, tmp_path):
    summary = export(gold_store, "graphml", tmp_path / "t.graphml", ViewFilter(predicates=("TRAINED",), rollup=True))
    graph = nx.read_graphml(summary.path, force_multigraph=True)
    assert {d["predicate"] for _, _, d in graph.edges(data=True)} == {"TRAINED"}
    assert "quds-force" not in graph and "irgc" not in graph
    assert any(d.get("unit_subject") == "irgc" and d["rolled_up"] for _, _, d in graph.edges(data=True))


# -- safety ---------------------------------------------------------------------------------

def hostile_store(store, registry):
    """The gold, plus a document whose title, outlet and quote carry markup and scripts."""
    store.write_actors(list(registry.actors.values()) + [
        Actor(id="evil-actor", name='<img src=x onerror="window.__pwned=3">', kind="person")])
    store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
    document = Document(name="evil.txt", text="Iran trained al-Qaeda. " + PAYLOAD, source=Source(
        title='<a href="javascript:window.__pwned=4">href</a> title', outlet='<img src=y onerror="window.__pwned=5">'))
    claims = [
        Claim(doc="evil.txt", subject="iran", predicate="TRAINED", object="al-qaeda", evidence=[PAYLOAD],
              doc_id=document.id, said_by="evil-actor"),
        Claim(doc="evil.txt", subject="evil-actor", predicate="SUPPORTED", object="al-qaeda", polarity="denies",
              evidence=["</script><script>window.__pwned=6</script>"], doc_id=document.id),
    ]
    store.replace_document(document, claims)
    return store


def test_hostile_text_is_only_ever_escaped(store, registry, tmp_path):
    hostile_store(store, registry)
    html = export(store, "html", tmp_path / "evil.html", ViewFilter()).path.read_text("utf-8")
    assert "<script>window.__pwned" not in html
    assert 'onerror="window.__pwned' not in html and "<img src" not in html
    assert "</script><script>" not in html
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in html
    data_block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1)
    data = json.loads(data_block)
    quotes = [c["quote"] for link in data["links"].values() for c in link["claims"]]
    assert PAYLOAD in quotes  # intact, as data
    assert html.count("</script>") == 3  # the data block, vis-network and the page's script: nothing else closes


def test_hostile_filter_values_are_escaped_in_the_title(gold_store, tmp_path, monkeypatch):
    monkeypatch.setattr(views.ViewFilter, "describe", lambda self: "<script>window.__pwned=7</script>")
    html = export(gold_store, "html", tmp_path / "t.html", ViewFilter()).path.read_text("utf-8")
    assert "<script>window.__pwned=7" not in html and "&lt;script&gt;window.__pwned=7" in html


def test_size_guard_refuses_a_page_too_big_to_show(gold_store, tmp_path, monkeypatch):
    monkeypatch.setattr(views, "MAX_HTML_EDGES", 100)
    target = tmp_path / "big.html"
    with pytest.raises(GraphctlError, match="157 edges.*--contested-only.*--actor.*--min-sources") as error:
        export(gold_store, "html", target, ViewFilter())
    assert "100" in str(error.value)
    assert not target.exists()
    assert export(gold_store, "html", target, ViewFilter(contested_only=True)).edges == 7
    assert export(gold_store, "graphml", tmp_path / "big.graphml", ViewFilter()).edges == 234  # data exports: no limit


def test_writes_are_atomic_and_create_the_folder(gold_store, tmp_path, monkeypatch):
    target = tmp_path / "new" / "folder" / "network.html"
    export(gold_store, "html", target, ViewFilter(contested_only=True))
    before = target.read_bytes()

    def broken(view, store):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(views, "render_html", broken)
    with pytest.raises(RuntimeError):
        export(gold_store, "html", target, ViewFilter())
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["network.html"]  # no temporary file left


def test_unknown_format(gold_store, tmp_path):
    with pytest.raises(GraphctlError, match="unknown export format"):
        export(gold_store, "pdf", tmp_path / "x.pdf", ViewFilter())


def test_cli_export(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    db = str(tmp_path / "cli.lbug")
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--db", db, "load", "--claims", str(GOLD_CLAIMS)])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(cli, ["--db", db, "export", "html", "-o", str(tmp_path / "o" / "n.html"),
                                 "--contested-only", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["edges"] == 7
    refused = runner.invoke(cli, ["--db", db, "export", "html", "-o", str(tmp_path / "o" / "m.html"),
                                  "--actor", "nobody-at-all"])
    assert refused.exit_code == 1 and "no actor 'nobody-at-all'" in refused.output

"""Every shipped query, on both stores: it runs, and answers what the gold says."""

import pytest

from graph.claimsio import read_claims
from graph.errors import QueryError
from graph.queries import resolve, shipped_queries, strip_comments
from conftest import GOLD_CLAIMS, canonical, open_test_store

SHIPPED = shipped_queries()


@pytest.fixture
def gold_store(store, registry):
    store.write_actors(registry.actors.values())
    store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
    return store


# contested_links shows a sample of each side's claims where there are more than `quotes`;
# which ones is the engine's choice, so the stores are compared on all of them.
EVERY_CLAIM = {"contested_links": {"quotes": 10_000}}


def run(store, name, **params):
    query = SHIPPED[name]
    return store.query(strip_comments(query.text), query.bind(params)).records()


def test_every_query_file_has_a_header():
    assert len(SHIPPED) >= 9
    for query in SHIPPED.values():
        assert query.description, query.name
        assert query.text.startswith("//"), query.name
        assert set(query.defaults) == set(query.parameters), f"{query.name}: give every parameter a default"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_query_runs_and_returns_rows(gold_store, name):
    assert run(gold_store, name), f"{name} returned no rows on the gold claims"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_query_gives_the_same_rows_on_both_stores(name, registry, tmp_path):
    results = []
    for kind in ("embedded", "neo4j"):
        store = open_test_store(kind, tmp_path)
        try:
            store.write_actors(registry.actors.values())
            store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
            results.append(canonical(run(store, name, **EVERY_CLAIM.get(name, {}))))
        finally:
            store.close()
    assert results[0] == results[1]


def test_contested_links_are_the_seven_of_the_gold(gold_store):
    rows = run(gold_store, "contested_links")
    links = sorted((r["subject"], r["predicate"], r["object"]) for r in rows)
    assert links == sorted([
        ("al-qaeda", "COOPERATED_WITH", "iran"), ("iran", "SUPPORTED", "al-qaeda"),
        ("irgc", "TRAINED", "al-qaeda"), ("iran", "OPPOSED", "al-qaeda"), ("al-qaeda", "OPPOSED", "iran"),
        ("iran", "SUPPORTED", "iraqi-resistance"), ("israel", "OPPOSED", "russia"),
    ])
    for row in rows:
        assert row["affirming"] and row["denying"]
        speakers = {c["said_by"] + c["document"] for c in row["affirming"] + row["denying"]}
        assert len(speakers) >= 2
    irgc = next(r for r in rows if r["subject"] == "irgc")
    assert {c["said_by"] for c in irgc["denying"]} == {"irgc"}


def test_links_in_tension_are_the_five_pairs_of_the_gold(gold_store):
    pairs = [r["pair"] for r in run(gold_store, "links_in_tension")]
    assert pairs == ["al-qaeda|iran", "al-qaeda|united-states", "iran|osama-bin-laden", "iran|taliban",
                     "iran|united-states"]


def test_rollup_counts_quds_force_claims_for_irgc_and_iran(gold_store):
    rows = run(gold_store, "rollup")
    parents = {r["rolled_up_to"] for r in rows if r["from_unit"] == "quds-force"}
    assert parents == {"irgc", "iran"}
    quds = gold_store.query("MATCH (c:Claim) WHERE c.subject = 'quds-force' OR c.object = 'quds-force' "
                            "RETURN count(c)").rows[0][0]
    for parent in ("irgc", "iran"):
        rolled = sum(r["claims"] for r in rows if r["from_unit"] == "quds-force" and r["rolled_up_to"] == parent)
        assert rolled == quds
    # shown apart: the parent's own profile does not count its units' claims
    own = sum(r["claims"] for r in run(gold_store, "actor_profile", actor="irgc"))
    direct = gold_store.query("MATCH (c:Claim) WHERE c.subject = 'irgc' OR c.object = 'irgc' RETURN count(c)").rows[0][0]
    assert own == direct


def test_contested_links_show_at_most_quotes_claims_a_side_and_count_them_all(gold_store):
    full = {(r["subject"], r["predicate"], r["object"]): r for r in run(gold_store, "contested_links", quotes=10_000)}
    for row in run(gold_store, "contested_links", quotes=2):
        whole = full[(row["subject"], row["predicate"], row["object"])]
        assert (row["affirms"], row["denies"]) == (len(whole["affirming"]), len(whole["denying"]))
        for side in ("affirming", "denying"):
            assert len(row[side]) == min(2, len(whole[side]))
            assert all(claim in whole[side] for claim in row[side])
    assert any(len(r["affirming"]) > 2 for r in full.values())  # the cap was put to the test


def test_link_claims_cover_both_directions(gold_store):
    rows = run(gold_store, "link_claims", a="iran", b="al-qaeda")
    directions = {(r["subject"], r["object"]) for r in rows}
    assert directions == {("iran", "al-qaeda"), ("al-qaeda", "iran")}


def test_actor_profile_counts_in_and_out(gold_store):
    rows = run(gold_store, "actor_profile", actor="irgc")
    assert {r["direction"] for r in rows} == {"in", "out"}
    trained = [r for r in rows if r["direction"] == "out" and r["predicate"] == "TRAINED" and r["other"] == "al-qaeda"]
    assert {r["polarity"] for r in trained} == {"affirms", "denies"}


def test_paths_are_shortest_first_and_respect_depth(gold_store):
    rows = run(gold_store, "paths_between", **{"from": "irgc", "to": "taliban", "depth": 2})
    assert rows and max(r["hops"] for r in rows) <= 2
    assert rows[0]["route"].startswith("irgc > ") and rows[0]["route"].endswith(" > taliban")


def test_timeline_is_in_year_order(gold_store):
    years = [r["year"] for r in run(gold_store, "timeline")]
    assert years == sorted(years)


def test_designations_are_only_designations(gold_store):
    rows = run(gold_store, "designations")
    assert rows and {r["target"] for r in rows} >= {"Islamic Revolutionary Guard Corps"}


def test_source_agreement_counts_disagreements(gold_store):
    rows = run(gold_store, "source_agreement", by="speaker")
    assert any(r["disagree"] > 0 for r in rows)
    assert all(r["agree"] + r["disagree"] >= r["shared_links"] for r in rows)


def test_unknown_parameter_is_refused():
    with pytest.raises(QueryError, match="takes no parameter"):
        SHIPPED["actor_profile"].bind({"nope": 1})


def test_resolve_by_name_path_or_text():
    assert resolve("contested_links")[1].name == "contested_links"
    assert resolve("MATCH (n) RETURN n")[1] is None
    with pytest.raises(QueryError):
        resolve("no_such_query")


def test_the_seeds_give_equal_counts_and_rows_on_both_stores(registry, tmp_path, seeds_copy):
    from graph.pipeline import load

    results = []
    for kind in ("embedded", "neo4j"):
        store = open_test_store(kind, tmp_path)
        try:
            summary = load(store, [seeds_copy], registry=registry)
            rows = {name: canonical(run(store, name, **EVERY_CLAIM.get(name, {}))) for name in SHIPPED}
            results.append((summary.counts, summary.claims_extracted, rows))
        finally:
            store.close()
    assert results[0] == results[1]

"""Loading folders: idempotence, changed documents, curated claims, extract-then-load."""
import io
import json
from pathlib import Path

import pytest

from graph.claimsio import read_claims, write_claims
from graph.errors import InputError, UnknownActorError
from graph.extraction import extract_many
from graph.pipeline import find_registry, load, read_documents
from graph.documents import scan
from conftest import GOLD_CLAIMS, SEEDS


def graph_snapshot(store):
    claims = store.query("MATCH (c:Claim) RETURN c.id ORDER BY c.id").rows
    edges = store.query("MATCH (a:Actor)-[r]->(b:Actor) RETURN count(r)").rows
    return store.counts(), claims, edges


def test_loading_the_seeds_twice_changes_no_count(store, seeds_copy):
    first = load(store, [seeds_copy])
    assert first.documents_loaded == 5 and first.claims_extracted > 0
    before = graph_snapshot(store)
    second = load(store, [seeds_copy])
    assert second.documents_unchanged == 5 and second.documents_loaded == 0
    assert graph_snapshot(store) == before


def test_a_changed_document_replaces_its_own_claims_only(store, seeds_copy):
    load(store, [seeds_copy])
    other_docs = "MATCH (c:Claim) WHERE c.doc <> '000_a580ad70fb27098a.txt' RETURN c.id ORDER BY c.id"
    untouched = store.query(other_docs).rows
    path = seeds_copy / "000_a580ad70fb27098a.txt"
    path.write_text("The IRGC trained Hezbollah fighters in Lebanon.\n", encoding="utf-8")
    summary = load(store, [seeds_copy])
    assert summary.documents_loaded == 1 and summary.documents_unchanged == 4
    assert store.query(other_docs).rows == untouched
    rows = store.query("MATCH (c:Claim) WHERE c.doc = '000_a580ad70fb27098a.txt' "
                       "RETURN c.subject, c.predicate, c.object").rows
    assert rows == [["irgc", "TRAINED", "hezbollah"]]


def test_a_registry_change_re_extracts_what_it_read(store, seeds_copy):
    """The extractor version (rules, registry, scorer digests) is stored with each document:
    a load after the registry changed reads every document again instead of keeping stale claims."""
    load(store, [seeds_copy])
    registry = seeds_copy / "actors.yaml"
    text = registry.read_text(encoding="utf-8")
    assert '"Taleban"]' in text
    registry.write_text(text.replace('"Taleban"]', '"Taleban", "Islamic Emirate of Afghanistan"]'), encoding="utf-8")
    summary = load(store, [seeds_copy])
    assert summary.documents_loaded == 5 and summary.documents_unchanged == 0
    again = load(store, [seeds_copy])
    assert again.documents_unchanged == 5 and again.documents_loaded == 0
    versions = {extractor for _, extractor in store.document_versions().values()}
    assert len(versions) == 1 and "+rules." in versions.pop()


def test_documents_carry_their_source_metadata(store, seeds_copy):
    load(store, [seeds_copy])
    rows = store.query("MATCH (d:Document {name: '003_0dd4d40f53b33c38.txt'}) RETURN d.outlet, d.reliability").rows
    assert rows == [["The Duran", "F"]]


def test_gold_claims_load_beside_the_extracted_ones_marked_curated(store, seeds_copy):
    summary = load(store, [seeds_copy], [GOLD_CLAIMS])
    curated = store.query("MATCH (c:Claim) WHERE c.curated = true RETURN count(c)").rows[0][0]
    assert curated == summary.curated_claims == 234
    assert summary.counts["contested_links"] >= 7


def test_extract_then_load_equals_a_direct_load(store, seeds_copy, registry, tmp_path):
    load(store, [seeds_copy], discover=False)  # extract finds no provisional actors (graph/discovery.py)
    direct = store.query("MATCH (c:Claim) RETURN c.id, c.link_key ORDER BY c.id").rows
    direct_counts = store.counts()
    store.clear()

    corpus = scan([seeds_copy])
    buffer = io.StringIO()
    for _, claims in extract_many(read_documents(corpus, {}, 10**7, []), registry):
        write_claims(claims, buffer)
    claims_file = tmp_path / "extracted.claims.jsonl"
    claims_file.write_text(buffer.getvalue(), encoding="utf-8")
    load(store, [], [claims_file], registry=registry)
    assert store.query("MATCH (c:Claim) RETURN c.id, c.link_key ORDER BY c.id").rows == direct
    assert store.counts() == direct_counts


def test_unknown_actor_in_curated_claims_is_refused_before_anything_is_written(store, tmp_path):
    bad = tmp_path / "bad.claims.jsonl"
    bad.write_text(json.dumps({"doc": "x.txt", "subject": "iran", "predicate": "TRAINED",
                               "object": "martians", "polarity": "affirms"}) + "\n", encoding="utf-8")
    with pytest.raises(UnknownActorError) as error:
        load(store, [], [bad])
    assert "bad.claims.jsonl:1" in str(error.value) and "object" in str(error.value)
    assert store.counts()["claims"] == 0 and store.counts()["actors"] == 0
    load(store, [], [bad], allow_new_actors=True)
    assert store.query("MATCH (a:Actor {id: 'martians'}) RETURN a.id").rows == [["martians"]]
    assert store.counts()["claims"] == 1


@pytest.mark.parametrize("line, field", [
    ('{"doc": "x.txt", "subject": "iran", "predicate": "LOVED", "object": "iraq", "polarity": "affirms"}', "predicate"),
    ('{"doc": "x.txt", "subject": "iran", "predicate": "TRAINED", "object": "iraq", "polarity": "maybe"}', "polarity"),
    ('{"doc": "x.txt", "predicate": "TRAINED", "object": "iraq", "polarity": "affirms"}', "subject"),
    ('{"doc": "x.txt", "subject": "iran", "predicate": "TRAINED", "object": "iraq", "polarity": "affirms", '
     '"certainty": "sure"}', "certainty"),
    ('{"doc": "x.txt", "subject": "iran", "predicate": "TRAINED", "object": "iraq", "polarity": "affirms", '
     '"evidence": 3}', "evidence"),
])
def test_malformed_claims_file_names_line_and_field(store, tmp_path, line, field):
    path = tmp_path / "bad.claims.jsonl"
    good = '{"doc": "x.txt", "subject": "iran", "predicate": "TRAINED", "object": "iraq", "polarity": "affirms"}'
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load(store, [], [path])
    assert (error.value.line, error.value.field) == (2, field)
    assert store.counts()["claims"] == 0


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "bad.claims.jsonl"
    path.write_text('{"doc": \n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_claims(path)
    assert error.value.line == 1


def test_the_registry_of_the_folder_is_used(seeds_copy):
    (seeds_copy / "actors.yaml").write_text("- id: iran\n  name: Iran\n  kind: state\n", encoding="utf-8")
    assert list(find_registry([seeds_copy]).actors) == ["iran"]
    assert "irgc" in find_registry([SEEDS]).actors


def test_an_article_about_the_houthis_with_the_shipped_registry_alone():
    """The actors issue's article: none of its actors is in the seeds' registry."""
    from graph.actors import Registry
    from graph.documents import read_document
    from graph.extraction import Extractor
    from graph.pipeline import SHIPPED_REGISTRY

    claims = Extractor(Registry.from_yaml(SHIPPED_REGISTRY)).extract(
        read_document(Path(__file__).parent / "data" / "articles" / "houthis.txt"))
    found = {(c.subject, c.predicate, c.object, c.polarity, c.said_by) for c in claims}
    assert ("irgc", "SUPPORTED", "houthis", "affirms", "united-nations") in found  # the UN's panel of experts
    assert ("iran", "SUPPORTED", "houthis", "denies", "iran") in found              # Tehran's denial
    assert ("us-state-department", "DESIGNATED", "houthis", "affirms", "author") in found
    assert ("saudi-arabia", "OPPOSED", "houthis", "affirms", "author") in found

"""One behaviour suite, run on the embedded store and on Neo4j."""
import pytest

from graph.claimsio import read_claims
from graph.backends import Backend, Capabilities
from graph.errors import QueryError, StoreError, StoreWriteError
from graph.model import Claim, Document
from conftest import GOLD_CLAIMS


def doc(name="a.txt", text="Iran trained al-Qaeda. The IRGC denied it."):
    return Document(name=name, text=text)


def claim(document, **fields):
    base = dict(doc=document.name, doc_id=document.id, subject="iran", predicate="TRAINED", object="al-qaeda",
                evidence=["Iran trained al-Qaeda."], extractor="test")
    base.update(fields)
    return Claim(**base)


@pytest.fixture
def ready(store, registry):
    store.write_actors(registry.actors.values())
    return store


def test_actors_and_their_structure_are_written_once(ready, registry):
    ready.write_actors(registry.actors.values())
    assert ready.counts()["actors"] == len(registry)
    rows = ready.query("MATCH (:Actor {id: 'quds-force'})-[:UNIT_OF]->(p:Actor) RETURN p.id").rows
    assert rows == [["irgc"]]


def test_claims_become_typed_edges_a_user_can_match(ready):
    document = doc()
    ready.replace_document(document, [claim(document)])
    rows = ready.query("MATCH (a)-[r:TRAINED]->(b) RETURN a.name, r.polarity, r.quote, b.name").rows
    assert rows == [["Iran", "affirms", "Iran trained al-Qaeda.", "al-Qaeda"]]


def test_claim_is_linked_to_document_subject_object_and_speaker(ready):
    document = doc()
    ready.replace_document(document, [claim(document, polarity="denies", said_by="irgc")])
    rows = ready.query(
        "MATCH (d:Document)<-[:IN_DOCUMENT]-(c:Claim)-[:SUBJECT]->(s:Actor) "
        "MATCH (c)-[:OBJECT]->(o:Actor) MATCH (c)-[:SAID_BY]->(w:Actor) "
        "RETURN d.name, d.id, s.id, o.id, w.id, c.polarity").rows
    assert rows == [["a.txt", document.id, "iran", "al-qaeda", "irgc", "denies"]]


def test_replacing_a_document_is_idempotent(ready):
    document = doc()
    claims = [claim(document), claim(document, polarity="denies", said_by="irgc")]
    ready.replace_document(document, claims)
    first = ready.counts()
    ready.replace_document(document, claims)
    assert ready.counts() == first
    assert first["claims"] == 2 and first["links"] == 1 and first["contested_links"] == 1


def test_a_changed_document_replaces_its_own_claims_and_nothing_else(ready):
    a, b = doc("a.txt"), doc("b.txt", "Iran hosted al-Qaeda.")
    ready.replace_document(a, [claim(a)])
    ready.replace_document(b, [claim(b, predicate="HOSTED", evidence=["Iran hosted al-Qaeda."])])
    changed = doc("a.txt", "Iran supported al-Qaeda.")
    ready.replace_document(changed, [claim(changed, predicate="SUPPORTED")])
    rows = ready.query("MATCH (c:Claim) RETURN c.doc, c.predicate ORDER BY c.doc").rows
    assert rows == [["a.txt", "SUPPORTED"], ["b.txt", "HOSTED"]]
    edges = ready.query("MATCH (:Actor)-[r:TRAINED]->(:Actor) RETURN count(r)").rows
    assert edges == [[0]]
    assert ready.counts()["links"] == 2
    assert ready.document_hashes() == {"a.txt": changed.id, "b.txt": b.id}


def test_link_counts_follow_the_claims(ready):
    a, b = doc("a.txt"), doc("b.txt")
    ready.replace_document(a, [claim(a)])
    ready.replace_document(b, [claim(b, polarity="denies")])
    link = ready.query("MATCH (l:Link) RETURN l.claims, l.affirms, l.denies, l.speakers, l.contested").rows
    assert link == [[2, 1, 1, 2, True]]
    ready.replace_document(b, [])
    link = ready.query("MATCH (l:Link) RETURN l.claims, l.affirms, l.denies, l.speakers, l.contested").rows
    assert link == [[1, 1, 0, 1, False]]
    ready.replace_document(a, [])
    assert ready.counts()["links"] == 0


def test_one_speaker_contradicting_itself_is_not_contested(ready):
    a = doc()
    ready.replace_document(a, [claim(a, when="1990s"), claim(a, polarity="denies", when="2000s")])
    assert ready.counts()["contested_links"] == 0


def test_a_failed_write_leaves_the_previous_state(ready, monkeypatch):
    a = doc()
    ready.replace_document(a, [claim(a)])
    before = ready.counts()
    changed = doc(text="Iran supported al-Qaeda.")
    original = ready._create_claims

    def fail_midway(rows):
        original(rows)
        raise RuntimeError("simulated crash after the claims were created")

    monkeypatch.setattr(ready, "_create_claims", fail_midway)
    with pytest.raises(RuntimeError):
        ready.replace_document(changed, [claim(changed, predicate="SUPPORTED")])
    monkeypatch.undo()
    assert ready.counts() == before
    assert ready.document_hashes() == {"a.txt": a.id}
    assert ready.query("MATCH (c:Claim) RETURN c.predicate").rows == [["TRAINED"]]


HOSTILE = ["it's \"quoted\"", "back\\slash \\n", "{braces} $param", "') DETACH DELETE n //", "<script>x</script>",
           "emoji 🚀 and ‘curly’ quotes"]


@pytest.mark.parametrize("bulk", [False, True], ids=["unwind", "bulk-copy"])
@pytest.mark.parametrize("text", HOSTILE + ["comma, \"quote\" and\nnew line"])
def test_hostile_strings_round_trip_exactly(ready, text, bulk, monkeypatch):
    if bulk:  # the embedded store's COPY path, which goes through a CSV file
        monkeypatch.setattr("graph.store.COPY_MIN_ROWS", 1)
    document = Document(name=f"{text}.txt", text=text)
    ready.replace_document(document, [claim(document, evidence=[text], note=text, when=text)])
    row = ready.query("MATCH (c:Claim) RETURN c.doc, c.quote, c.note, c.time").rows
    assert row == [[f"{text}.txt", text, text, text]]
    edge = ready.query("MATCH (:Actor)-[r:TRAINED]->(:Actor) RETURN r.quote, r.polarity").rows
    assert edge == [[text, "affirms"]]
    assert ready.counts()["actors"] > 0  # nothing was deleted by the text


def test_curated_claims_replace_their_own_file_only(ready):
    gold = read_claims(GOLD_CLAIMS)
    ready.replace_claim_set("curated:gold.claims.jsonl", gold)
    a = doc()
    ready.replace_document(a, [claim(a)])
    total = ready.counts()["claims"]
    assert total == len(gold) + 1
    ready.replace_claim_set("curated:gold.claims.jsonl", gold[:10])
    assert ready.counts()["claims"] == 11


def test_gold_claims_give_the_seven_contested_links(ready):
    ready.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
    rows = ready.query("MATCH (l:Link) WHERE l.contested = true RETURN l.key ORDER BY l.key").rows
    assert [r[0] for r in rows] == [
        "al-qaeda|COOPERATED_WITH|iran", "al-qaeda|OPPOSED|iran", "iran|OPPOSED|al-qaeda",
        "iran|SUPPORTED|al-qaeda", "iran|SUPPORTED|iraqi-resistance", "irgc|TRAINED|al-qaeda",
        "israel|OPPOSED|russia",
    ]


def test_read_only_queries_refuse_writes_and_change_nothing(ready):
    # both backends check the statement before running it, whether or not the store was opened read-only
    before = ready.counts()
    with pytest.raises(QueryError, match="--write"):
        ready.query("CREATE (n:Actor {id: 'x', name: 'X', kind: 'state'})", write=False)  # a label both engines know
    with pytest.raises(QueryError, match="--write"):
        ready.query("MATCH (a:Actor) SET a.name = 'x' RETURN a", write=False)
    assert ready.counts() == before


def test_a_bad_statement_is_a_query_error(ready):
    with pytest.raises(QueryError):
        ready.query("MATCH (n RETURN n")


def test_bulk_copy_writes_the_same_graph_as_unwind(registry, tmp_path, monkeypatch):
    from graph.backends import EmbeddedBackend
    from graph.store import Store

    snapshots = []
    for name, threshold in (("unwind", 10**9), ("copy", 1)):
        monkeypatch.setattr("graph.store.COPY_MIN_ROWS", threshold)
        with Store(EmbeddedBackend(tmp_path / f"{name}.lbug")) as store:
            store.write_actors(registry.actors.values())
            store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
            claims = store.query("MATCH (c:Claim)-[:IN_DOCUMENT]->(d:Document) MATCH (c)-[:ABOUT]->(l:Link) "
                                 "RETURN c.id, c.quote, c.time, c.time_from, c.confidence, c.curated, d.name, l.key "
                                 "ORDER BY c.id").rows
            edges = store.query("MATCH (a:Actor)-[r]->(b:Actor) WHERE r.claim_id IS NOT NULL "
                                "RETURN a.id, r.claim_id, r.quote, b.id ORDER BY r.claim_id").rows
            speakers = store.query("MATCH (c:Claim)-[:SAID_BY]->(a:Actor) RETURN count(c)").rows
            snapshots.append((store.counts(), claims, edges, speakers))
    assert snapshots[0] == snapshots[1]


# -- the declared backend interface (graph/backends/base.py), on both stores ----------------

def count_actors(backend: Backend) -> int:
    return backend.run("MATCH (a:Actor) RETURN count(a)", write=False).rows[0][0]


def test_both_backends_declare_the_interface_and_their_capabilities(store):
    backend = store.backend
    assert isinstance(backend, Backend) and backend.kind in ("embedded", "neo4j") and backend.location
    assert isinstance(store.capabilities, Capabilities) and store.capabilities.max_batch_claims > 0
    assert store.capabilities.copy == (backend.kind == "embedded")  # Neo4j can't read this machine's files


def test_run_without_write_refuses_a_write_before_it_runs(store):
    backend = store.backend
    for statement in ("CREATE (:Actor {id: 'x', name: 'X', kind: 'state'})",
                      "MERGE (a:Actor {id: 'x'}) RETURN a"):
        with pytest.raises(QueryError, match="--write"):
            backend.run(statement, write=False)
    assert count_actors(backend) == 0
    backend.run("CREATE (:Actor {id: 'x', name: 'X', kind: 'state'})", write=True)
    assert count_actors(backend) == 1


def test_a_transaction_that_raises_leaves_nothing_and_one_that_ends_commits(store):
    backend = store.backend
    with pytest.raises(RuntimeError, match="midway"):
        with backend.transaction():
            backend.run("CREATE (:Actor {id: 'x', name: 'X', kind: 'state'})")
            raise RuntimeError("midway")
    assert count_actors(backend) == 0
    with backend.transaction():
        backend.run("CREATE (:Actor {id: 'y', name: 'Y', kind: 'state'})")
    assert count_actors(backend) == 1


def test_copy_where_the_backend_says_it_can_and_a_failed_copy_is_a_store_error(store):
    backend = store.backend
    columns = list(actor_columns())
    row = [{"id": "x", "name": "X", "kind": "state"}.get(column) for column in columns]
    if not store.capabilities.copy:
        with pytest.raises(StoreError, match="no bulk COPY"):
            backend.copy("Actor", [row])
        return
    with backend.transaction():
        backend.copy("Actor", [row])
    assert backend.run("MATCH (a:Actor) RETURN a.id, a.name").rows == [["x", "X"]]
    with pytest.raises(StoreWriteError) as failed:  # a row short of columns: the engine refuses the file
        with backend.transaction():
            backend.copy("Actor", [["z"]])
    assert failed.value.exit_code == 3 and "COPY into Actor" in str(failed.value)
    assert count_actors(backend) == 1


def actor_columns():
    from graph.backends import SCHEMA

    return SCHEMA["nodes"]["Actor"]["properties"]


def test_a_bulk_write_that_fails_leaves_the_previous_state_and_is_exit_3(registry, tmp_path, monkeypatch):
    from graph.backends import EmbeddedBackend
    from graph.store import Store

    monkeypatch.setattr("graph.store.COPY_MIN_ROWS", 1)
    with Store(EmbeddedBackend(tmp_path / "g.lbug")) as store:
        store.write_actors(registry.actors.values())
        a = doc()
        store.replace_document(a, [claim(a)])
        before = store.counts()
        monkeypatch.setattr("graph.store.DOCUMENT_FIELDS", ["name"])  # rows the table won't take
        with pytest.raises(StoreWriteError) as failed:
            store.replace_document(doc("b.txt"), [])
        assert failed.value.exit_code == 3
        assert store.counts() == before

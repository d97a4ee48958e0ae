"""Review decisions: recorded in the corpus folder, applied by every load, on both stores."""
import json
import shutil

import pytest
from click.testing import CliRunner

from graph import pipeline, review, views
from graph.cli import cli
from graph.errors import InputError
from graph.review import Decision
from conftest import SEEDS

AFFIRMS = "Qasemi said the IRGC trained al-Qaeda.\nCLAIM: irgc TRAINED al-qaeda affirms saeed-qasemi\n"
DENIES = "The IRGC denied it.\nCLAIM: irgc TRAINED al-qaeda denies irgc\n"
LINK = "irgc|TRAINED|al-qaeda"


@pytest.fixture
def corpus(tmp_path, scripted_extraction):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEEDS / "actors.yaml", folder)
    (folder / "a.txt").write_text(AFFIRMS)
    (folder / "b.txt").write_text(DENIES)
    return folder


def claims_of(store) -> dict:
    """Each stored claim by (doc, polarity): its id, review and origin."""
    rows = store.query("MATCH (c:Claim) RETURN c.doc, c.polarity, c.predicate, c.id, c.review, c.origin").rows
    return {(doc, polarity, predicate): {"id": i, "review": r, "origin": o} for doc, polarity, predicate, i, r, o in rows}


def link(store, key=LINK) -> dict:
    rows = store.query("MATCH (l:Link {key: $k}) RETURN l.claims, l.affirms, l.denies, l.speakers, l.contested",
                       {"k": key}).rows
    return dict(zip(("claims", "affirms", "denies", "speakers", "contested"), rows[0])) if rows else {}


def decide(corpus, store, kind, **fields):
    denial = claims_of(store)[("b.txt", "denies", "TRAINED")]["id"]
    review.record(corpus / review.FILE_NAME, Decision(denial, kind, by="tester", was="irgc TRAINED al-qaeda "
                                                      "(denies, irgc) in b.txt", **fields))
    return denial


EXPECTED = {
    # kind: (decision fields, the denial's review, the link's state after)
    "confirm": ({}, "confirmed", {"claims": 2, "affirms": 1, "denies": 1, "speakers": 2, "contested": True}),
    "reject": ({"reason": "not a denial"}, "rejected",
               {"claims": 2, "affirms": 1, "denies": 0, "speakers": 1, "contested": False}),
    "correct": ({"set": {"polarity": "affirms"}}, "replaced",
                {"claims": 3, "affirms": 2, "denies": 0, "speakers": 2, "contested": False}),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_a_decision_holds_when_the_same_corpus_is_loaded_again(store, corpus, kind):
    pipeline.load(store, [corpus])
    assert link(store)["contested"] is True
    fields, state, after = EXPECTED[kind]
    denial = decide(corpus, store, kind, **fields)
    for force in (False, True):  # an unchanged document, and one extracted and written again
        summary = pipeline.load(store, [corpus], force=force)
        assert summary.review["applied"] == {kind: 1} and summary.review["orphaned"] == []
        stored = claims_of(store)
        assert stored[("b.txt", "denies", "TRAINED")] == {"id": denial, "review": state, "origin": "extracted"}
        assert link(store) == after
        assert store.counts()["contested_links"] == int(after["contested"])
    if kind == "correct":
        corrected = stored[("b.txt", "affirms", "TRAINED")]
        assert corrected["review"] == "corrected" and corrected["origin"] == "review:corpus"
        note = store.query("MATCH (c:Claim {id: $id}) RETURN c.review_note", {"id": corrected["id"]}).rows[0][0]
        assert "was irgc TRAINED al-qaeda (denies, irgc)" in note and denial in note


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_a_decision_whose_document_changed_is_reported_orphaned(store, corpus, kind):
    pipeline.load(store, [corpus])
    denial = decide(corpus, store, kind, **EXPECTED[kind][0])
    (corpus / "b.txt").write_text("The IRGC flatly denied it.\nCLAIM: irgc TRAINED al-qaeda denies irgc\n")
    summary = pipeline.load(store, [corpus])
    assert [d["claim"] for d in summary.review["orphaned"]] == [denial]
    assert "irgc TRAINED al-qaeda (denies, irgc) in b.txt" in summary.review["orphaned"][0]["was"]
    # the new claim is not touched by the old decision, and no correction outlives its claim
    assert {c["review"] for c in claims_of(store).values()} == {None}
    assert link(store)["contested"] is True
    assert json.loads((corpus / review.FILE_NAME).read_text())["claim"] == denial  # kept, not dropped


def test_rejected_claims_leave_tension_and_contested_views(store, corpus):
    (corpus / "c.txt").write_text("CLAIM: irgc OPPOSED al-qaeda affirms author\n"
                                  "CLAIM: irgc TRAINED al-qaeda affirms author\n")
    pipeline.load(store, [corpus])
    tension = "MATCH (l:Link) RETURN count(l)"
    from graph.analysis import run_shipped
    assert run_shipped(store, "links_in_tension")
    opposed = claims_of(store)[("c.txt", "affirms", "OPPOSED")]["id"]
    review.record(corpus / review.FILE_NAME, Decision(opposed, "reject", "misread"))
    decide(corpus, store, "confirm")
    pipeline.load(store, [corpus])
    assert run_shipped(store, "links_in_tension") == []
    view = views.build_view(store)
    assert "irgc|OPPOSED|al-qaeda" not in {l.key for l in view.links}
    trained = next(l for l in view.links if l.key == LINK)
    assert trained.state == "contested" and {c.get("review") for c in trained.claims} == {None, "confirmed"}
    assert store.query(tension).rows[0][0] >= 1


@pytest.mark.parametrize("store_env", ["embedded", "neo4j"], indirect=True)
def test_cli_review_then_contested_and_html_show_the_review(store_env, corpus, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, [*store_env, "load", str(corpus)]).exit_code == 0
    listed = json.loads(runner.invoke(cli, [*store_env, "review", str(corpus), "--list", "--json"]).output)
    denial = next(r["id"] for r in listed if "denies" in r["claim"])
    result = runner.invoke(cli, [*store_env, "review", str(corpus), "--claim", denial[:8], "--confirm"])  # a prefix
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, [*store_env, "contested"]).output
    assert "denied by irgc · asserted · b.txt · confirmed" in shown
    assert "(confirmed)" in runner.invoke(cli, [*store_env, "report", "contested"]).output
    assert list(review.read_decisions(corpus / review.FILE_NAME)) == [denial]  # keyed by the whole id
    page = tmp_path / "view.html"
    assert runner.invoke(cli, [*store_env, "export", "html", "-o", str(page)]).exit_code == 0
    assert '"review": "confirmed"' in page.read_text() or '"review":"confirmed"' in page.read_text()
    result = runner.invoke(cli, [*store_env, "review", str(corpus), "--claim", denial, "--reject", "a misreading"])
    assert result.exit_code == 0, result.output
    assert "0 contested" in runner.invoke(cli, [*store_env, "load", str(corpus)]).output
    assert "rejected" in runner.invoke(cli, [*store_env, "link", "irgc", "al-qaeda"]).output


def test_interactive_review_takes_single_keys(corpus, tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    db = ["--db", str(tmp_path / "i.lbug")]
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "load", str(corpus)]).exit_code == 0
    # claims in order of confidence, then document: a.txt's affirmation, then b.txt's denial
    result = runner.invoke(cli, [*db, "review", str(corpus)], input="?ynnot a denial\n")
    assert result.exit_code == 0, result.output
    decisions = review.read_decisions(corpus / review.FILE_NAME)
    assert sorted(d.decision for d in decisions.values()) == ["confirm", "reject"]
    assert "y confirm" in result.output and "irgc TRAINED al-qaeda (denies, irgc) in b.txt" in result.output
    result = runner.invoke(cli, [*db, "review", str(corpus), "--all"], input="creverse\nwrong way round\nq")
    assert result.exit_code == 0, result.output
    corrected = [d for d in review.read_decisions(corpus / review.FILE_NAME).values() if d.decision == "correct"]
    assert corrected[0].set == {"subject": "al-qaeda", "object": "irgc"}


def test_decisions_file_is_one_sorted_line_per_claim(tmp_path):
    path = tmp_path / review.FILE_NAME
    review.record(path, Decision("b" * 16, "reject", "a headline"))
    review.record(path, Decision("a" * 16, "confirm"))
    review.record(path, Decision("b" * 16, "correct", set={"predicate": "SUPPORTED"}))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["claim"][0], r["decision"]) for r in lines] == [("a", "confirm"), ("b", "correct")]
    assert all(r["by"] and r["at"] for r in lines)


def test_bad_decisions_are_refused():
    with pytest.raises(InputError):
        review.check(Decision("x", "approve"))
    with pytest.raises(InputError):
        review.check(Decision("x", "correct", set={"predicate": "LIKED"}))
    with pytest.raises(InputError):
        review.parse_correction(["confidence=1"])


def test_an_embedded_store_made_before_review_gets_the_new_properties(tmp_path, monkeypatch, corpus):
    import copy

    from graph import backends
    from graph.store import Store

    current = backends.SCHEMA
    old = copy.deepcopy(current)
    for label, new in (("Claim", ("review", "review_note", "source")), ("Document", ("minhash", "source"))):
        for name in new:
            del old["nodes"][label]["properties"][name]
    monkeypatch.setattr(backends, "SCHEMA", old)
    Store(backends.EmbeddedBackend(tmp_path / "old.lbug")).close()
    monkeypatch.setattr(backends, "SCHEMA", current)
    with Store(backends.EmbeddedBackend(tmp_path / "old.lbug")) as store:
        pipeline.load(store, [corpus])
        decide(corpus, store, "reject")
        assert pipeline.load(store, [corpus]).counts["contested_links"] == 0


def test_a_correction_naming_an_unknown_actor_is_refused_not_fatal(store, corpus):
    pipeline.load(store, [corpus])
    decide(corpus, store, "correct", set={"said_by": "nobody-we-know"})
    summary = pipeline.load(store, [corpus])
    assert len(summary.review["refused"]) == 1 and summary.review["applied"] == {}
    assert {c["review"] for c in claims_of(store).values()} == {None}


def test_each_folder_keeps_its_own_decisions(store, corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.txt").write_text("CLAIM: iran SUPPORTED hezbollah affirms author\n")
    pipeline.load(store, [corpus, other])
    decide(corpus, store, "reject")
    support = claims_of(store)[("c.txt", "affirms", "SUPPORTED")]["id"]
    review.record(other / review.FILE_NAME, Decision(support, "confirm"))
    assert pipeline.load(store, [corpus, other]).review["applied"] == {"reject": 1, "confirm": 1}
    pipeline.load(store, [corpus])  # the other folder's decisions are not undone by loading this one
    states = {key[0]: value["review"] for key, value in claims_of(store).items()}
    assert states == {"a.txt": None, "b.txt": "rejected", "c.txt": "confirmed"}
    review.write_decisions(corpus / review.FILE_NAME, {})  # an emptied file clears its marks
    pipeline.load(store, [corpus])
    assert {key[0]: value["review"] for key, value in claims_of(store).items()}["b.txt"] is None

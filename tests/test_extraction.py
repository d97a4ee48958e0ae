"""The rule-based extractor on short sentences of our own.

Sentence cases (a text and the exact claims it must give) are data, one file per predicate or
construction, in tests/data/extraction/ (see its README.md); `test_case` runs them all. The tests
written in Python here are about everything else: claim records, rules files, models, many documents.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from graph.actors import Registry
from graph.errors import GraphctlError
from graph.extraction import (EXTRACTOR_NAME, EXTRACTOR_VERSION, RULES_PATH, Candidate, Extractor, extract_many,
                              split_sentences)
from graph.extraction.rules import Rules
from graph.model import AUTHOR, CERTAINTIES, POLARITIES, PREDICATES, SYMMETRIC, UNNAMED, Document, Source

CASES_DIR = Path(__file__).resolve().parent / "data" / "extraction"
REGISTRY_PATH = CASES_DIR / "registry.yaml"


def _registry() -> Registry:
    return Registry.from_yaml(REGISTRY_PATH)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    ex = Extractor(_registry(), scorer=None)  # the frames alone; the scorer has tests of its own
    ex.nlp  # load spaCy once for the module
    return ex


def run(extractor, text: str, name: str = "t.txt", outlet: str | None = None):
    return extractor.extract(Document(name=name, text=text, source=Source(outlet=outlet)))


def tuples(claims):
    return {(c.subject, c.predicate, c.object, c.polarity, c.said_by) for c in claims}


def rel(claims):
    """Without PART_OF: the relations a sentence was written for."""
    return {t for t in tuples(claims) if t[1] != "PART_OF"}


# --------------------------------------------------------------------------- sentence cases, as data

FILE_KEYS = {"about", "cases"}
CASE_KEYS = {"name", "text", "claims", "scope", "only", "match", "unordered", "certainty", "when", "rule",
             "absent", "xfail", "outlet"}
REQUIRED_KEYS = ("name", "text", "claims")
SCOPES = ("relations", "all")
MATCHES = ("exact", "includes")
ONLY_KEYS = {"predicate": PREDICATES, "polarity": POLARITIES}


class CaseError(ValueError):
    """A case file that does not follow the schema: the message names the file and the case."""


def _check_claims(where: str, key: str, value, actors) -> list[tuple]:
    if not isinstance(value, list):
        raise CaseError(f"{where}: '{key}' must be a list of [subject, predicate, object, polarity, said_by]")
    found = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 5 and all(isinstance(x, str) for x in item)):
            raise CaseError(f"{where}: '{key}' item {item!r} is not [subject, predicate, object, polarity, said_by]")
        subject, predicate, obj, polarity, said_by = item
        for role, actor in (("subject", subject), ("object", obj)):
            if actor not in actors:
                raise CaseError(f"{where}: '{key}' item {item!r}: {role} '{actor}' is not in {REGISTRY_PATH.name}")
        if predicate not in PREDICATES:
            raise CaseError(f"{where}: '{key}' item {item!r}: predicate '{predicate}' is not one of "
                            f"{', '.join(PREDICATES)}")
        if polarity not in POLARITIES:
            raise CaseError(f"{where}: '{key}' item {item!r}: polarity '{polarity}' is not one of "
                            f"{', '.join(POLARITIES)}")
        if said_by not in actors and said_by not in (AUTHOR, UNNAMED):
            raise CaseError(f"{where}: '{key}' item {item!r}: said_by '{said_by}' is not {AUTHOR}, {UNNAMED} "
                            f"or an actor of {REGISTRY_PATH.name}")
        found.append(tuple(item))
    if len(set(found)) != len(found):
        raise CaseError(f"{where}: '{key}' lists a claim twice")
    return found


def _check_case(path: Path, index: int, case, actors) -> dict:
    label = f"{path.name}: case #{index + 1}"
    if not isinstance(case, dict):
        raise CaseError(f"{label}: expected a mapping")
    if isinstance(case.get("name"), str) and case["name"].strip():
        label = f"{path.name}: case '{case['name']}'"
    unknown = sorted(set(case) - CASE_KEYS)
    if unknown:
        raise CaseError(f"{label}: unknown key '{unknown[0]}' (known: {', '.join(sorted(CASE_KEYS))})")
    for key in REQUIRED_KEYS:
        if key not in case:
            raise CaseError(f"{label}: missing key '{key}'")
    for key in ("name", "text"):
        if not isinstance(case[key], str) or not case[key].strip():
            raise CaseError(f"{label}: '{key}' must be a non-empty string")
    checked = {
        "name": case["name"], "text": case["text"],
        "claims": _check_claims(label, "claims", case["claims"], actors),
        "absent": _check_claims(label, "absent", case.get("absent", []), actors),
        "scope": case.get("scope", "relations"), "match": case.get("match", "exact"),
        "unordered": case.get("unordered", False), "only": {}, "checks": {}, "xfail": case.get("xfail"),
        "outlet": case.get("outlet"),
    }
    if checked["outlet"] is not None and (not isinstance(checked["outlet"], str) or not checked["outlet"].strip()):
        raise CaseError(f"{label}: 'outlet' must be the source's outlet, a non-empty string")
    if checked["scope"] not in SCOPES:
        raise CaseError(f"{label}: 'scope' must be one of {', '.join(SCOPES)}")
    if checked["match"] not in MATCHES:
        raise CaseError(f"{label}: 'match' must be one of {', '.join(MATCHES)}")
    if not isinstance(checked["unordered"], bool):
        raise CaseError(f"{label}: 'unordered' must be true or false")
    only = case.get("only", {})
    if not isinstance(only, dict):
        raise CaseError(f"{label}: 'only' must be a mapping of {' and/or '.join(sorted(ONLY_KEYS))}")
    for key, value in only.items():
        if key not in ONLY_KEYS:
            raise CaseError(f"{label}: unknown key 'only.{key}' (known: {', '.join(sorted(ONLY_KEYS))})")
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or any(v not in ONLY_KEYS[key] for v in values):
            raise CaseError(f"{label}: 'only.{key}' must be one or a list of {', '.join(ONLY_KEYS[key])}")
        checked["only"][key] = set(values)
    if "certainty" in case:
        if case["certainty"] not in CERTAINTIES:
            raise CaseError(f"{label}: 'certainty' must be one of {', '.join(CERTAINTIES)}")
        checked["checks"]["certainty"] = case["certainty"]
    if "when" in case:  # `when: null` checks that no time was found
        if case["when"] is not None and not isinstance(case["when"], str):
            raise CaseError(f"{label}: 'when' must be a string or null (quote years: \"2018\")")
        checked["checks"]["when"] = case["when"]
    if "rule" in case:
        if not isinstance(case["rule"], str) or not case["rule"].strip():
            raise CaseError(f"{label}: 'rule' must be a rule name such as TRAINED.passive_agent")
        checked["checks"]["rule"] = case["rule"]
    if checked["xfail"] is not None and (not isinstance(checked["xfail"], str) or not checked["xfail"].strip()):
        raise CaseError(f"{label}: 'xfail' must be the reason, a non-empty string")
    if checked["unordered"] and not any(c[1] in SYMMETRIC for c in checked["claims"]):
        raise CaseError(f"{label}: 'unordered' is only for symmetric predicates ({', '.join(sorted(SYMMETRIC))})")
    return checked


def load_cases(path: Path, actors) -> list[dict]:
    """The cases of one file, checked against the schema (see tests/data/extraction/README.md)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CaseError(f"{path.name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CaseError(f"{path.name}: expected a mapping with 'about' and 'cases'")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise CaseError(f"{path.name}: unknown key '{unknown[0]}' (known: {', '.join(sorted(FILE_KEYS))})")
    if not isinstance(data.get("about"), str) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise CaseError(f"{path.name}: needs 'about' (a string) and 'cases' (a non-empty list)")
    cases = [_check_case(path, i, case, actors) for i, case in enumerate(data["cases"])]
    names = [case["name"] for case in cases]
    for name in names:
        if names.count(name) > 1:
            raise CaseError(f"{path.name}: case '{name}': two cases have this name")
    return cases


def case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.yaml") if p != REGISTRY_PATH)


def _all_cases() -> list:
    actors = _registry().actors
    params = []
    for path in case_files():
        for case in load_cases(path, actors):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case["xfail"] else []
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}", marks=marks))
    return params


def _key(claim: tuple, unordered: bool) -> tuple:
    """A claim as compared: symmetric ones without direction when the case says `unordered`."""
    subject, predicate, obj, polarity, said_by = claim
    if unordered and predicate in SYMMETRIC:
        subject, obj = sorted((subject, obj))
    return subject, predicate, obj, polarity, said_by


def _in_scope(claim: tuple, case: dict) -> bool:
    if case["scope"] == "relations" and claim[1] == "PART_OF":
        return False
    return (claim[1] in case["only"].get("predicate", {claim[1]})
            and claim[3] in case["only"].get("polarity", {claim[3]}))


@pytest.mark.parametrize("case", _all_cases())
def test_case(extractor, case):
    claims = run(extractor, case["text"], outlet=case["outlet"])
    unordered = case["unordered"]
    found: dict[tuple, list] = {}
    for claim in claims:
        found.setdefault(_key((claim.subject, claim.predicate, claim.object, claim.polarity, claim.said_by),
                              unordered), []).append(claim)
    compared = {key for key in found if _in_scope(key, case)}
    expected = {_key(claim, unordered) for claim in case["claims"]}
    if case["match"] == "exact":
        assert compared == expected
    else:
        assert expected <= compared
    for key in expected:  # certainty, when and rule: of every claim the case lists
        for claim in found[key]:
            assert {field: getattr(claim, field) for field in case["checks"]} == case["checks"], key
    assert not {_key(claim, unordered) for claim in case["absent"]} & set(found)


def test_every_predicate_has_a_file_of_cases():
    for predicate in Rules.load(None).predicates:
        path = CASES_DIR / f"{predicate}.yaml"
        assert path.exists(), f"no cases for {predicate}: add {path.relative_to(CASES_DIR.parents[2])}"
        assert len(load_cases(path, _registry().actors)) >= 3


@pytest.mark.parametrize("case, message", [
    ({"name": "n", "text": "Iran trained Hamas.", "claims": [], "certainity": "hedged"},
     "bad.yaml: case 'n': unknown key 'certainity'"),
    ({"text": "Iran trained Hamas.", "claims": []}, "bad.yaml: case #1: missing key 'name'"),
    ({"name": "n", "text": "t", "claims": [["iran", "TRAINED", "hamaz", "affirms", "author"]]},
     "bad.yaml: case 'n': 'claims' item ['iran', 'TRAINED', 'hamaz', 'affirms', 'author']: object 'hamaz'"),
    ({"name": "n", "text": "t", "claims": [["iran", "TRAINS", "hamas", "affirms", "author"]]},
     "predicate 'TRAINS' is not one of"),
    ({"name": "n", "text": "t", "claims": [], "only": {"polarity": "denied"}}, "case 'n': 'only.polarity'"),
    ({"name": "n", "text": "t", "claims": [], "when": 2018}, "case 'n': 'when' must be a string or null"),
])
def test_a_bad_case_file_names_the_file_and_the_case(tmp_path, case, message):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"about": "bad cases", "cases": [case]}), encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_cases(path, _registry().actors)
    assert message in str(info.value)


def test_two_cases_of_one_name_are_an_error(tmp_path):
    path = tmp_path / "twice.yaml"
    case = {"name": "n", "text": "Iran trained Hamas.", "claims": []}
    path.write_text(yaml.safe_dump({"about": "x", "cases": [case, case]}), encoding="utf-8")
    with pytest.raises(CaseError, match="twice.yaml: case 'n': two cases have this name"):
        load_cases(path, _registry().actors)


# --------------------------------------------------------------------------- claim records

def test_claim_fields_and_evidence_offsets(extractor):
    text = "Headline about nothing\n\nIn 2014, the Treasury sanctioned Hezbollah. Iran trained Hamas in 1995."
    doc = Document(name="d.txt", text=text)
    claims = extractor.extract(doc)
    assert len(claims) == 2
    for claim in claims:
        assert claim.evidence == [text[claim.start:claim.end]]
        assert claim.doc == "d.txt" and claim.doc_id == doc.id
        assert claim.extractor == extractor.version
        assert claim.extractor.startswith(f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}+rules.") and "graphctl.rules/1+" in claim.extractor
        assert claim.origin == "extracted" and claim.rule and 0 <= claim.confidence <= 1


def test_no_duplicates_first_evidence_kept(extractor):
    claims = run(extractor, "Iran trained Hamas. Later, Iran trained Hamas again.")
    assert len(claims) == 1 and claims[0].evidence == ["Iran trained Hamas."]


def test_deterministic(extractor):
    text = Path(__file__).parents[1].joinpath("seeds", "001_5f754e46b432a733.txt")
    if not text.exists():
        pytest.skip("seed document missing")
    doc = Document(name="001.txt", text=text.read_text(encoding="utf-8"))
    first = [c.to_guide_dict() for c in extractor.extract(doc)]
    assert first == [c.to_guide_dict() for c in extractor.extract(doc)]


def test_sentence_splitter_keeps_abbreviations():
    text = "The U.S. Treasury acted. Gen. Smith spoke! Then he left."
    assert [s.text for s in split_sentences(text)] == [
        "The U.S. Treasury acted.", "Gen. Smith spoke!", "Then he left."]


def test_sentence_splitter_cuts_after_citation_marks():
    text = "The group was founded in 1982.[9][10] Its leaders met.[citation needed] It grew, see [3] and [4]."
    assert [s.text for s in split_sentences(text)] == [
        "The group was founded in 1982.[9][10]", "Its leaders met.[citation needed]", "It grew, see [3] and [4]."]


# --------------------------------------------------------------------------- rules are data

def test_a_trigger_word_added_to_the_rules_file_makes_a_claim(tmp_path, extractor):
    sentence = "Iran tutored Hezbollah fighters."
    assert run(extractor, sentence) == []
    rules = RULES_PATH.read_text(encoding="utf-8").replace(
        "verbs: [train, teach,", "verbs: [tutor, train, teach,", 1)
    assert "tutor," in rules
    path = tmp_path / "rules.yaml"
    path.write_text(rules, encoding="utf-8")
    edited = Extractor(_registry(), rules_path=path)
    edited._nlp = extractor.nlp  # same model; only the rules differ
    assert rel(run(edited, sentence)) == {("iran", "TRAINED", "hezbollah", "affirms", "author")}


def test_bad_rules_file_is_a_graphctl_error(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("just: text\n", encoding="utf-8")
    with pytest.raises(GraphctlError):
        Extractor(_registry(), rules_path=path)


@pytest.mark.parametrize("old, new, where", [
    ("verbs: [train, teach,", "verbz: [train, teach,", "predicates/TRAINED"),       # a misspelt predicate key
    ("hedge_words:", "hedge_wordz:", "(top level)"),                                  # a misspelt list
    ("  thing: [it, its, itself]", "  things: [it, its, itself]", "pronouns"),        # a misspelt nested key
    ("version: 1", "version: 2", "version"),                                          # a format it does not know
])
def test_rules_file_is_checked_against_its_schema(tmp_path, old, new, where):
    text = RULES_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(GraphctlError) as info:
        Extractor(_registry(), rules_path=path)
    assert str(path) in str(info.value) and where in str(info.value) and "\n" not in str(info.value)


def test_the_extractor_version_follows_rules_registry_and_scorer(tmp_path, extractor):
    path = tmp_path / "rules.yaml"
    path.write_text(RULES_PATH.read_text(encoding="utf-8").replace("verbs: [train,", "verbs: [tutor, train,", 1),
                    encoding="utf-8")
    assert Extractor(_registry(), rules_path=path, scorer=None).version != extractor.version
    fewer = Registry([a for a in _registry().actors.values() if a.id != "jim-phillips"])
    assert Extractor(fewer, scorer=None).version != extractor.version
    assert Extractor(_registry()).version != extractor.version  # the shipped scorer
    assert Extractor(_registry(), scorer=None).version == extractor.version


def test_same_claims_under_any_hash_seed(tmp_path):
    """Python's string hashing changes set order between processes; the claims must not change."""
    import subprocess
    import sys

    script = ("import json, sys; from pathlib import Path; from graph.actors import Registry; "
              "from graph.documents import read_document; from graph.extraction import Extractor; "
              "root = Path(sys.argv[1]); ex = Extractor(Registry.from_yaml(root / 'seeds' / 'actors.yaml')); "
              "print(json.dumps([c.to_guide_dict() for p in sorted((root / 'seeds').glob('*.txt')) "
              "for c in ex.extract(read_document(p))]))")
    root = Path(__file__).parents[1]
    outputs = [subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "4242")]
    assert outputs[0] and outputs[0] == outputs[1]


# --------------------------------------------------------------------------- model loading, candidates, many docs

def test_missing_model_is_a_one_line_graphctl_error():
    ex = Extractor(_registry(), model="no_such_spacy_model_xyz")  # lazy: no error yet
    with pytest.raises(GraphctlError) as info:
        ex.extract(Document(name="x.txt", text="Iran trained Hamas and Hezbollah."))
    message = str(info.value)
    assert "\n" not in message and "pip install" in message


def test_candidates_are_unknown_names(extractor):
    doc = Document(name="c.txt", text="Khalid Sheikh Mohammed met IRGC officers in Tehran. "
                                      "Khalid Sheikh Mohammed later left.")
    found = extractor.candidates(doc)
    assert all(isinstance(c, Candidate) for c in found)
    kshm = [c for c in found if "Khalid" in c.text]
    assert kshm and kshm[0].count == 2 and kshm[0].doc == "c.txt" and "Khalid" in kshm[0].example
    assert not any(c.text in ("IRGC", "Tehran") for c in found)


def test_nationalities_are_not_candidates(extractor):
    doc = Document(name="n.txt", text="Russian and French officials met Khalid Sheikh Mohammed in Doha.")
    labels = {c.text: c.label for c in extractor.candidates(doc)}
    assert "Russian" not in labels and "French" not in labels
    assert set(labels.values()) <= {"ORG", "PERSON", "GPE"}


def test_extract_many_keeps_order_with_a_pool(monkeypatch):
    import graph.extraction.extractor

    monkeypatch.setattr(graph.extraction.extractor, "ONE_PROCESS_BELOW", 2)
    docs = [Document(name=f"{i}.txt", text=text) for i, text in enumerate(
        ["Iran trained Hamas.", "Nothing here.", "Hezbollah was trained by the IRGC."])]
    serial = [(d.name, tuples(c)) for d, c in extract_many(docs, _registry(), jobs=1)]
    pooled = [(d.name, tuples(c)) for d, c in extract_many(docs, _registry(), jobs=2)]
    assert serial == pooled
    assert [name for name, _ in pooled] == ["0.txt", "1.txt", "2.txt"]
    assert pooled[1][1] == set()


def test_a_few_documents_start_no_workers(monkeypatch):
    import multiprocessing

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for three documents")

    monkeypatch.setattr(multiprocessing, "Pool", no_pool)
    docs = [Document(name=f"{i}.txt", text="Iran trained Hamas.") for i in range(3)]
    assert [len(c) for _, c in extract_many(docs, _registry(), jobs=2)] == [1, 1, 1]

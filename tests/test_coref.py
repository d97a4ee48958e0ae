"""Document coreference (graph/extraction/coref.py): definite descriptions and titles as mentions.
The cases are data, in tests/data/coref_cases.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.actors import Registry
from graph.errors import InputError
from graph.extraction import Extractor, split_sentences
from graph.extraction.coref import COREF_PATH, Coref, resolve
from graph.model import Actor, Document

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent
CASES = yaml.safe_load((DATA / "coref_cases.yaml").read_text(encoding="utf-8"))


def _registry() -> Registry:
    return Registry([
        Actor("iran", "Iran", "state", ["Iran", "Tehran"]),
        Actor("pakistan", "Pakistan", "state", ["Pakistan"]),
        Actor("hezbollah", "Hezbollah", "armed_group", ["Hezbollah"]),
        Actor("hamas", "Hamas", "armed_group", ["Hamas"]),
        Actor("al-qaeda", "al-Qaeda", "armed_group", ["al-Qaeda"]),
        Actor("isis", "ISIS", "armed_group", ["ISIS", "Islamic State"]),
        Actor("international-red-cross", "International Red Cross", "organization", ["Red Cross"]),
        Actor("us-state-department", "US State Department", "government_body", ["State Department"]),
        Actor("us-treasury", "US Treasury", "government_body", ["Treasury"]),
        Actor("mike-pompeo", "Mike Pompeo", "person", ["Mike Pompeo", "Pompeo"], "us-state-department"),
    ])


REGISTRY = _registry()


def _sentences(text: str, registry: Registry = REGISTRY):
    sentences = split_sentences(text)
    Extractor._assign(sentences, registry.find_mentions(text))
    resolve(sentences, registry)
    return sentences


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    sentences = _sentences(case["text"])
    found = [[m.text, m.actor_id] for s in sentences for m in s.resolved]
    assert found == case["resolved"]
    for s in sentences:
        assert all(m in s.mentions for m in s.resolved)
        assert [m.start for m in s.mentions] == sorted(m.start for m in s.mentions)
        assert all(a.end <= b.start for a, b in zip(s.mentions, s.mentions[1:]))  # no overlap
        assert all(s.text[m.start:m.end] == m.text for m in s.mentions)


def test_a_sentence_gains_its_second_actor_and_its_claim():
    extractor = Extractor(REGISTRY, scorer=None)
    claims = extractor.extract(Document(name="t.txt", text="Hezbollah was founded in 1982. Iran trained the group."))
    assert {(c.subject, c.predicate, c.object) for c in claims} == {("iran", "TRAINED", "hezbollah")}


def test_shipped_titles_name_actors_of_the_registries():
    ids = {record["id"] for path in (ROOT / "seeds" / "actors.yaml", DATA / "dev" / "actors.extra.yaml")
           for record in yaml.safe_load(path.read_text(encoding="utf-8"))}
    coref = Coref.load()
    assert coref.titles and set(coref.titles.values()) <= ids


@pytest.mark.parametrize("edit, field", [
    (lambda d: d.update(windw=3), "windw"),
    (lambda d: d["descriptions"][0].update(noun=["group"]), "descriptions[0].noun"),
    (lambda d: d["descriptions"][0].update(kinds=["militia"]), "descriptions[0].kinds"),
    (lambda d: d.update(window="three"), "window"),
    (lambda d: d.update(titles=["Secretary of State"]), "titles"),
])
def test_coref_yaml_is_checked(tmp_path, edit, field):
    data = yaml.safe_load(COREF_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "coref.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError) as error:
        Coref.load(path)
    assert str(path) in str(error.value) and f"'{field}'" in str(error.value)

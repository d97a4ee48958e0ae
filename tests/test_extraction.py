"""The rule-based extractor, one construction at a time, on short sentences of our own."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.actors import Registry
from graph.errors import GraphctlError
from graph.extraction import (EXTRACTOR_NAME, EXTRACTOR_VERSION, RULES_PATH, Candidate, Extractor, extract_many,
                              split_sentences)
from graph.model import Actor, Document


def _registry() -> Registry:
    actors = [
        Actor("iran", "Iran", "state", ["Iran", "Tehran", "Iranian"]),
        Actor("united-states", "United States", "state", ["United States", "US", "Washington"]),
        Actor("irgc", "Islamic Revolutionary Guard Corps", "government_body",
              ["IRGC", "Revolutionary Guards", "Islamic Revolutionary Guard Corps"], "iran"),
        Actor("quds-force", "Quds Force", "government_body", ["Quds Force", "Qods Force"], "irgc"),
        Actor("al-qaeda", "al-Qaeda", "armed_group", ["al-Qaeda", "Al Qaida", "al-Qa'ida"]),
        Actor("hezbollah", "Hezbollah", "armed_group", ["Hezbollah", "Hizbollah"]),
        Actor("hamas", "Hamas", "armed_group", ["Hamas"]),
        Actor("us-treasury", "US Treasury", "government_body", ["Treasury", "the Treasury"], "united-states"),
        Actor("saeed-qasemi", "Saeed Qasemi", "person", ["Saeed Qasemi", "Qasemi"], "irgc"),
        Actor("donald-trump", "Donald Trump", "person", ["Donald Trump", "Trump"], "united-states"),
        Actor("heritage-foundation", "Heritage Foundation", "organization", ["Heritage Foundation"]),
        Actor("jim-phillips", "Jim Phillips", "person", ["Jim Phillips"]),
    ]
    return Registry(actors)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    ex = Extractor(_registry(), scorer=None)  # the frames alone; the scorer has tests of its own
    ex.nlp  # load spaCy once for the module
    return ex


def run(extractor, text: str, name: str = "t.txt"):
    return extractor.extract(Document(name=name, text=text))


def tuples(claims):
    return {(c.subject, c.predicate, c.object, c.polarity, c.said_by) for c in claims}


def rel(claims):
    """Without PART_OF: the relations a sentence was written for."""
    return {t for t in tuples(claims) if t[1] != "PART_OF"}


# --------------------------------------------------------------------------- direction and voice

def test_active_voice(extractor):
    assert rel(run(extractor, "Iran trained Hezbollah fighters.")) == {
        ("iran", "TRAINED", "hezbollah", "affirms", "author")}


def test_passive_agent(extractor):
    claims = run(extractor, "Hezbollah was trained by the IRGC.")
    assert rel(claims) == {("irgc", "TRAINED", "hezbollah", "affirms", "author")}
    assert claims[0].rule == "TRAINED.passive_agent"


def test_received_training_from(extractor):
    claims = run(extractor, "Al-Qaeda operatives received training from Hezbollah.")
    assert rel(claims) == {("hezbollah", "TRAINED", "al-qaeda", "affirms", "author")}
    assert claims[0].rule == "TRAINED.receive"


def test_possessive_noun_of(extractor):
    assert rel(run(extractor, "Iran's training of Hezbollah began early.")) == {
        ("iran", "TRAINED", "hezbollah", "affirms", "author")}


def test_control_verb_sent_soldiers_to_train(extractor):
    claims = run(extractor, "Iran sent IRGC soldiers to train al-Qaeda fighters.")
    assert rel(claims) == {("irgc", "TRAINED", "al-qaeda", "affirms", "author")}


def test_light_verb_provided_training_for(extractor):
    assert rel(run(extractor, "Hezbollah provided explosives training for al-Qaeda and Hamas.")) == {
        ("hezbollah", "TRAINED", "al-qaeda", "affirms", "author"),
        ("hezbollah", "TRAINED", "hamas", "affirms", "author")}


def test_cooperation_between_is_one_unordered_claim(extractor):
    claims = run(extractor, "There was cooperation between Iran and al-Qaeda.")
    assert len(claims) == 1
    assert {claims[0].subject, claims[0].object} == {"iran", "al-qaeda"}
    assert claims[0].predicate == "COOPERATED_WITH"


def test_reciprocal_enemies_both_directions(extractor):
    assert rel(run(extractor, "Al-Qaeda and Iran have been deadly enemies.")) == {
        ("al-qaeda", "OPPOSED", "iran", "affirms", "author"),
        ("iran", "OPPOSED", "al-qaeda", "affirms", "author")}


def test_backed_modifier(extractor):
    assert ("iran", "SUPPORTED", "hamas", "affirms", "author") in tuples(
        run(extractor, "The Iranian-backed Hamas fired rockets."))


def test_permission_to_pass_through_is_hosted(extractor):
    assert ("iran", "HOSTED", "al-qaeda", "affirms", "author") in rel(
        run(extractor, "Iran allowed al-Qaeda fighters to pass through its territory."))



@pytest.mark.parametrize("sentence, expected", [
    ("Al-Qaeda operatives traveled through Iran before the attacks.", {("iran", "HOSTED", "al-qaeda")}),
    ("Hezbollah leaders fled to Iran in 2012.", {("iran", "HOSTED", "hezbollah")}),
    ("Al-Qaeda fighters traveled from Saudi Arabia to Afghanistan.", set()),  # a destination, not a host
    ("The IRGC let Hezbollah move money.", set()),  # moving goods is not passage
    ("Iran let al-Qaeda operatives funnel money through its territory.", {("iran", "HOSTED", "al-qaeda")}),
])
def test_passage_and_refuge_are_hosted(extractor, sentence, expected):
    found = {t[:3] for t in rel(run(extractor, sentence)) if t[1] == "HOSTED"}
    assert found == expected

def test_designated_passive_as(extractor):
    assert rel(run(extractor, "Last month, the IRGC was sanctioned as a US terrorist organization.")) == {
        ("united-states", "DESIGNATED", "irgc", "affirms", "author")}


# --------------------------------------------------------------------------- polarity

def test_negation_did_not(extractor):
    claims = run(extractor, "Iran did not help al-Qaeda.")
    assert rel(claims) == {("iran", "SUPPORTED", "al-qaeda", "denies", "author")}


def test_negation_never(extractor):
    assert rel(run(extractor, "Al-Qaeda has never attacked Iran.")) == {
        ("al-qaeda", "OPPOSED", "iran", "denies", "author")}


def test_denial_verb_denies_what_the_other_said(extractor):
    claims = run(extractor, "Qasemi said that the IRGC trained al-Qaeda. "
                            "The IRGC officially denied Qasemi's revelations.")
    assert rel(claims) == {
        ("irgc", "TRAINED", "al-qaeda", "affirms", "saeed-qasemi"),
        ("irgc", "TRAINED", "al-qaeda", "denies", "irgc")}


def test_negated_claim_as_someone_alleges_gives_two_claims(extractor):
    assert rel(run(extractor, "Iran did NOT help al-Qaeda after 2001 as Washington alleges.")) == {
        ("iran", "SUPPORTED", "al-qaeda", "denies", "author"),
        ("iran", "SUPPORTED", "al-qaeda", "affirms", "united-states")}


def test_no_evidence_is_a_hedged_denial(extractor):
    claims = run(extractor, "Treasury officials said there was no evidence tying Iran to al-Qaeda.")
    assert [(c.subject, c.predicate, c.object, c.polarity, c.said_by, c.certainty) for c in claims] == [
        ("iran", "COOPERATED_WITH", "al-qaeda", "denies", "us-treasury", "hedged")]


def test_denied_that_it_received(extractor):
    assert rel(run(extractor, "Hamas denied that it had received missiles from Tehran.")) == {
        ("iran", "SUPPORTED", "hamas", "denies", "hamas")}


# --------------------------------------------------------------------------- speakers

def test_reported_speech_sets_said_by(extractor):
    assert rel(run(extractor, "Qasemi said that Iran funded Hezbollah.")) == {
        ("iran", "SUPPORTED", "hezbollah", "affirms", "saeed-qasemi")}


def test_according_to(extractor):
    assert rel(run(extractor, "According to the Treasury, Iran funded al-Qaeda.")) == {
        ("iran", "SUPPORTED", "al-qaeda", "affirms", "us-treasury")}


def test_quote_attributed_to_the_speaker_and_we_to_his_body(extractor):
    text = "“We were side by side with al-Qaeda in those years and we helped them a lot,” Qasemi said."
    assert ("irgc", "COOPERATED_WITH", "al-qaeda", "affirms", "saeed-qasemi") in rel(run(extractor, text))


@pytest.mark.parametrize("text", ["Some analysts said that Iran funded Hezbollah.",
                                  "Sources say that Iran funded Hezbollah."])
def test_unnamed_speaker_is_kept_as_unnamed_and_hedged(extractor, text):
    # the claims guide's ruling on unnamed sources
    claims = run(extractor, text)
    assert rel(claims) == {("iran", "SUPPORTED", "hezbollah", "affirms", "unnamed")}
    assert [c.certainty for c in claims] == ["hedged"]


# --------------------------------------------------------------------------- certainty and time

def test_hedged(extractor):
    claims = run(extractor, "Iran reportedly funded al-Qaeda.")
    assert [c.certainty for c in claims] == ["hedged"]


def test_speculative(extractor):
    claims = run(extractor, "Iran may seek assistance from al-Qaeda.")
    assert rel(claims) == {("al-qaeda", "SUPPORTED", "iran", "affirms", "author")}
    assert claims[0].certainty == "speculative"


@pytest.mark.parametrize("phrase, when", [
    ("in the 1990s", "1990s"),
    ("from 2007 to 2009", "2007-2009"),
    ("in 1992-1995", "1992-1995"),
    ("since at least 2009", "since at least 2009"),
    ("after 2001", "after 2001"),
    ("in 2018", "2018"),
])
def test_time_expressions(extractor, phrase, when):
    claims = run(extractor, f"Iran trained Hezbollah fighters {phrase}.")
    assert [c.when for c in claims] == [when]


def test_no_time_is_null(extractor):
    assert [c.when for c in run(extractor, "Iran trained Hezbollah fighters.")] == [None]


# --------------------------------------------------------------------------- actors

def test_alias_variants(extractor):
    assert rel(run(extractor, "Al Qaida fighters were trained by Hizbollah.")) == {
        ("hezbollah", "TRAINED", "al-qaeda", "affirms", "author")}


def test_possessive_unit_is_part_of_and_acts(extractor):
    claims = tuples(run(extractor, "Iran's Quds Force supplied weapons to Hezbollah."))
    assert ("quds-force", "PART_OF", "iran", "affirms", "author") in claims
    assert ("quds-force", "SUPPORTED", "hezbollah", "affirms", "author") in claims


def test_title_apposition_is_part_of(extractor):
    claims = tuples(run(extractor, "Jim Phillips, a senior research fellow at the Heritage Foundation, spoke."))
    assert claims == {("jim-phillips", "PART_OF", "heritage-foundation", "affirms", "author")}


def test_head_of_state_title_uses_the_registry_parent(extractor):
    claims = tuples(run(extractor, "President Trump spoke at length."))
    assert claims == {("donald-trump", "PART_OF", "united-states", "affirms", "author")}


def test_pronoun_points_back_to_the_previous_sentence(extractor):
    claims = run(extractor, "Hezbollah grew quickly in Lebanon. Iran funded it for years.")
    assert rel(claims) == {("iran", "SUPPORTED", "hezbollah", "affirms", "author")}


def test_unresolved_argument_gives_no_claim(extractor):
    assert rel(run(extractor, "Iran funded several groups in the region.")) == set()


def test_question_gives_no_claim(extractor):
    assert run(extractor, "Did Iran fund Hezbollah?") == []


# --------------------------------------------------------------------------- claim records

def test_claim_fields_and_evidence_offsets(extractor):
    text = "Headline about nothing\n\nIn 2014, the Treasury sanctioned Hezbollah. Iran trained Hamas in 1995."
    doc = Document(name="d.txt", text=text)
    claims = extractor.extract(doc)
    assert len(claims) == 2
    for claim in claims:
        assert claim.evidence == [text[claim.start:claim.end]]
        assert claim.doc == "d.txt" and claim.doc_id == doc.id
        assert claim.extractor == f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}" == "graphctl.rules/1"
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


@pytest.mark.parametrize("sentence, expected", [
    ("Iran rejected claims that it arms Hamas.",
     {("iran", "SUPPORTED", "hamas", "denies", "iran")}),
    ("Hezbollah dismissed reports that Iran funded it.", {("iran", "SUPPORTED", "hezbollah", "denies", "hezbollah")}),
])
def test_rejecting_a_claim_is_the_rejecters_denial(extractor, sentence, expected):
    assert rel(run(extractor, sentence)) == expected


def test_a_modifier_does_not_reach_past_a_verb(extractor):
    assert rel(run(extractor, "The Pentagon said Iran-backed militias attacked U.S. troops in Iraq.")) == set()
    assert ("iran", "SUPPORTED", "hezbollah", "affirms", "author") in rel(
        run(extractor, "Iran-backed Hezbollah fighters crossed the border."))


def test_an_accusation_is_the_accusers_claim_about_the_accused(extractor):
    assert rel(run(extractor, "The United States accuses Iran of arming Hezbollah.")) == {
        ("iran", "SUPPORTED", "hezbollah", "affirms", "united-states")}


def test_a_relative_pronoun_object_stands_for_its_noun(extractor):
    assert rel(run(extractor, "Hamas, which Iran has funded for years, said nothing.")) == {
        ("iran", "SUPPORTED", "hamas", "affirms", "author")}


@pytest.mark.parametrize("sentence, expected", [
    ("The Treasury condemned the actions by Iran as hostile.",
     {("iran", "OPPOSED", "united-states", "affirms", "us-treasury"),
      ("us-treasury", "OPPOSED", "iran", "affirms", "author")}),
    ("Washington called Iran's moves an act of aggression.",
     {("iran", "OPPOSED", "united-states", "affirms", "united-states")}),
    # condemning what Iran did is not saying Iran is hostile to the condemner
    ("The Treasury condemned the actions by Iran.", {("us-treasury", "OPPOSED", "iran", "affirms", "author")}),
])
def test_condemning_acts_as_hostile_is_the_condemners_claim_against_its_state(extractor, sentence, expected):
    assert rel(run(extractor, sentence)) == expected


def test_dismissing_the_idea_denies_what_others_said_in_the_sentence(extractor):
    assert rel(run(extractor, "Hezbollah said Iran funded it, but Trump dismissed the idea.")) == {
        ("iran", "SUPPORTED", "hezbollah", "affirms", "hezbollah"),
        ("iran", "SUPPORTED", "hezbollah", "denies", "donald-trump")}


def test_a_sweeping_rebuttal_denies_only_what_the_document_discusses(extractor):
    one = "Iran has stated that it fought Hamas, but evidence to the contrary is abundant."
    assert ("iran", "OPPOSED", "hamas", "denies", "author") in rel(run(extractor, one))
    several = ("Iran trained al-Qaeda fighters in the 1990s. Iran has stated that it fought Hamas and al-Qaeda "
               "for decades, but evidence to the contrary is abundant.")
    denied = {t for t in rel(run(extractor, several)) if t[3] == "denies"}
    assert denied == {("iran", "OPPOSED", "al-qaeda", "denies", "author")}


def test_a_few_documents_start_no_workers(monkeypatch):
    import multiprocessing

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for three documents")

    monkeypatch.setattr(multiprocessing, "Pool", no_pool)
    docs = [Document(name=f"{i}.txt", text="Iran trained Hamas.") for i in range(3)]
    assert [len(c) for _, c in extract_many(docs, _registry(), jobs=2)] == [1, 1, 1]


@pytest.mark.parametrize("sentence, expected", [
    ("Iran helped Hamas acquire rockets.", {("iran", "SUPPORTED", "hamas", "affirms", "author")}),
    ("Iran enabled Hezbollah to build missiles.", {("iran", "SUPPORTED", "hezbollah", "affirms", "author")}),
    ("Iran funneled money to Hamas.", {("iran", "SUPPORTED", "hamas", "affirms", "author")}),
    ("The United States imposed sanctions on the IRGC.",
     {("united-states", "DESIGNATED", "irgc", "affirms", "author")}),
    ("Iran is Hezbollah's main backer.", {("iran", "SUPPORTED", "hezbollah", "affirms", "author")}),
    ("Iran, the patron of Hamas, said nothing.", {("iran", "SUPPORTED", "hamas", "affirms", "author")}),
    ("Iran is not Hezbollah's backer.", {("iran", "SUPPORTED", "hezbollah", "denies", "author")}),
    # "said that ...": a reported clause, not a small clause of "help"
    ("Iran said that Hamas attacked Hezbollah.", {("hamas", "OPPOSED", "hezbollah", "affirms", "iran")}),
])
def test_help_small_clauses_agent_nouns_and_light_verbs(extractor, sentence, expected):
    assert rel(run(extractor, sentence)) == expected

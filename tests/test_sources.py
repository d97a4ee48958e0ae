"""Copies of one story, found by MinHash LSH and counted as one source, on both stores."""
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from graph import pipeline, sources, views
from graph.cli import cli
from conftest import SEEDS

BODY_CASES = yaml.safe_load((Path(__file__).parent / "data" / "body_cases.yaml").read_text(encoding="utf-8"))

STORY = """Rebels seize border town after two days of fighting

Rebel fighters took control of the border town of Kamari on Sunday after two days of heavy fighting
with government troops, local officials and residents said. The officials said the army withdrew its
last units from the town before dawn, leaving behind armoured vehicles and a depot of ammunition.
Residents reported that shops were closed and that hundreds of families had crossed the river into the
neighbouring province. A spokesman for the rebels said the group would open the road to aid convoys
within a week. The government did not comment on the loss of the town, but a military statement said
operations in the region were continuing and that reinforcements had been sent from the capital.
"""
HEADLINES = ["Border town falls to rebels", "Army pulls out of Kamari", "Kamari taken after heavy fighting",
             "Rebels claim control of Kamari", "Families flee as Kamari falls"]
FOOTERS = ["", "Reporting by staff correspondents.", "(c) News agency. All rights reserved.",
           "Comments are closed.", "Read more: regional news."]
CLAIM = "CLAIM: iran SUPPORTED hezbollah affirms author\n"
OTHER = """Aid agency warns of shortages in the north

An aid agency said on Monday that stocks of food and medicine in the northern camps would run out within
days unless the road through Kamari reopened. The agency's director said convoys had been stopped at the
river crossing since the fighting began and that the number of displaced families had doubled.
CLAIM: iran SUPPORTED hezbollah denies author
"""


def copy_of_story(number: int) -> str:
    """Copy `number` of the story: another headline, sometimes a trimmed ending or a footer."""
    lines = STORY.splitlines()
    lines[0] = HEADLINES[number % len(HEADLINES)]
    if number % 3 == 1:
        lines = lines[:-1]  # the last line trimmed
    return "\n".join(lines) + "\n" + FOOTERS[number % len(FOOTERS)] + "\n" + CLAIM


@pytest.fixture
def syndicated(tmp_path, scripted_extraction):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEEDS / "actors.yaml", folder)
    for number in range(20):
        (folder / f"copy{number:02}.txt").write_text(copy_of_story(number))
    (folder / "other.txt").write_text(OTHER)
    return folder


def test_twenty_copies_of_one_story_count_as_one_speaker(store, syndicated):
    summary = pipeline.load(store, [syndicated])
    assert summary.copies["groups"] == [{"source": "copy00.txt", "copies": 20,
                                         "documents": [f"copy{n:02}.txt" for n in range(20)], "story": None}]
    row = store.query("MATCH (l:Link {key: 'iran|SUPPORTED|hezbollah'}) "
                      "RETURN l.claims, l.speakers, l.documents, l.affirms, l.denies, l.contested").rows[0]
    assert row == [21, 2, 2, 20, 1, True]  # twenty copies and one other story: two speakers
    # every copy and its claim stay stored and visible, each saying whose copy it is
    assert store.counts()["documents"] == 21 and store.counts()["claims"] == 21
    link = next(l for l in views.build_view(store).links if l.key == "iran|SUPPORTED|hezbollah")
    assert (len(link.claims), link.speakers, link.documents, link.state) == (21, 2, 2, "contested")
    assert {c.get("source") for c in link.claims} == {"copy00.txt", None}
    assert views._link_record(link)["copies"] == 19  # the HTML view: "and 19 copies of them, counted once"


def test_the_threshold_is_configurable_and_groups_follow_it(store, syndicated):
    pipeline.load(store, [syndicated], copies_threshold=1.0)  # only copies with the same headline and ending
    assert len(sources.stored_groups(store).groups) > 1
    speakers = store.query("MATCH (l:Link {key: 'iran|SUPPORTED|hezbollah'}) RETURN l.speakers").rows[0][0]
    assert speakers > 2
    groups = sources.regroup(store, 0.5)
    assert list(groups.groups) == ["copy00.txt"]
    assert store.query("MATCH (l:Link {key: 'iran|SUPPORTED|hezbollah'}) RETURN l.speakers").rows[0][0] == 2


def test_a_copy_changed_into_another_story_leaves_its_group(store, syndicated):
    pipeline.load(store, [syndicated])
    (syndicated / "copy05.txt").write_text(OTHER.replace("denies", "affirms").replace("Monday", "Tuesday"))
    pipeline.load(store, [syndicated])
    groups = sources.stored_groups(store).groups
    assert "copy05.txt" not in groups["copy00.txt"] and len(groups["copy00.txt"]) == 19
    assert groups["copy05.txt"] == ["copy05.txt", "other.txt"]  # now a copy of the other story


def _speakers(store) -> int:
    return store.query("MATCH (l:Link {key: 'iran|SUPPORTED|hezbollah'}) RETURN l.speakers").rows[0][0]


def test_documents_that_declare_one_story_are_one_source_whatever_their_text(store, tmp_path, scripted_extraction):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEEDS / "actors.yaml", folder)
    (folder / "first.txt").write_text(STORY + CLAIM)  # an agency's first version and its rewritten update
    (folder / "update.txt").write_text(OTHER.replace("denies", "affirms"))
    declared = [{"file": name, "story": "agency:kamari-0611"} for name in ("first.txt", "update.txt")]
    (folder / "sources.yaml").write_text(yaml.safe_dump(declared))
    summary = pipeline.load(store, [folder])
    assert summary.copies["groups"] == [{"source": "first.txt", "copies": 2, "documents": ["first.txt", "update.txt"],
                                         "story": "agency:kamari-0611"}]
    assert _speakers(store) == 1
    # the declaration taken back: the documents are not read again, and are two sources again
    (folder / "sources.yaml").write_text(yaml.safe_dump([{"file": "first.txt", "story": "agency:kamari-0611"}]))
    summary = pipeline.load(store, [folder])
    assert summary.documents_loaded == 0 and summary.copies["groups"] == []
    assert _speakers(store) == 2
    (folder / "sources.yaml").write_text(yaml.safe_dump(declared))
    assert pipeline.load(store, [folder]).copies["groups"][0]["copies"] == 2 and _speakers(store) == 1


def test_a_copy_declared_another_story_is_another_source(store, syndicated):
    declared = [{"file": f"copy{n:02}.txt", "story": "own-reporting" if n == 5 else "wire:kamari"} for n in range(20)]
    (syndicated / "sources.yaml").write_text(yaml.safe_dump(declared))
    groups = pipeline.load(store, [syndicated]).copies["groups"]
    assert [(g["source"], g["copies"], g["story"]) for g in groups] == [("copy00.txt", 19, "wire:kamari")]
    assert "copy05.txt" not in groups[0]["documents"]
    assert _speakers(store) == 3  # the wire story, the copy its analyst knows to be another, the other story


def test_a_declared_story_joins_documents_on_both_paths_of_grouping():
    texts = {"a": _prose([f"a{n}" for n in range(200)]), "b": _prose([f"b{n}" for n in range(200)]),
             "c": _prose([f"c{n}" for n in range(200)]), "d": _prose([f"a{n}" for n in range(200)])}
    prints = {name: sources.fingerprint(text) for name, text in texts.items()}
    stories = {"b": "wire-1", "c": "wire-1", "d": None}
    assert sources.group(prints) == {"a": "a", "b": "b", "c": "c", "d": "a"}
    assert sources.group(prints, stories=stories) == {"a": "a", "b": "b", "c": "b", "d": "a"}
    previous = {"a": "a", "b": "b", "c": "b", "d": "a"}
    stories["d"] = "wire-1"  # d declared another copy of b's story
    assert sources.group(prints, previous=previous, changed={"d"}, stories=stories) \
        == sources.group(prints, stories=stories) == {"a": "a", "b": "a", "c": "a", "d": "a"}


def test_documents_that_declare_different_stories_are_never_one_group():
    words = [f"w{n}" for n in range(300)]
    texts = {"wire": _prose(words[0:200]), "rewrite": _prose(words[0:180]),   # a trimmed copy, declared apart
             "other": _prose(words[100:300]), "between": _prose(words[20:220])}  # like both, closer to "wire"
    prints = {name: sources.fingerprint(text) for name, text in texts.items()}
    assert set(sources.group(prints).values()) == {"between"}  # by their text, one group
    found = sources.group(prints, stories={"wire": "ap:1", "rewrite": "own:2", "other": "own:2"})
    assert found == {"between": "between", "wire": "between", "other": "other", "rewrite": "other"}


@pytest.mark.parametrize("store_env", ["embedded"], indirect=True)
def test_copies_command_lists_the_groups(store_env, syndicated):
    runner = CliRunner()
    assert "1 group(s) of copies of one story, 20 documents" in runner.invoke(
        cli, [*store_env, "load", str(syndicated)]).output
    listed = json.loads(runner.invoke(cli, [*store_env, "copies", "--json"]).output)
    assert listed["groups"][0]["copies"] == 20 and listed["documents"] == 21
    regrouped = json.loads(runner.invoke(cli, [*store_env, "copies", "--threshold", "1.0", "--json"]).output)
    assert regrouped["threshold"] == 1.0 and len(regrouped["groups"]) > 1


def test_grouping_keeps_different_stories_on_one_event_apart():
    texts = {"a": STORY, "b": copy_of_story(1), "c": OTHER, "d": "", "e": copy_of_story(4)}
    found = sources.group({name: sources.fingerprint(text) for name, text in texts.items()})
    assert found == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "a"}


def test_the_measurement_set_is_grouped_as_benchmarks_md_says():
    import sys
    sys.path.insert(0, str(SEEDS.parent / "scripts"))
    import copies_benchmark

    texts, gold = copies_benchmark.build()
    found = sources.group({name: sources.fingerprint(text) for name, text in texts.items()})
    scores = copies_benchmark.pair_scores(found, gold)
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95


def _copies_benchmark():
    import sys
    sys.path.insert(0, str(SEEDS.parent / "scripts"))
    import copies_benchmark
    return copies_benchmark


def test_a_fingerprint_from_stored_shingle_hashes_is_the_fingerprint_of_the_text():
    import zlib

    copies_benchmark = _copies_benchmark()
    for text in (STORY, OTHER, copy_of_story(2)):
        hashes = sorted({zlib.crc32(s) for s in sources.shingles(sources.body(text))})
        assert copies_benchmark.shingle_fingerprint(hashes) == sources.fingerprint(text)


def test_the_real_set_loads_with_real_copies_and_near_misses():
    real = _copies_benchmark().load_real()
    sizes = {}
    for story in real["gold"].values():
        sizes[story] = sizes.get(story, 0) + 1
    assert len(real["gold"]) >= 250
    assert sum(n >= 2 for n in sizes.values()) >= 45 and max(sizes.values()) <= 5
    assert sum(n == 1 for n in sizes.values()) >= 100  # near-misses
    assert sorted(set(real["part"].values())) == ["dev", "held-out"]
    assert all(len(hashes) for hashes in real["shingles"].values())


def test_the_real_set_is_grouped_as_benchmarks_md_says():
    """Floors at the figures measured on the real set at the default threshold (BENCHMARKS.md):
    126 of its 160 pairs of copies found, 24 pairs of different stories joined (short of the 0.95
    target: see BENCHMARKS.md for why), and on the dev part 20 of 22 pairs found with 1 joined wrongly."""
    copies_benchmark = _copies_benchmark()
    real = copies_benchmark.load_real()
    prints = {name: copies_benchmark.shingle_fingerprint(h) for name, h in real["shingles"].items()}
    found = sources.group(prints)
    scores = copies_benchmark.pair_scores(found, real["gold"])
    assert scores["tp"] >= 126 and scores["fp"] <= 24 and scores["tp"] + scores["fn"] == 160
    held_out = {name for name, part in real["part"].items() if part == "held-out"}
    dev = copies_benchmark.pair_scores(found, real["gold"], held_out)
    assert dev["tp"] >= 20 and dev["fp"] <= 1


def test_the_benchmarks_bound_is_the_best_threshold_chosen_with_the_gold():
    copies_benchmark = _copies_benchmark()
    similarity = {("a", "b"): 0.5, ("a", "c"): 0.15, ("b", "c"): 0.1, ("c", "d"): 0.2}
    best = copies_benchmark.best_threshold(similarity, {"a": "s", "b": "s", "c": "t", "d": "t"})
    assert (best["threshold"], best["precision"], best["recall"]) == (0.2, 1.0, 1.0)
    assert copies_benchmark.exact_containment({"x": {1, 2}, "y": {1, 2, 3, 4}}) == {("x", "y"): 1.0}


def test_a_sites_header_and_footer_do_not_make_its_stories_copies():
    header = "\n".join(f"Section {n}: the latest news, analysis and opinion from our newsroom today" for n in range(12))
    footer = "\n".join(f"Related {n}: more stories from the region you may have missed this week" for n in range(12))
    def page(text):  # a web page: one line a paragraph, the site around it
        headline, _, story = text.partition("\n\n")
        return f"{header}\n{headline}\n{' '.join(story.split())}\n{footer}"

    one, other = page(STORY), page(OTHER.rpartition("CLAIM")[0])
    page_one, page_other = sources.shingles(one), sources.shingles(other)
    whole_page = len(page_one & page_other) / len(page_one | page_other)
    assert whole_page >= sources.DEFAULT_THRESHOLD  # the pages look alike
    assert sources.group({"one": sources.fingerprint(one), "other": sources.fingerprint(other)}) == {
        "one": "one", "other": "other"}  # their bodies do not


@pytest.mark.parametrize("case", BODY_CASES, ids=[case["name"] for case in BODY_CASES])
def test_the_body_of_a_document_is_its_prose_without_the_site_around_it(case):
    assert sources.body(case["text"]) == case["body"]


def test_a_page_and_its_copy_with_another_site_around_it_have_one_fingerprint():
    story = ("KABUL (AP) — A suicide bomber killed at least six people in the Afghan capital on Monday, "
             "police said.\nThe dead included one woman, while 13 people were wounded and taken to a hospital.\n")
    one = "Home > World\nSix killed in Kabul\n" + story + "Read more: the latest world news from our reporters\n"
    other = "Kabul bombing kills six (AP Photo/Staff)\nBy The Associated Press\n" + story + "© 2024 Other Site\n"
    longer = one + "The attack was the third in the capital this month, officials in the city said.\n"
    assert sources.fingerprint(one) == sources.fingerprint(other) != sources.fingerprint(longer)


def test_fingerprints_of_another_scheme_are_not_compared():
    prints = {name: sources.fingerprint(STORY) for name in ("a", "b", "c")}
    prints["c"] = prints["c"].partition(":")[2]  # as an older graphctl stored it: no scheme
    assert sources.group(prints) == {"a": "a", "b": "a", "c": "c"}


def test_documents_fingerprinted_by_an_older_scheme_are_read_again(store, syndicated):
    pipeline.load(store, [syndicated])
    store.query("MATCH (d:Document) SET d.minhash = 'old', d.extractor = 'graphctl-rules/1+rules.old'", write=True)
    assert sources.regroup(store).groups == {}  # no fingerprint of this scheme: nothing to compare
    summary = pipeline.load(store, [syndicated])
    assert summary.documents_loaded == 21
    assert summary.copies["groups"][0]["copies"] == 20


def _prose(words: list[str]) -> str:
    """Words as prose lines of ten, each a sentence (a body, as body() keeps it)."""
    return "\n".join(" ".join(words[i:i + 10]) + "." for i in range(0, len(words), 10))


def test_grouping_only_the_changed_documents_gives_the_groups_of_grouping_all():
    words = [f"w{n}" for n in range(600)]
    texts = {"a": _prose(words[0:200]), "b": _prose(words[100:300]), "c": _prose(words[200:400]),
             "d": _prose(words[400:600]), "e": _prose(words[0:200])}
    prints = {name: sources.fingerprint(text) for name, text in texts.items()}
    before = sources.group(prints)
    assert before == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "a"}  # b holds c to a
    previous = {name: (group if list(before.values()).count(group) > 1 else None) for name, group in before.items()}
    prints["b"] = sources.fingerprint(_prose([f"x{n}" for n in range(200)]))  # b now another story
    prints["d"] = sources.fingerprint(_prose(words[300:500]))                  # d now a copy of c
    after = sources.group(prints, previous=previous, changed={"b", "d"})
    assert after == sources.group(prints) == {"a": "a", "b": "b", "c": "c", "d": "c", "e": "a"}


def test_a_load_that_changed_few_documents_compares_only_them(store, syndicated, monkeypatch):
    pipeline.load(store, [syndicated])
    compared = []
    full = sources._candidate_pairs
    monkeypatch.setattr(sources, "_candidate_pairs", lambda *args: compared.append("all") or full(*args))
    (syndicated / "copy07.txt").write_text(copy_of_story(7).replace("Sunday", "Monday"))
    summary = pipeline.load(store, [syndicated])
    assert summary.documents_loaded == 1 and compared == []
    assert summary.copies["groups"][0]["copies"] == 20
    pipeline.load(store, [syndicated], copies_threshold=0.9)  # another threshold: everything grouped again
    assert compared == ["all"]

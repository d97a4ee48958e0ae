"""Extraction over documents on disk (graph/extracting.py), called as a library: what
`graphctl extract`, `actors --candidates` and `eval` do, without the command line."""
import pytest

from graph import extracting, pipeline
from graph.errors import UsageError
from conftest import GOLD_CLAIMS, SEEDS

REGISTRY = "tests/data/extraction/registry.yaml"


def test_read_paths_reads_regular_files_and_lists_what_it_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("Iran trained Hamas.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    reading = pipeline.read_paths([tmp_path])
    assert [d.name for d in reading.documents] == ["a.txt"]  # read one at a time: skipped fills as they go
    assert [(e.path, e.reason) for e in reading.skipped] == [(str(tmp_path / "empty.txt"), "empty document")]


def test_extract_paths_gives_each_documents_claims_and_the_skipped_files(tmp_path):
    (tmp_path / "a.txt").write_text("Iran trained Hamas fighters in 2001.", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02" * 100)
    extracted = extracting.extract_paths([tmp_path / "a.txt", tmp_path / "b.bin"],
                                         pipeline.find_registry([], REGISTRY))
    results = list(extracted.results)
    assert [(d.name, [(c.subject, c.predicate, c.object) for c in claims]) for d, claims in results] == \
        [("a.txt", [("iran", "TRAINED", "hamas")])]
    assert [e.path for e in extracted.skipped] == [str(tmp_path / "b.bin")]


def test_candidate_actors_are_merged_over_documents_and_most_mentioned_first(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Tariq Nadeem Qureshi met IRGC officers in Tehran.", encoding="utf-8")
    rows, skipped = extracting.candidate_actors([tmp_path], pipeline.find_registry([]))
    first = next(r for r in rows if r["text"] == "Tariq Nadeem Qureshi")
    assert first["documents"] == ["a.txt", "b.txt"] and first["count"] >= 2 and not skipped
    assert not {r["text"] for r in rows} & {"IRGC", "Tehran"}


def test_evaluate_paths_without_arguments_scores_the_seeds_against_their_gold():
    report = extracting.evaluate_paths()
    given = extracting.evaluate_paths(GOLD_CLAIMS, [SEEDS])
    assert report.to_dict() == given.to_dict()
    assert report.without_part_of.precision >= 0.9 and len(report.contested_links_found) == 7


def test_evaluate_paths_given_documents_without_gold_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--gold"):
        extracting.evaluate_paths(None, [tmp_path])


def test_evaluate_paths_names_the_defaults_it_could_not_find(tmp_path, monkeypatch):
    monkeypatch.setattr(extracting, "DEFAULT_DOCUMENTS", (tmp_path / "seeds", tmp_path / "_shipped" / "seeds"))
    with pytest.raises(UsageError, match="the seeds are not in this installation"):
        extracting.evaluate_paths(GOLD_CLAIMS)

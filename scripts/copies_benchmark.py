"""How well graph/sources.py finds copies of one story, and what it costs per document.

    python scripts/copies_benchmark.py                 # print the figures
    python scripts/copies_benchmark.py --write         # and write them into BENCHMARKS.md
    python scripts/copies_benchmark.py --thresholds 0.3 0.5 --scale 5000

The set is scripts/data/copies.yaml: stories, copies of them made as syndication makes
them, and near-misses (other reports of the same event or of like events). Precision and
recall are counted on pairs of documents: a pair is found when the grouping puts both in
one group, and true when both are the same story.
"""
from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmarks_md import write_section  # noqa: E402

from graph import sources  # noqa: E402

SET = ROOT / "scripts" / "data" / "copies.yaml"
SECTION = "## Copies of one story"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def copy(headline: str, text: str, spec: dict) -> str:
    """A copy of a story as a spec makes it: replace (house-style edits), trim (the last n
    sentences cut), headline, dateline (agency tag before the first sentence), blog (a date
    line above), footer (boilerplate below)."""
    text = " ".join(text.split())
    for old, new in spec.get("replace", []):
        if old not in text:
            raise ValueError(f"{old!r} is not in the story {headline!r}")
        text = text.replace(old, new, 1)
    if spec.get("trim"):
        sentences = _SENTENCE_END.split(text.strip())
        text = " ".join(sentences[:-spec["trim"]])
    if spec.get("dateline"):
        text = f"{spec['dateline']} {text}"
    parts = [spec["blog"]] if spec.get("blog") else []
    parts += [spec.get("headline", headline), text]
    if spec.get("footer"):
        parts.append(spec["footer"])
    return "\n\n".join(parts) + "\n"


def build(path: Path = SET) -> tuple[dict[str, str], dict[str, str]]:
    """The set's documents by name, and each one's story (the gold group)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts, gold = {}, {}
    for story in data["stories"]:
        texts[story["id"]] = copy(story["headline"], story["text"], {})
        gold[story["id"]] = story["id"]
        for number, spec in enumerate(story["copies"], start=1):
            name = f"{story['id']}~copy{number}"
            texts[name] = copy(story["headline"], story["text"], spec)
            gold[name] = story["id"]
    for other in data["near_misses"]:
        texts[other["id"]] = copy(other["headline"], other["text"], {})
        gold[other["id"]] = other["id"]
    return texts, gold


def pair_scores(found: dict[str, str], gold: dict[str, str]) -> dict:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        same, grouped = gold[a] == gold[b], found[a] == found[b]
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
    return {"tp": tp, "fp": fp, "fn": fn, "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0}


def cost(texts: dict[str, str], threshold: float) -> dict:
    """Seconds per document: the fingerprint (at load, once per changed document) and the grouping
    (after each load, over every stored fingerprint)."""
    start = time.perf_counter()
    prints = {name: sources.fingerprint(text) for name, text in texts.items()}
    fingerprinted = time.perf_counter()
    sources.group(prints, threshold)
    grouped = time.perf_counter()
    n = len(texts)
    return {"documents": n, "chars_per_document": round(sum(map(len, texts.values())) / n),
            "fingerprint_ms": (fingerprinted - start) * 1000 / n, "group_ms": (grouped - fingerprinted) * 1000 / n}


def store_cost(texts: dict[str, str]) -> dict:
    """Milliseconds per document of grouping an embedded store again (read the fingerprints, group,
    mark documents and claims, recount links): what a load that changed documents adds."""
    import tempfile

    from graph.backends import EmbeddedBackend
    from graph.model import Document
    from graph.store import Store

    with tempfile.TemporaryDirectory() as folder, Store(EmbeddedBackend(Path(folder) / "g.lbug")) as store:
        store.replace_documents([(name, Document(name, text), []) for name, text in texts.items()])
        start = time.perf_counter()
        sources.regroup(store)
        return {"documents": len(texts), "regroup_ms": (time.perf_counter() - start) * 1000 / len(texts)}


def scaled_corpus(n: int) -> dict[str, str]:
    import generate_corpus

    actors = generate_corpus.load_actors()
    return {f"gen{i}": generate_corpus.article_text(3, i, actors) for i in range(n)}


def run(thresholds: list[float], scale: int) -> dict:
    texts, gold = build()
    results = {"documents": len(texts), "stories": len(set(gold.values())),
               "same_story_pairs": sum(gold[a] == gold[b] for a, b in itertools.combinations(gold, 2)),
               "by_threshold": {}}
    prints = {name: sources.fingerprint(text) for name, text in texts.items()}
    for threshold in thresholds:
        results["by_threshold"][threshold] = pair_scores(sources.group(prints, threshold), gold)
    similarity = {(a, b): sources.minhash(texts[a]).jaccard(sources.minhash(texts[b]))
                  for a, b in itertools.combinations(sorted(texts), 2)}
    same = {pair: j for pair, j in similarity.items() if gold[pair[0]] == gold[pair[1]]}
    apart = {pair: j for pair, j in similarity.items() if gold[pair[0]] != gold[pair[1]]}
    results["least_similar_copies"] = min(same.items(), key=lambda item: item[1])
    results["most_similar_apart"] = max(apart.items(), key=lambda item: item[1])
    results["cost_set"] = cost(texts, sources.DEFAULT_THRESHOLD)
    if scale:
        generated = scaled_corpus(scale)
        results["cost_scaled"] = cost(generated, sources.DEFAULT_THRESHOLD)
        results["cost_store"] = store_cost(generated)
    return results


def render(results: dict, command: str) -> str:
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [SECTION, "",
             f"Written by `{command}` on {made}. The set (scripts/data/copies.yaml): "
             f"{results['documents']} documents, {results['stories']} stories, {results['same_story_pairs']} pairs "
             "of copies; its copies are made as syndication makes them (another headline, an agency dateline, a "
             "trimmed ending, a blog's date line and footer, house-style edits) and its near-misses are other "
             "reports of the same events and reports of like events in the same words. The stories are written "
             "for the set, modelled on real, widely reported events (their details are not a record: the set "
             "measures copy detection, not facts); none is copied from a publication, and no real syndicated "
             "copies are in it, so these figures are an upper bound for wire copy rewritten more heavily.",
             "", f"Precision and recall on pairs of documents (default threshold {sources.DEFAULT_THRESHOLD}; "
             f"{sources.SHINGLE}-word shingles, {sources.PERMUTATIONS} permutations):", "",
             "| threshold | precision | recall | pairs found right | wrongly joined | missed | target >= 0.95 both |",
             "|---|---|---|---|---|---|---|"]
    for threshold, s in results["by_threshold"].items():
        met = "**met**" if s["precision"] >= 0.95 and s["recall"] >= 0.95 else "**not met**"
        lines.append(f"| {threshold} | {s['precision']:.3f} | {s['recall']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} "
                     f"| {met} |")
    (a, b), low = results["least_similar_copies"]
    (c, d), high = results["most_similar_apart"]
    lines += ["", f"The margin: the least similar copies of one story ({a}, {b}) estimate {low:.2f}; the most "
              f"similar documents of different stories ({c}, {d}) {high:.2f}. A set of real syndicated copies "
              "with heavier rewrites would narrow it; the threshold is `graphctl load --copies-threshold`."]
    lines += ["", "Cost per document (milliseconds, one process, on a machine shared with other work): the "
              "fingerprint is taken once per changed document at load; the grouping runs after a load that changed "
              "documents, over every stored fingerprint.", "",
              "| corpus | documents | chars/document | fingerprint ms/doc | grouping ms/doc |", "|---|---|---|---|---|"]
    for name, key in (("the set", "cost_set"), ("generated news (scripts/generate_corpus.py)", "cost_scaled")):
        if key in results:
            c = results[key]
            lines.append(f"| {name} | {c['documents']:,} | {c['chars_per_document']:,} | {c['fingerprint_ms']:.2f} "
                         f"| {c['group_ms']:.3f} |")
    if "cost_store" in results:
        c = results["cost_store"]
        lines += ["", f"Grouping an embedded store of {c['documents']:,} documents again (read the fingerprints, "
                  f"group, mark documents and claims, recount links): {c['regroup_ms']:.2f} ms per document."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    parser.add_argument("--scale", type=int, default=5000, help="Also time this many generated documents (0: no).")
    parser.add_argument("--write", action="store_true", help="Write the section into BENCHMARKS.md.")
    args = parser.parse_args(argv)
    results = run(args.thresholds, args.scale)
    command = "python scripts/copies_benchmark.py" + (" --write" if args.write else "")
    section = render(results, command)
    print(section)
    if args.write:
        write_section(SECTION, section)


if __name__ == "__main__":
    main()

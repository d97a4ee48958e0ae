#!/usr/bin/env python3
"""Alias matching throughput: Registry.find_mentions in MB/s, the seeds' registry against the
shipped one, on the same text.

    python scripts/bench_aliases.py [--mb 4] [--runs 3] [--json]

The text is the generator's news-like articles (scripts/generate_corpus.py, names drawn from
the seeds' registry) followed by the five seed articles, repeated to --mb megabytes; each
registry matches it --runs times and the best run counts. Matching is done per document, as
the extractor does; registry loading (compiling the matcher) is timed apart.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from generate_corpus import iter_articles  # noqa: E402

from graph.actors import Registry  # noqa: E402
from graph.pipeline import SHIPPED_REGISTRY  # noqa: E402

REGISTRIES = {"seeds": ROOT / "seeds" / "actors.yaml", "shipped": SHIPPED_REGISTRY}


def documents(megabytes: float) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    articles = [text for _, text in iter_articles(200, seed=1)]
    base = articles + seeds
    size = sum(len(t.encode("utf-8")) for t in base)
    copies = max(1, round(megabytes * 1e6 / size))
    return base * copies


def measure(path: Path, docs: list[str], runs: int) -> dict:
    start = time.perf_counter()
    registry = Registry.from_yaml(path)
    load_s = time.perf_counter() - start
    size_mb = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    best, mentions = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        mentions = sum(len(registry.find_mentions(t)) for t in docs)
        best = min(best, time.perf_counter() - start)
    return {"registry": str(path.relative_to(ROOT)), "actors": len(registry), "aliases": registry.alias_count,
            "load_s": round(load_s, 3), "text_mb": round(size_mb, 2), "seconds": round(best, 3),
            "mb_per_s": round(size_mb / best, 2), "mentions": mentions}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=4, help="megabytes of text (default 4)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    docs = documents(args.mb)
    rows = [{"name": name, **measure(path, docs, args.runs)} for name, path in REGISTRIES.items()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'registry':10} {'actors':>6} {'aliases':>7} {'load s':>7} {'text MB':>7} {'MB/s':>6} {'mentions':>9}")
    for r in rows:
        print(f"{r['name']:10} {r['actors']:>6} {r['aliases']:>7} {r['load_s']:>7} {r['text_mb']:>7} "
              f"{r['mb_per_s']:>6} {r['mentions']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Alias matching throughput: Registry.find_mentions in MB/s, the seeds' registry against the
shipped one, on the same text.

    python scripts/bench_aliases.py [--mb 4] [--runs 3] [--json] [--baseline REV] [--write]

The text is the generator's news-like articles (scripts/generate_corpus.py, names drawn from
the seeds' registry) followed by the five seed articles, repeated to --mb megabytes; each
registry matches it --runs times and the best run counts. Matching is done per document, as
the extractor does; registry loading (compiling the matcher) is timed apart.

--baseline REV also times graph/actors.py as it was at a git revision (default 8371a59, the
matcher before the broad registry) on the same text and registries, in the same run, where
that revision can load them; --write puts the table in BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from generate_corpus import iter_articles  # noqa: E402

from benchmarks_md import write_section  # noqa: E402
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


HEADING = "## Alias matching"


def baseline_registry_class(revision: str):
    """graph/actors.py at `revision`, loaded beside today's (as graph._baseline_actors)."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:graph/actors.py"], check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("graph._baseline_actors", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "graph"
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(source, f"{revision}:graph/actors.py", "exec"), module.__dict__)
    return module.Registry


def measure(path: Path, docs: list[str], runs: int, registry_class=Registry) -> dict:
    start = time.perf_counter()
    registry = registry_class.from_yaml(path)
    load_s = time.perf_counter() - start
    size_mb = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    best, mentions = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        mentions = sum(len(registry.find_mentions(t)) for t in docs)
        best = min(best, time.perf_counter() - start)
    aliases = getattr(registry, "alias_count", None) or sum(len(a.aliases) + 1 for a in registry.actors.values())
    return {"registry": str(path.relative_to(ROOT)), "actors": len(registry), "aliases": aliases,
            "load_s": round(load_s, 3), "text_mb": round(size_mb, 2), "seconds": round(best, 3),
            "mb_per_s": round(size_mb / best, 2), "mentions": mentions}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=4, help="megabytes of text (default 4)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline", default="8371a59", help="git revision of the matcher to compare with ('' for none)")
    parser.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    args = parser.parse_args(argv)
    docs = documents(args.mb)
    rows = [{"name": name, "matcher": "today", **measure(path, docs, args.runs)} for name, path in REGISTRIES.items()]
    if args.baseline:
        old = baseline_registry_class(args.baseline)
        for name, path in REGISTRIES.items():
            try:
                rows.append({"name": name, "matcher": args.baseline, **measure(path, docs, args.runs, old)})
            except Exception as exc:  # noqa: BLE001 - an older matcher may refuse a newer registry
                rows.append({"name": name, "matcher": args.baseline, "error": f"{type(exc).__name__}: {exc}"[:120]})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    text = render(rows, args)
    print(text)
    if args.write:
        write_section(HEADING, text)
    return 0


def render(rows: list[dict], args) -> str:
    lines = [HEADING, "",
             f"`python scripts/bench_aliases.py --write` (run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC): "
             f"`Registry.find_mentions` over {rows[0]['text_mb']} MB of generated articles and the seeds, one "
             f"process, best of {args.runs}, per document as the extractor calls it; the matcher of revision "
             f"{args.baseline or '-'} (before the broad registry) timed in the same run on the same text.", "",
             "| matcher | registry | actors | aliases | load s | MB/s | mentions |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['matcher']} | {r['name']} | | | | could not load it: {r['error']} | |")
        else:
            lines.append(f"| {r['matcher']} | {r['name']} | {r['actors']} | {r['aliases']} | {r['load_s']} | "
                         f"{r['mb_per_s']} | {r['mentions']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

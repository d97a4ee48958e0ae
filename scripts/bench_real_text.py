#!/usr/bin/env python3
"""Extraction speed on real, actor-dense text: the five seeds and the 275 dev passages.

    python scripts/bench_real_text.py            # print the figures
    python scripts/bench_real_text.py --write    # and replace the section in BENCHMARKS.md

One process, the same machine and run for every row: graphctl's extractor as shipped
(frames + learned scorer), the frames alone, and the parse-every-sentence reference
(Extractor(parse_all=True): spaCy's whole pipeline, NER included, on every sentence).
The model load is not counted. Each figure is the best of --repeat runs.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmarks_md import write_section  # noqa: E402
from graph.documents import read_document  # noqa: E402
from graph.evaluation import read_passages  # noqa: E402
from graph.extraction import Extractor  # noqa: E402
from graph.pipeline import combined_registry  # noqa: E402

HEADING = "## Extraction on real text"
TARGET_MB_S = 0.05  # the extraction issue's floor, per process


def corpus():
    seeds = [read_document(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    dev = read_passages(ROOT / "tests" / "data" / "dev" / "passages.jsonl")
    registry = combined_registry([ROOT / "seeds" / "actors.yaml",
                                  ROOT / "tests" / "data" / "dev" / "actors.extra.yaml"])
    return seeds + dev, registry


def timed(extractor, documents, repeat: int) -> tuple[float, int]:
    best, claims = float("inf"), 0
    for _ in range(repeat):
        t = time.perf_counter()
        claims = sum(len(c) for c in extractor.extract_batch(documents))
        best = min(best, time.perf_counter() - t)
    return best, claims


def measure(repeat: int) -> dict:
    documents, registry = corpus()
    mb = sum(len(d.text.encode("utf-8")) for d in documents) / 1e6
    rows = {}
    for name, extractor in (("shipped (frames + scorer)", Extractor(registry)),
                            ("frames alone", Extractor(registry, scorer=None)),
                            ("parse every sentence (parse_all)", Extractor(registry, parse_all=True))):
        extractor.nlp  # the model load is not counted
        seconds, claims = timed(extractor, documents, repeat)
        rows[name] = {"seconds": round(seconds, 2), "mb_s": round(mb / seconds, 3), "claims": claims}
    reference = rows["parse every sentence (parse_all)"]["seconds"]
    for row in rows.values():
        row["vs_parse_all"] = round(reference / row["seconds"], 2)
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": platform.platform(),
            "python": platform.python_version(), "documents": len(documents), "mb": round(mb, 3),
            "repeat": repeat, "rows": rows}


def render(r: dict) -> str:
    shipped = r["rows"]["shipped (frames + scorer)"]["mb_s"]
    lines = [HEADING, "",
             f"Run {r['date']} on {r['machine']}, Python {r['python']}, by `python scripts/bench_real_text.py --write`: "
             f"the five seeds and the 275 dev passages ({r['documents']} documents, {r['mb']} MB, actor-dense: "
             "most sentences name two actors), one process, best of "
             f"{r['repeat']} runs, model load not counted.", "",
             "| extractor | seconds | MB/s | claims | speed vs parse-every-sentence |", "|---|---|---|---|---|"]
    for name, row in r["rows"].items():
        lines.append(f"| {name} | {row['seconds']} | {row['mb_s']} | {row['claims']} | {row['vs_parse_all']}x |")
    verdict = "met" if shipped >= TARGET_MB_S else "NOT met"
    lines += ["", f"Floor of the extraction issue: {TARGET_MB_S} MB/s per process on such text: **{verdict}** "
              f"({shipped} MB/s). The learned scorer reads every sentence naming two actors, so on this text "
              "the shipped extractor parses nearly every sentence; it stays ahead of the reference because it "
              "skips NER and sentences without two actors, and runs the attribute ruler outside spaCy.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = measure(args.repeat)
    text = render(results)
    print(json.dumps(results, indent=2) if args.json else text)
    if args.write:
        write_section(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

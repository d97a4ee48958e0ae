"""BENCHMARKS.md by section: each benchmark script replaces its own section, in place (or adds
it at the end), and keeps the rest of the file as it was.

scripts/benchmarks_md.py is not run on its own: scripts/bench_aliases.py, bench_real_text.py and
copies_benchmark.py import its write_section.
"""
from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def write_section(heading: str, section: str, path: Path = BENCHMARKS) -> None:
    """`section` (starting with the line `heading`) in place of the old one of that heading."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find("\n" + heading + "\n")
    if start < 0:
        path.write_text(text.rstrip() + "\n\n" + section.rstrip() + "\n", encoding="utf-8")
        return
    end = text.find("\n## ", start + 1)
    rest = text[end:] if end >= 0 else ""
    path.write_text(text[:start + 1] + section.rstrip() + "\n" + rest, encoding="utf-8")

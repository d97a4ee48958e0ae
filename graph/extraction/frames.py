"""One parsed sentence: its actor tokens, pronouns, and the dependency rules (frames) over it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from typing import TYPE_CHECKING

from ..model import SYMMETRIC, UNNAMED

if TYPE_CHECKING:  # the extractor builds a context per sentence; the context reads its rules
    from .extractor import Extractor
    from .sentences import Sentence


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
    score: float | None = None   # the learned scorer's probability, where it made the claim




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
        for t in [token, *(c for c in self._listed(token) if c.lemma_.lower() not in titles)]:
            a = self.actor(t)
            if a and a not in found:
                found.append(a)
            if not a and t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in self.rules.member_heads:
                # "non-state actors in many countries, including Hezbollah, Hamas and the PIJ"
                for b in self._examples(t):
                    if b not in found:
                        found.append(b)
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

    def _examples(self, noun) -> list[str]:
        """Actors a noun introduces by example: "actors in many countries, including A, B and C",
        "groups such as A and B" (the list hung on the noun or on its prepositional phrase)."""
        holders = [noun] + ([noun.head] if noun.dep_ == "dobj" else [])  # "supports actors in many countries, including"
        heads = [noun] + [p for h in holders for prep in h.children if prep.dep_ == "prep"
                          for p in prep.children if p.dep_ == "pobj"]
        found = []
        for head in heads:
            for d in head.children:
                if d.dep_ == "prep" and (d.lower_ in ("including", "like", "especially", "notably") or (
                        d.lower_ == "as" and any(c.lower_ == "such" for c in d.children))):
                    for p in d.children:
                        if p.dep_ == "pobj":
                            found += [self.token_actor[q.i] for q in [p, *self._listed(p)] if q.i in self.token_actor]
        return list(dict.fromkeys(found))

    def _listed(self, token) -> list:
        """The other members of a list the token heads: its conjuncts, and a list the parser
        hung on it as an apposition ("Canada, the European Union, Israel and Japan")."""
        members = list(token.conjuncts)
        for c in token.children:
            if c.dep_ == "appos" and c.i in self.token_actor and c.conjuncts:
                members += [c, *c.conjuncts]
        return members

    def actor(self, t, depth=0) -> str | None:
        if t.i in self.token_actor:
            return self.token_actor[t.i]
        if depth > 2 or t.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"):
            return None
        if t.tag_ in ("NNS", "NNPS") and t.lower_.endswith("s"):
            # "killed many Israelis", "Iraqis": a people named by their state's demonym
            state = self.rules.demonyms.get(t.lower_[:-1])
            if state and state in self.x.registry:
                return state
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
            agents = [p for w in self._coordination(v) for a in w.children if a.dep_ == "agent"
                      for p in a.children if p.dep_ == "pobj"]
            # "banned as a terrorist organization by India": the "by" hung on the "as" noun
            return agents or [p for prep in kids if prep.dep_ == "prep" and prep.lower_ == "as"
                              for n in prep.children if n.dep_ == "pobj"
                              for a in n.children if a.dep_ in ("agent", "prep") and a.lower_ == "by"
                              for p in a.children if p.dep_ == "pobj"]
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
            if self.passive(v.head) and not self.passive(v):  # "X was formed in 2014 and has fought Y"
                return [c for c in v.head.children if c.dep_ == "nsubjpass"]
            return self.subjects(v.head, seen + 1)
        first = v
        while first.dep_ == "conj" and first.head is not first:
            first = first.head  # "accused of training, financing and providing weapons"
        if first is not v and first.dep_ in ("pcomp", "pobj") and first.head.lower_ == "of" and \
                first.head.head.lemma_.lower() in self.rules.accuse_verbs:
            return [c for c in first.head.head.children if c.dep_ in ("dobj", "nsubjpass")]
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
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.lower_ in ("for", "by", "in", "after", "while") \
                and v.head.head.pos_ in ("VERB", "AUX", "ADJ"):
            # "X is known for providing arms to Y", "X thanked Y for helping Z": the governor's object, else subject
            governor = v.head.head
            for deps in (("dobj",), ("nsubjpass",), ("nsubj",)):
                found = [c for c in governor.children if c.dep_ in deps]
                if found:
                    return found
            if governor.pos_ == "ADJ" and governor.dep_ == "acomp":
                return [c for c in governor.head.children if c.dep_ == "nsubj"]  # "X is responsible for training"
        if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX"):
            return self.subjects(v.head, seen + 1)  # "X rejected it, saying ...": X says
        if v.dep_ in ("relcl", "acl") and v.tag_ != "VBN":
            return [v.head]
        return []

    @classmethod
    def passive(cls, v) -> bool:
        """A passive verb, or a participle coordinated with one ("funded, trained and guided by X")."""
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) or (v.dep_ == "acl" and v.tag_ == "VBN") \
            or (v.dep_ == "conj" and v.tag_ == "VBN" and v.head is not v and cls.passive(v.head)
                and not any(c.dep_ == "aux" for c in v.children))  # "was formed and has fought": active

    @staticmethod
    def _coordination(v) -> list:
        """The verbs coordinated with v, v first: "funded, trained, equipped and guided"."""
        return [v, *v.conjuncts]

    def objects(self, v, pred) -> list:
        spec = self.rules.predicates[pred]
        preps = set(spec.get("object_preps") or [])
        out = []
        kids = list(v.children)
        if self.passive(v):
            if v.dep_ == "conj" and not any(c.dep_ == "nsubjpass" for c in kids):
                kids = kids + [c for c in v.head.children if c.dep_ == "nsubjpass"]  # "X is funded and trained by"
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
        if not subs and self.passive(v) and spec.get("location_agent_preps"):
            # "JeM was proscribed in the UK": a state named as the place is the one that acts
            subs = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ in spec["location_agent_preps"]
                    for p in prep.children if p.dep_ == "pobj" for a in self.actors(p) if self.x._kind(a) == "state"]
            kind = "passive_place"
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

    def modifier_rule(self, v, pred) -> list[Raw]:
        """"the Iran-backed Houthis", "Hamas (a U.S.-designated terrorist organization)", "the Haqqani
        Network, a US-designated FTO": a participle glued to an actor qualifies a noun, or what it describes."""
        if v.dep_ not in ("amod", "compound") or v.tag_ != "VBN":
            return []
        agents = [self.token_actor[c.i] for c in v.children
                  if c.dep_ in ("npadvmod", "compound", "nmod", "amod") and c.i in self.token_actor]
        if v.i in self.token_actor and "-" in v.text:
            agents.append(self.token_actor[v.i])  # "U.S.-designated", one token
        noun = v.head
        targets = self.actors(noun) if self.actor(noun) else [a for t in self._described_by(noun) for a in self.actors(t)]
        return [Raw(a, pred, b, f"{pred}.modifier", anchor=v) for a in dict.fromkeys(agents) for b in targets if a != b]

    def label_rule(self, v) -> list[Raw]:
        """"X regards Y as a terrorist organization", "Y is not considered a terrorist group by X":
        a labelling verb whose complement is a noun qualified by a label word (DESIGNATED)."""
        spec = self.rules.predicates["DESIGNATED"]
        words = set(spec.get("label_words") or [])
        complements = [n for c in v.children if c.dep_ in ("oprd", "attr", "xcomp", "ccomp", "dobj") for n in [c]]
        complements += [n for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "as"
                        for n in prep.children if n.dep_ == "pobj"]
        labelled = [n for n in complements if n.lemma_.lower() in words or
                    any(m.dep_ in ("amod", "compound") and m.lemma_.lower() in words for m in n.children)]
        if not labelled:
            return []
        if self.passive(v):
            objs = [a for c in v.children if c.dep_ == "nsubjpass" for a in self.actors(c)]
            agents = [p for t in [v, *labelled] for a in t.children if a.dep_ in ("agent", "prep") and a.lower_ == "by"
                      for p in a.children if p.dep_ == "pobj"]
            subs = [a for t in agents for a in self.actors(t)]
        else:
            subs = [a for t in self.subjects(v) for a in self.actors(t)]
            objs = [a for c in v.children if c.dep_ == "dobj" and c not in labelled for a in self.actors(c)]
        negated = self.negated(v)
        return [Raw(a, "DESIGNATED", b, "DESIGNATED.label", anchor=v, negated=negated)
                for a in subs for b in objs if a != b]

    def membership_rule(self, n) -> list[Raw]:
        """PART_OF from a membership noun (a unit or a title) that says what an actor is:
        "X is a member of Y", "X, the armed wing of Y", "the deputy leader of Y, X",
        "X was established as the paramilitary wing of Y", "X is an al-Qaeda affiliate"."""
        owners = [a for prep in n.children if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "at", "within")
                  for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
        owners += [self.token_actor[c.i] for c in n.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                   and c.i in self.token_actor]
        if n.dep_ == "dobj" and n.head.lemma_.lower() in self.rules.have_verbs | {"include", "comprise"}:
            # "Hamas has a military wing, the Qassam Brigades": the one who has it owns it
            owners += [a for t in self.subjects(n.head) for a in self.actors(t)]
        owner_kinds = set(self.rules.predicates["PART_OF"].get("owner_kinds") or [])
        owners = [o for o in owners if self.x._kind(o) in owner_kinds]  # "his deputy X": not part of a person
        if not owners or n.i in self.token_actor:
            return []
        members = [a for t in self._described_by(n) for a in self.actors(t)]
        if n.lemma_.lower() in self.rules.person_titles:  # "X, the commander of Y": X is a person
            members = [m for m in members if self.x._kind(m) == "person"]
        return [Raw(m, "PART_OF", o, "PART_OF.membership", anchor=n, negated=self.negated(n))
                for m in members for o in owners if m != o]

    def _described_by(self, n) -> list:
        """The tokens a noun describes: a copula's subject, an apposition, the subject of an
        "as" phrase or of a labelling verb's complement."""
        head = n.head
        if n.dep_ == "attr" and head.pos_ in ("AUX", "VERB"):
            return [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if n.dep_ == "appos":
            return [head]
        out = [c for c in n.children if c.dep_ == "appos"]
        if n.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("NOUN", "PROPN"):
            out.append(head.head)  # "Russia, as a permanent member of the Security Council", "with X as its leader"
        if n.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head
            if head.i < verb.i:  # "Russia, as a member of the Council, vetoed ...": the subject
                out += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            else:
                out += [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")] or \
                    [c for c in verb.children if c.dep_ == "nsubj"]
        if n.dep_ in ("oprd", "xcomp") and head.pos_ == "VERB":
            out += [c for c in head.children if c.dep_ in ("nsubjpass", "dobj")]
        return out

    def led_by_rule(self, n) -> list[Raw]:
        """"Under the leadership of X, Y emerged": the leader is part of what the clause is about."""
        if not (n.dep_ == "pobj" and n.head.lower_ == "under" and n.head.head.pos_ in ("VERB", "AUX")):
            return []
        leaders = [a for prep in n.children if prep.dep_ == "prep" and prep.lower_ == "of"
                   for p in prep.children if p.dep_ == "pobj" for a in self.actors(p) if self.x._kind(a) == "person"]
        bodies = [a for t in self.subjects(n.head.head) for a in self.actors(t) if self.x._kind(a) != "person"]
        return [Raw(p, "PART_OF", b, "PART_OF.led_by", anchor=n) for p in leaders for b in bodies]

    def leadership_rule(self, v) -> list[Raw]:
        """"Y is headed by X", "X leads Y", "Y, founded by X": a person who leads is part of the body."""
        people = [a for t in self.subjects(v) for a in self.actors(t) if self.x._kind(a) == "person"]
        bodies = [a for t in self.objects_plain(v) for a in self.actors(t) if self.x._kind(a) != "person"]
        return [Raw(p, "PART_OF", b, "PART_OF.leader", anchor=v, negated=self.negated(v))
                for p in people for b in bodies]

    def objects_plain(self, v) -> list:
        """A verb's direct objects, or for a passive its subject (or the noun a participle qualifies)."""
        if self.passive(v):
            qualified = [v.head] if v.dep_ == "acl" else []
            if qualified and v.head.i not in self.token_actor:  # "an organization headed by X": what it describes
                qualified += self._described_by(v.head)
            return [c for c in v.children if c.dep_ == "nsubjpass"] + qualified
        return [c for c in v.children if c.dep_ == "dobj"]

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
            preps = [c for c in node.children if c.dep_ in ("prep", "dative") and c.lower_ in names]
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
        # ("received training, funding and weapons from X": each noun of the list stands where the first does)
        base = n
        while base.dep_ == "conj" and base.head is not base and base.head.pos_ in ("NOUN", "PROPN"):
            base = base.head
        if base is not n:  # "assistance and training from X": the list's prepositions are the first noun's
            agents = agents or [a for t in prep_objs(base, agent_preps) for a in self.actors(t)]
            patients = patients or [a for t in prep_objs(base, patient_preps) for a in self.actors(t)]
        head = base.head
        if base.dep_ in ("dobj", "pobj", "attr", "nsubjpass") and head.pos_ in ("VERB", "AUX", "ADP"):
            verb = head.head if head.pos_ == "ADP" else head
            lemma = verb.lemma_.lower()
            if lemma in self.rules.give_verbs and base.dep_ == "dobj" or (head.pos_ == "ADP" and head.lower_ == "with"
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
                if not takers:
                    # "provides aid in the form of weapons and funding to Hamas": a "to" hung further down
                    takers = [a for d in verb.subtree if d.i > n.i and d.dep_ in ("prep", "dative")
                              and d.lower_ in patient_preps and d.head.pos_ in ("NOUN", "PROPN")
                              for t in d.children if t.dep_ == "pobj" for a in self.actors(t)]
                for a in givers:
                    for b in takers:
                        raws.append(Raw(a, pred, b, f"{pred}.light_verb", anchor=n,
                                        negated=negated or self.negated(verb)))
            elif lemma in self.rules.receive_verbs and base.dep_ == "dobj":
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
        # "X launched attacks against Y", "X waged a war on Y": the doer's own act
        if n.dep_ == "dobj" and n.head.lemma_.lower() in self.rules.doer_verbs and patients and not owner_ids \
                and not agents:
            verb = n.head
            for a in [a for t in self.subjects(verb) for a in self.actors(t)]:
                for b in patients:
                    raws.append(Raw(a, pred, b, f"{pred}.doer_verb", anchor=n, negated=negated or self.negated(verb)))
        # "X was responsible for the attack against Y", "X was behind a coordinated attack on Y"
        if n.dep_ == "pobj" and patients and not owner_ids and not agents and \
                (n.head.lower_ == "behind" or (n.head.lower_ == "for" and
                                               n.head.head.lemma_.lower() in self.rules.responsible_words)):
            verb = n.head.head if n.head.lower_ == "behind" else n.head.head.head
            doers = [a for t in self.subjects(verb) for a in self.actors(t)] or \
                [a for t in verb.children if t.dep_ == "nsubjpass" for a in self.actors(t)]
            for a in doers:
                for b in patients:
                    raws.append(Raw(a, pred, b, f"{pred}.responsible", anchor=n,
                                    negated=negated or self.negated(verb)))
        # "X was locked in a war with Y", "X engaged in cooperation with Y", "X called for the destruction of Y"
        if n.dep_ == "pobj" and n.head.lower_ in ("in", "into", "for") and n.head.head.pos_ in ("VERB", "AUX") \
                and patients and not owner_ids and not agents and (
                n.head.lower_ != "for" or n.head.head.lemma_.lower() in self.rules.doer_verbs):
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
        doc, rules = self.doc, self.rules
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
                    if lemma in rules.accuse_verbs and self.passive(node) and not subs:
                        speaker = UNNAMED  # "Iran has been accused of arming X": by no one named
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


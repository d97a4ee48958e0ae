"""Frames that read the document around the sentence: who issued it (its unnamed agent), the
attack a definite description refers back to, the objects a next sentence names ("These include
A, B"), and designations worded as lists. Mixed into the sentence context of graph/extraction/frames.py."""
from __future__ import annotations

import re

from .raw import Raw


# "These include A, B and C", "They are ...": a sentence naming what the one before left unnamed
NAMED_NEXT = re.compile(r"(?:These|They|Those)\s+(?:include|includes|included|are|were)\b")


class DocumentFrames:
    """Needs the sentence context's issuer, recent_targets and token_actor (graph/extraction/context.py)."""

    def named_next(self, open_objects) -> list[Raw]:
        """"These include A, B and C" after a sentence whose verb took a group of unnamed objects: each
        name is an object of that verb's claim."""
        first = next((t for t in self.doc if not t.is_punct), None)
        if first is None or first.lower_ not in ("these", "they", "those") or first.head.lemma_ not in ("include", "be"):
            return []
        verb = first.head
        named = list(dict.fromkeys(self.token_actor[t.i] for t in self.doc if t.i > verb.i and t.i in self.token_actor))
        return [Raw(a, pred, b, f"{pred}.named_next", anchor=verb, negated=negated)
                for a, pred, negated in open_objects for b in named if a != b]

    def _refers_to_event(self, n) -> bool:
        """"the attack", "this bombing": a definite event noun with no target of its own."""
        # "the 2003 attacks in Riyadh", "the Burgas bombing": a new event, described, not one referred to
        return n.lemma_.lower() in self.rules.event_nouns and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in n.children) and not any(
            c.dep_ in ("poss", "prep", "nummod", "appos", "acl") or c.pos_ in ("NUM", "PROPN")
            or c.i in self.token_actor for c in n.children)

    def involvement_rule(self, t) -> list[Raw]:
        """"X had a role in the attack on Y", "X's involvement in Hariri's murder", "X was involved in
        the bombing of Y", "X played a part in the attack" (the attack named before): X opposed Y."""
        events = [p for prep in t.children if prep.dep_ == "prep" and prep.lower_ == "in"
                  for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in self.rules.event_nouns]
        if not events:
            return []
        if t.pos_ == "VERB":  # "was involved in"
            doers = [a for c in t.children if c.dep_ in ("nsubjpass", "nsubj") for a in self.actors(self._pronoun_head(t, c))]
        else:
            doers = [a for c in t.children if c.dep_ in ("poss", "compound", "amod") for a in
                     ([self.actor(c)] if self.actor(c) else []) + ([self._demonym(c)] if self._demonym(c) else [])]
            if not doers and t.dep_ == "dobj":  # "X had / played a role in"
                doers = [a for s in self.subjects(t.head) for a in self.actors(s)]
        targets = []
        for e in events:
            patients = [a for prep in e.children if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "of")
                        for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
            if e.lemma_.lower() in self.rules.victim_nouns:
                patients += [self.token_actor[c.i] for c in e.children if c.dep_ == "poss" and c.i in self.token_actor]
            targets += patients or (self.recent_targets if self._refers_to_event(e) else [])
        return [Raw(a, "OPPOSED", b, "OPPOSED.involvement", anchor=t, negated=self.negated(t))
                for a in dict.fromkeys(doers) for b in dict.fromkeys(targets) if a != b]

    def denied_involvement(self) -> list[Raw]:
        """"X denied any involvement in the attack", "X and Y deny that they were involved in the
        blast": X denies attacking the target of the attack the document named before."""
        if not self.recent_targets:
            return []
        raws = []
        for verb in self.doc:
            if verb.lemma_.lower() not in self.rules.denial_verbs or verb.pos_ != "VERB":
                continue
            events = [d for d in verb.subtree if d.dep_ == "pobj" and d.head.lower_ in ("in", "for")
                      and self._refers_to_event(d) and (d.head.head.lemma_.lower() in self.rules.involvement_nouns
                                                          or d.head.head.lemma_.lower() == "involve")]
            if not events:
                continue
            deniers = [a for t in self.subjects(verb) for a in self.actors(t)]
            raws += [Raw(d, "OPPOSED", b, "OPPOSED.denied_involvement", anchor=verb, negated=True, speaker=d)
                     for d in dict.fromkeys(deniers) for b in dict.fromkeys(self.recent_targets) if d != b]
        return raws

    def list_rule(self, v) -> list[Raw]:
        """"X added Y to the list (: A, B and C)", "Y was placed on the terror list", "X included Y on
        its list of ...": a designation worded as putting a name on a list."""
        spec = self.rules.predicates["DESIGNATED"]
        lists = [p for prep in v.children if prep.dep_ == "prep" and prep.lower_ in ("to", "on", "in", "onto")
                 for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in (spec.get("list_nouns") or [])]
        if not lists:
            return []
        other = set(spec.get("other_lists") or ())
        if any(c.lemma_.lower() in other for noun in lists for c in noun.children):
            return []  # "Israel is on Hezbollah's target list": no designation
        owners = [a for noun in lists for c in noun.children if c.dep_ in ("poss", "compound") for a in self.actors(c)
                  if self.x._kind(a) in ("state", "government_body", "organization")]
        if v.lemma_.lower() == "be":  # "X is on the U.S. government's list": the owner listed X
            listed = [a for t in self.subjects(v) for a in self.actors(t)]
            return [Raw(a, "DESIGNATED", b, "DESIGNATED.list", anchor=v, negated=self.negated(v))
                    for a in dict.fromkeys(owners) for b in dict.fromkeys(listed) if a != b]
        listed = [a for t in self.objects_plain(v) for a in self.actors(t)]
        for noun in lists:  # "to the list: A, B and C", "to the list of terrorist entities, including A"
            listed += self._listed_after(noun)
        designators = [a for t in self.subjects(v) for a in self.actors(t)] or owners
        if not designators and self.voice and all(self._stands_for_issuer(t) for t in self.subjects(v)):
            designators = [self.voice]
        return [Raw(a, "DESIGNATED", b, "DESIGNATED.list", anchor=v, negated=self.negated(v))
                for a in dict.fromkeys(designators) for b in dict.fromkeys(listed) if a != b]

    def _listed_after(self, noun) -> list[str]:
        """The actors a list noun introduces: after a colon right behind it, or by "including"."""
        out = []
        colon = next((t for t in self.doc[noun.i + 1:noun.right_edge.i + 2] if t.text == ":"), None)
        if colon is not None:
            for t in self.doc[colon.i + 1:]:
                if t.text in (";", "."):
                    break
                a = self.token_actor.get(t.i)
                if a and a not in out:
                    out.append(a)
        for d in noun.subtree:
            if self.introduces_examples(d):
                out += [a for p in d.children if p.dep_ == "pobj" for a in self.actors(p) if a not in out]
        return out

    def issuer_rule(self, t, pred) -> list[Raw]:
        """An agent left unnamed in the issuer's own document (graph.extraction.issuer): "Y was
        proscribed in 2001", "the listing of Y", "re-listing Y as a terrorist organisation",
        "this order proscribes Y". Only where the predicate allows it (`issuer_agent`)."""
        spec = self.rules.predicates[pred]
        # a law or resolution the sentence names says whose designation it is, else the document's issuer,
        # else for a noun in "These include the listing of Y" the one the sentence before said took measures
        verb = t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")
        # (a verb whose subject is the document's own voice, "we proscribe Y", "this order lists Y", is
        # its voice's; an agentless "Y was proscribed" only its issuer's)
        spoken = verb and bool(self.subjects(t))
        issuer = self.x.instrument_issuer(self.s.text) or (self.voice if spoken else self.issuer) or \
            (self._measures_owner() if t.pos_ == "NOUN" else None)
        if not (issuer and spec.get("issuer_agent")):
            return []
        if verb:
            if not all(self._stands_for_issuer(a) for a in self.subjects(t)):
                return []  # someone else acts: "Bahrain listed Y" (Bahrain unknown to the registry)
            targets = [a for o in self.objects(t, pred) for a in self.actors(o)]
        else:
            if any(c.dep_ in ("poss", "compound", "amod", "nmod") and self.actor(c) for c in t.children) or \
                    any(c.dep_ in ("prep", "agent") and c.lower_ == "by" for c in t.children):
                return []  # "the US designation of Y", "the listing of Y by the UN": named
            pending = set(self.rules.issuer.get("pending_words", ()))
            if any(a.lemma_.lower() in pending for a in t.ancestors):
                return []  # "the process for consideration of the designation of Y": not made yet
            targets = [a for prep in t.children if prep.dep_ == "prep" and prep.lower_ in (spec.get("patient_preps") or [])
                       for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
        raws = [Raw(issuer, pred, b, f"{pred}.issuer", anchor=t, negated=self.negated(t))
                for b in dict.fromkeys(targets) if b != issuer]
        return self._with_ending(t, pred, raws)

    def _measures_owner(self) -> str | None:
        """"Canada has several measures in place. These include the listing of Y": the previous
        sentence's subject (its topic), for an act named in a "These include" sentence."""
        if self.s.index == 0 or not NAMED_NEXT.match(self.s.text):
            return None
        prev = self._sentences[self.s.index - 1]
        return prev.topic if prev.paragraph == self.s.paragraph else None

    def _stands_for_issuer(self, t) -> bool:
        """A subject that is the issuer speaking or its instrument: "I", "we", "the Government", "this order"."""
        return t.lower_ in ("i", "we") or self.means_issuer(t) or \
            (t.pos_ == "NOUN" and t.lemma_.lower() in self.rules.issuer.get("instrument_nouns", ())) or \
            self._issuer_office(t)

    def _issuer_office(self, t) -> bool:
        """An office named with no body ("the Home Secretary", "the Governor-General"): in the issuer's
        own document, the issuer acting."""
        return t.lemma_.lower() in self.rules.person_titles and t.i not in self.token_actor and \
            not any(c.i in self.token_actor for c in t.subtree)


__all__ = ["DocumentFrames"]

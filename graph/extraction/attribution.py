"""Who says a claim, whether it is negated, hedged or speculative: read from the parse around
the claim's trigger word (reporting verbs, quotations, negation, hedges, conditionals)."""
from __future__ import annotations

from ..model import UNNAMED


class Attribution:
    """Mixed into the sentence context (graph/extraction/frames.py): speaker and polarity."""

    # -- polarity

    def negated(self, t) -> bool:
        words = self.rules.negation_words
        if t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX") and t.head.i != t.i and \
                any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in t.head.children) and \
                not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) and self.negated(t.head):
            return True  # "we never paid a penny or provided a bullet": the negation spans the "or"
        node, steps = t, 0
        while node is not None and steps < 4:
            for c in node.children:
                if c.dep_ in ("neg",) or (c.dep_ in ("advmod", "det", "preconj") and c.lower_ in words):
                    return True
            if node.dep_ in ("xcomp", "dobj", "pobj", "prep", "attr", "acomp") and node.head.i != node.i:
                if node.dep_ == "xcomp" and self._failed(node.head):
                    return True
                node = node.head
                steps += 1
                if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("xcomp",):
                    # check the governing verb, then stop
                    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in words) for c in node.children)
            else:
                break
        return False

    def _failed(self, verb) -> bool:
        """"refused to", "failed to", "attempted in vain to": the verb's complement did not happen."""
        return verb.lemma_.lower() in self.rules.negating_verbs or any(
            c.dep_ == "prep" and c.lower_ == "in" and any(p.lower_ in self.rules.vain_words for p in c.children)
            for c in verb.children)

    def ended(self, n, pred) -> bool:
        """"The designation of X will expire", "sanctions on X were lifted": the noun is the subject of
        one of the predicate's `ending_verbs`, so the relation no longer holds."""
        ending = self.rules.predicates[pred].get("ending_verbs") or ()
        if n.dep_ not in ("nsubj", "nsubjpass"):
            return False
        verb = n.head
        if verb.lemma_.lower() not in ending and verb.dep_ in ("ccomp", "conj") and \
                not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.head.children):
            verb = verb.head  # "the designation of X, made in 2010, will expire", parsed as the subject of "made"
        return verb.lemma_.lower() in ending

    def disowned(self, t) -> bool:
        """"X denied saying (that) Y ...": X disowns a statement, and says nothing of Y's relations."""
        for node in t.ancestors:
            if node.pos_ == "VERB" and node.lemma_.lower() in self.rules.reporting_verbs and \
                    node.dep_ in ("xcomp", "ccomp", "dobj", "pcomp") \
                    and node.head.lemma_.lower() in self.rules.denial_verbs:
                return True
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
        describes_speaker = False  # "Iranian-backed militia leader X said ...": the author describes X
        for node in chain:
            lemma = node.lemma_.lower()
            if node.i != anchor.i and prev.dep_ in ("nsubj", "nsubjpass") and lemma in rules.reporting_verbs:
                describes_speaker = True
            if node.i != anchor.i and prev.dep_ in ("conj", "parataxis", "relcl", "advcl", "pcomp", "acl"):
                in_scope = False
            if lemma == "from" and node.head.lower_ == "far":
                self.far_from = True  # "far from proving X": the opposite
            if not in_scope and node.i != anchor.i:
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
            if hedge_here and lemma in rules.hedge_words and node.i != anchor.i:
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
            if node.i != anchor.i and prev.dep_ not in ("nsubj", "nsubjpass", "csubj"):
                if lemma in rules.denial_verbs and prev.dep_ in ("ccomp", "dobj", "xcomp"):
                    deniers = [a for t in self.subjects(node) for a in [ctx_actor(t)] if a]
                    if deniers:
                        denier = deniers[0]
                        break
                if lemma in rules.responsible_words and node.pos_ == "NOUN" and prev.dep_ == "prep" and \
                        node.head.lemma_.lower() in rules.claim_verbs:
                    claimants = [a for t in self.subjects(node.head) for a in [ctx_actor(t)] if a]
                    if claimants:  # "X claimed responsibility for attacking Y": in X's words
                        speaker = claimants[0]
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
                        (prev.dep_ == "prep" and prev.lower_ == "of" and lemma in rules.accuse_verbs) or
                        # "accused X of terrorism", the parser hanging "of" on X
                        (prev.dep_ == "dobj" and lemma in rules.accuse_verbs and any(
                            a.dep_ == "prep" and a.lower_ == "of" and a.head.i == prev.i for a in anchor.ancestors)) or
                        self.accused_gerund(prev)):
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
                    if any(c.dep_ == "mark" and c.lower_ == "as" for c in node.children):
                        prev = node
                        continue  # "..., as the noble Lord said, ...": the author's own words, agreeing
                    if any(self.unnamed_speaker(t) for t in subs):
                        speaker = UNNAMED
                        break
                    if lemma in rules.accuse_verbs and self.passive(node) and not subs:
                        speaker = UNNAMED  # "Iran has been accused of arming X": by no one named
                        break
                    # "This alliance explains why ...": no one is quoted; go on up
            prev = node
        if speaker is None and denier is None and not describes_speaker:
            # "Iran funded X, the group's spokesman said.": a reporting verb hung on the root
            root = anchor.sent.root
            for c in root.children:
                if c.dep_ in ("parataxis", "ccomp") and c.i > anchor.i and c.lemma_.lower() in rules.reporting_verbs \
                        and not any(a.i == c.i for a in anchor.ancestors) and \
                        not any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):  # "as X said": agreeing
                    subs = self.subjects(c)
                    actors = [ctx_actor(t) for t in subs if ctx_actor(t)]
                    if actors:
                        speaker = actors[0]
                    elif any(self.unnamed_speaker(t) for t in subs):
                        speaker = UNNAMED
                    break
        if speaker is None and denier is None and not describes_speaker:
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



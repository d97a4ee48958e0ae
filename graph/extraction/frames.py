"""The frames: each a named construction over one parsed sentence (active and passive verbs,
nouns with their prepositions, light verbs, modifiers, labelling verbs, membership nouns...),
driven by the frame lexicon of rules.yaml. Each returns Raw relations; the extractor attributes
and assembles them into claims."""
from __future__ import annotations

import re

from ..model import SYMMETRIC
from .attribution import Attribution
from .context import SentenceContext, prep_objects
from .document_frames import DocumentFrames
from .noun_frames import NounFrames
from .raw import Raw


class _Context(NounFrames, DocumentFrames, Attribution, SentenceContext):
    """The parsed sentence (SentenceContext), speaker and polarity (Attribution), the frames that read
    the document around the sentence (DocumentFrames), those of a trigger noun (NounFrames), and the
    other frames of the sentence itself."""

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
        if v.lemma_.lower() in (spec.get("destination_verbs") or []) and any(
                c.dep_ == "dobj" and c.lemma_.lower() in (spec.get("message_nouns") or []) for c in v.children):
            return []  # "sent two letters to X": words, not support
        if v.lemma_.lower() in self.rules.denial_verbs and any(
                c.dep_ == "dobj" and c.lemma_.lower() in self.rules.statement_nouns for c in v.children):
            return []  # "X dismissed / rejected the Hezbollah statement": the words, not Hezbollah (a denial)
        subs = [a for t in self.subjects(v) for a in self.actors(t)]
        objs = [a for t in self.objects(v, pred) for a in self.actors(t)]
        if pred == "OPPOSED" and objs:
            self.event_targets += objs  # "a drone struck a US outpost": an attack on the US, whoever made it
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
        if not subs and self.passive(v) and pred == "OPPOSED":
            # "X was killed in a US drone strike": whoever made the strike
            subs = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "in"
                    for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in self.rules.event_nouns
                    for a in [self._maker(p)] if a]
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
            heads = [t for t in v.children if t.dep_ == "nsubjpass"]
            if not heads and v.dep_ == "conj":  # "X was formed in 2009 and is connected to Y"
                heads = [t for t in v.head.children if t.dep_ in ("nsubj", "nsubjpass")]
            subs = [a for t in heads for a in self.actors(self._pronoun_head(v, t))]
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
        if subs and not objs and not self.passive(v):
            # "X lists a number of terrorist entities. These include A, B and C.": the next sentence may name them
            if any(c.dep_ == "dobj" and c.i not in self.token_actor and
                   (c.tag_ == "NNS" or c.lemma_.lower() in self.rules.member_heads) for c in v.children):
                self.open_objects += [(a, pred, negated) for a in dict.fromkeys(subs)]
        return raws

    def _maker(self, event) -> str | None:
        """The actor an event noun's modifiers name: "a US strike", "an Israeli drone strike"."""
        for c in event.children:
            if c.dep_ in ("amod", "compound", "nmod"):
                a = self.token_actor.get(c.i) or self._demonym(c) or (self._maker(c) if c.dep_ == "compound" else None)
                if a:
                    return a
        return None

    def adjective_rule(self, a, pred, preps, denies=False) -> list[Raw]:
        """A predicative adjective: "X became hostile to Y", "X is opposed to Y", "a group hostile to Y";
        one that `denies` says the relation does not hold ("X is independent of Y")."""
        others = [x for prep in a.children if prep.dep_ == "prep" and prep.lower_ in preps
                  for p in prep.children if p.dep_ == "pobj" for x in self.actors(p)]
        if not others:
            return []
        if a.dep_ in ("acomp", "oprd", "xcomp") and a.head.pos_ in ("VERB", "AUX"):
            holders = [x for t in self.subjects(a.head) for x in self.actors(t)]
            negated = self.negated(a) or self.negated(a.head)
        elif any(c.dep_ == "auxpass" for c in a.children):  # "X, which is opposed to Y" (parsed as a passive)
            holders = [x for t in a.children if t.dep_ == "nsubjpass" for x in self.actors(self._pronoun_head(a, t))]
            negated = self.negated(a)
        elif a.dep_ in ("amod", "acl"):  # "a group hostile to Y"
            noun = a.head
            if not self.actor(noun) and noun.dep_ == "pobj" and noun.head.lower_ == "with" and \
                    noun.head.head.pos_ in ("NOUN", "PROPN"):
                noun = noun.head.head  # "an organisation with a strong force, independent of Y": the organisation's
            holders = self.actors(noun) or [x for t in self._described_by(noun) for x in self.actors(t)]
            negated = self.negated(a)
        else:
            return []
        return [Raw(x, pred, y, f"{pred}.adjective", anchor=a, negated=negated != denies)
                for x in dict.fromkeys(holders) for y in dict.fromkeys(others) if x != y]

    def modifier_rule(self, v, pred) -> list[Raw]:
        """"the Iran-backed Houthis", "Hamas (a U.S.-designated terrorist organization)", "the Haqqani
        Network, a US-designated FTO": a participle glued to an actor qualifies a noun, or what it describes."""
        if v.dep_ not in ("amod", "compound") or v.tag_ != "VBN":
            return []
        inside = self.token_actor.get(v.i)  # "Iran-aligned militia groups", a registry name holding its backer
        agents = [self._own_name(c) if inside and self.token_actor.get(c.i) == inside else
                  self.token_actor.get(c.i) or self._demonym(c) for c in v.children  # "Iran-backed", "Iranian-backed"
                  if c.dep_ in ("npadvmod", "compound", "nmod", "amod") and (c.i in self.token_actor or self._demonym(c))]
        agents = [a for a in agents if a]
        if inside and "-" in v.text and not agents:
            agents.append(inside)  # "U.S.-designated", one token
        if inside and agents and inside not in agents:
            return [Raw(a, pred, b, f"{pred}.modifier", anchor=v) for a in dict.fromkeys(agents)
                    for b in self._name_and_next(v.i) if a != b]
        noun = v.head
        named = self.actor(noun)
        if named is not None and noun.i not in self.token_actor and named == self.token_actor.get(v.i):
            named = None  # "a U.S.-designated organization": the participle's own name qualifies the noun
        targets = self.actors(noun) if named else [a for t in self._described_by(noun) for a in self.actors(t)]
        if not targets and noun.i + 1 < len(self.doc) and noun.i + 1 in self.token_actor and noun.pos_ == "NOUN":
            # "Iran-backed Lebanese militant movement Hezbollah", "Iran-aligned militia groups A, B and C":
            # the name (or list of names) right after its description
            name = noun.head if noun.dep_ == "compound" and noun.head.i in self.token_actor else self.doc[noun.i + 1]
            targets = self.actors(name)
        if not targets:
            targets = self._collective_of(noun)
        if not targets and noun.tag_ == "NNS" and noun.dep_ == "dobj":
            # "added three Iran-backed groups to the list: A, B and C" / "..., including A": the groups named
            targets = [a for prep in noun.head.children if prep.dep_ == "prep"
                       for p in prep.children if p.dep_ == "pobj" for a in self._listed_after(p)]
        return [Raw(a, pred, b, f"{pred}.modifier", anchor=v) for a in dict.fromkeys(agents) for b in targets if a != b]

    def _name_and_next(self, i) -> list[str]:
        """The actor named by the run of tokens from i, and the names right after it ("Iran-aligned
        militia groups A, B and C": the groups, A, B and C)."""
        end = self._name_end(i)
        after = self.actors(self.doc[end + 1:self._name_end(end + 1) + 1].root) \
            if end + 1 < len(self.doc) and end + 1 in self.token_actor else []
        return list(dict.fromkeys([self.token_actor[i], *after]))

    def _name_end(self, i) -> int:
        """The last token of the run of tokens from i that name the same actor as token i."""
        end = i
        while end + 1 < len(self.doc) and self.token_actor.get(end + 1) == self.token_actor[i]:
            end += 1
        return end

    def _own_name(self, t) -> str | None:
        """The actor a single word of a longer name names on its own: "Iran" in "Iran-aligned militias"."""
        found = self.x.registry.find_mentions(t.text)
        return self._demonym(t) or (found[0].actor_id if len(found) == 1 and found[0].text == t.text else None)

    def _collective_of(self, members) -> list[str]:
        """"X, an umbrella group of Iran-backed militias", "X is a coalition of Iranian-supported groups":
        the body the members make up (rules.collective_nouns), what it describes."""
        if not (members.dep_ == "pobj" and members.head.lower_ == "of"):
            return []
        body = members.head.head
        if body.lemma_.lower() not in self.rules.collective_nouns and not any(
                c.dep_ in ("compound", "amod") and c.lemma_.lower() in self.rules.collective_nouns for c in body.children):
            return []
        return self.actors(body) if body.i in self.token_actor else \
            [a for t in self._described_by(body) for a in self.actors(t)]

    def label_rule(self, v) -> list[Raw]:
        """"X regards Y as a terrorist organization", "Y is not considered a terrorist group by X":
        a labelling verb whose complement is a noun qualified by a label word (DESIGNATED)."""
        spec = self.rules.predicates["DESIGNATED"]
        words = set(spec.get("label_words") or [])
        counter = set(spec.get("counter_labels") or [])
        complements = [n for c in v.children if c.dep_ in ("oprd", "attr", "xcomp", "ccomp", "dobj") for n in [c]]
        complements += [n for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "as"
                        for n in prep.children if n.dep_ == "pobj"]
        # "X considers Y to be liberation movements": no terrorists, in X's view (denies)
        to_be = [c for c in v.children if c.dep_ in ("xcomp", "ccomp") and c.lemma_ == "be"]
        countered = [n for c in to_be for n in c.children if n.dep_ == "attr"] + complements
        countered = [n for n in countered if self._labelled(n, counter) and not self._labelled(n, words)]
        if countered and not self.passive(v):
            objs = self._labelled_objects(v, countered) or \
                [a for c in to_be for t in c.children if t.dep_ == "nsubj" for a in self.actors(t)]
            return self._labels(v, [a for t in self.subjects(v) for a in self.actors(t)], objs, negated=True)
        # "determined that Y is a state sponsor of terrorism": the clause's copula complement
        clause = [c for c in v.children if c.dep_ == "ccomp" and c.lemma_ == "be"]
        complements += [n for c in clause for n in c.children if n.dep_ == "attr"]
        labelled = [n for n in complements if self._labelled(n, words)]
        if not labelled:
            return []
        if clause and any(n.head in clause for n in labelled):
            objs = [a for c in clause for t in c.children if t.dep_ == "nsubj" for a in self.actors(t)]
            return self._labels(v, [a for t in self.subjects(v) for a in self.actors(t)], objs, self.negated(v))
        if self.passive(v):
            objs = [a for c in v.children if c.dep_ == "nsubjpass" for a in self.actors(c)]
            agents = [p for t in [v, *labelled] for a in t.children if a.dep_ in ("agent", "prep") and a.lower_ == "by"
                      for p in a.children if p.dep_ == "pobj"]
            subs = [a for t in agents for a in self.actors(t)]
        else:
            subs = [a for t in self.subjects(v) for a in self.actors(t)]
            objs = self._labelled_objects(v, labelled) or \
                [a for n in labelled for c in n.children if c.dep_ == "nsubj" for a in self.actors(c)]  # a small clause
        return self._labels(v, subs, objs, self.negated(v))

    def _labelled_objects(self, v, complements) -> list[str]:
        """The labelling verb's direct objects other than its complements: "X regards Y as ..."."""
        return [a for c in v.children if c.dep_ == "dobj" and c not in complements for a in self.actors(c)]

    @staticmethod
    def _labels(v, subs, objs, negated) -> list[Raw]:
        return [Raw(a, "DESIGNATED", b, "DESIGNATED.label", anchor=v, negated=negated)
                for a in subs for b in objs if a != b]

    @staticmethod
    def _labelled(n, words) -> bool:
        """A noun qualified by a label word: "a terrorist organization", "a state sponsor of terrorism"."""
        return n.lemma_.lower() in words or any(m.dep_ in ("amod", "compound") and m.lemma_.lower() in words
                                                for m in n.children) or any(
            p.dep_ == "prep" and p.lower_ == "of" and any(o.lemma_.lower() in words for o in p.children)
            for p in n.children)

    def membership_rule(self, n) -> list[Raw]:
        """PART_OF from a membership noun (a unit or a title) that says what an actor is:
        "X is a member of Y", "X, the armed wing of Y", "the deputy leader of Y, X",
        "X was established as the paramilitary wing of Y", "X is an al-Qaeda affiliate"."""
        owners = [a for prep in n.children if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "at", "within")
                  for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
        if n.i in self.token_actor:
            return self._named_unit_of(n, owners)
        owners += [self.token_actor[c.i] for c in n.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                   and c.i in self.token_actor]
        if n.dep_ == "dobj" and n.head.lemma_.lower() in self.rules.have_verbs | {"include", "comprise"}:
            # "Hamas has a military wing, the Qassam Brigades": the one who has it owns it
            owners += [a for t in self.subjects(n.head) for a in self.actors(t)]
        owner_kinds = set(self.rules.predicates["PART_OF"].get("owner_kinds") or [])
        owners = [o for o in owners if self.x._kind(o) in owner_kinds]  # "his deputy X": not part of a person
        if not owners:
            return []
        members = [a for t in self._described_by(n) for a in self.actors(t)]
        if n.lemma_.lower() in self.rules.person_titles:  # "X, the commander of Y": X is a person
            members = [m for m in members if self.x._kind(m) == "person"]
        return [Raw(m, "PART_OF", o, "PART_OF.membership", anchor=n, negated=self.negated(n))
                for m in members for o in owners if m != o]

    def _named_unit_of(self, n, owners) -> list[Raw]:
        """"Unit 29155 of the GRU": a name whose head is a unit noun, followed by its owner."""
        own = self.token_actor[n.i]
        owner_kinds = set(self.rules.predicates["PART_OF"].get("owner_kinds") or [])
        return [Raw(own, "PART_OF", o, "PART_OF.unit_of", anchor=n, negated=self.negated(n))
                for o in dict.fromkeys(owners) if o != own and self.x._kind(o) in owner_kinds
                and self.x._kind(own) != "person"]

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

    def joining_rule(self, v) -> list[Raw]:
        """"X joined Y", "X was integrated into Y", "Y includes A, B and C" (Y a body, not a state):
        the one who joins, or each one included, is part of the body."""
        lemma = v.lemma_.lower()
        if lemma in self.rules.container_verbs and not self.passive(v):
            # a body that has members (not a state, an agency or a list: "included Pakistan on the list"),
            # named, not "These include ...", which gives examples of a kind
            subjects = [t for t in self.subjects(v) if t.lower_ not in ("these", "they", "those")]
            bodies = [a for t in subjects for a in self.actors(t) if self.x._kind(a) in ("armed_group", "organization", "group")]
            if not bodies:  # "the organizations in the PMF include A, B": the body they are in
                bodies = [a for t in subjects if not self.actor(t) for prep in t.children
                          if prep.dep_ == "prep" and prep.lower_ in ("in", "within")
                          for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)
                          if self.x._kind(a) in ("armed_group", "organization", "group")]
            members = [a for t in self.objects_plain(v) for a in self.actors(t)] if not self.list_rule(v) else []
        elif lemma in self.rules.join_into_verbs:  # "X was integrated into Y", "Y absorbed X"
            members = [a for t in self.objects_plain(v) for a in self.actors(t)]
            bodies = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "into"
                      for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)] or \
                [a for t in self.subjects(v) for a in self.actors(t) if not self.passive(v)]
        elif any(c.dep_ == "prep" and c.lower_ in ("in", "for") and any(
                p.dep_ == "pobj" and p.pos_ == "NOUN" and p.lemma_.lower() not in ("year", "month", "week", "day", "decade")
                for p in c.children) for c in v.children):
            return []  # "they joined us in various activities": taking part with someone, not membership
        else:  # join
            members = [a for t in self.subjects(v) for a in self.actors(t)]
            bodies = [a for t in self.objects_plain(v) for a in self.actors(t) if self.x._kind(a) != "state"]
        return [Raw(m, "PART_OF", b, "PART_OF.joined", anchor=v, negated=self.negated(v))
                for m in dict.fromkeys(members) for b in dict.fromkeys(bodies) if m != b]

    def leaving_rule(self, v) -> list[Raw]:
        """"X splintered from Y", "after splintering from Y, X ...", "X broke away from Y": X was part of
        Y and is no longer."""
        bodies = [a for prep in v.children if prep.dep_ == "prep" and prep.lower_ == "from"
                  for p in prep.children if p.dep_ == "pobj" for a in self.actors(p)]
        bodies += [a for prt in v.children if prt.dep_ in ("prt", "advmod") and prt.lower_ == "away"
                   for prep in prt.children if prep.lower_ == "from" for p in prep.children for a in self.actors(p)]
        members = [a for t in self.subjects(v) for a in self.actors(t)] if bodies else []
        return [Raw(m, "PART_OF", b, "PART_OF.left", anchor=v, negated=negated)
                for m in dict.fromkeys(members) for b in dict.fromkeys(bodies) if m != b for negated in (False, True)]

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
                    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
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

    def alongside_rule(self) -> list[Raw]:
        """"X fought against Y alongside Z": X and Z cooperated, and Z too fought Y."""
        raws = []
        for t in self.doc:
            if t.dep_ != "prep" or t.lower_ not in ("alongside", "beside") or t.head.pos_ != "VERB":
                continue
            verb = t.head
            allies = [a for p in t.children if p.dep_ == "pobj" for a in self.actors(p)]
            doers = [a for x in self.subjects(verb) for a in self.actors(x)]
            negated = self.negated(verb)
            raws += [Raw(a, "COOPERATED_WITH", b, "COOPERATED_WITH.alongside", anchor=t, negated=negated)
                     for a in doers for b in allies if a != b]
            if "OPPOSED" in self.rules.verb_triggers.get(verb.lemma_.lower(), ()):
                targets = [a for x in self.objects(verb, "OPPOSED") for a in self.actors(x)]
                raws += [Raw(b, "OPPOSED", c, "OPPOSED.alongside", anchor=verb, negated=negated)
                         for b in allies for c in targets if b != c]
        return raws

    def only_part_rule(self, v) -> list[Raw]:
        """"X designates only the military wing (of Y)", "we proscribe only its military wing": X does
        not designate Y as a whole. Y: the wing's owner, else the group the sentence or those before name."""
        wings = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in self.rules.member_nouns
                 and any(a.lower_ == "only" for a in c.children) or
                 c.dep_ == "dobj" and c.i > 0 and self.doc[c.left_edge.i - 1].lower_ == "only"]
        owners = []
        for w in wings:
            owners += [a for c in w.children if c.dep_ == "poss" for a in self.actors(c)]
            owners += [a for prep in w.children if prep.dep_ == "prep" and prep.lower_ == "of"
                       for t in prep.children if t.dep_ == "pobj" for a in self.actors(t)]
            if not owners:
                groups = [self.token_actor[i] for i in sorted(self.token_actor) if i < w.left_edge.i
                          and self.x._kind(self.token_actor[i]) == "armed_group"]
                owners = groups[-1:] or self._paragraph_group()
        designators = [a for t in self.subjects(v) for a in self.actors(t)] if owners else []
        return [Raw(d, "DESIGNATED", o, "DESIGNATED.only_part", anchor=v, negated=True)
                for d in dict.fromkeys(designators) for o in dict.fromkeys(owners) if d != o]

    def anti_rule(self) -> list[Raw]:
        """"defined by anti-NATO and anti-Israeli sentiments", "anti-Houthi forces, such as X", "X, an
        anti-Western group", "X has an anti-Israel ideology": who holds the noun opposes what follows "anti-"."""
        raws = []
        for t in self.doc[:-2]:
            if t.lower_ != "anti" or self.doc[t.i + 1].text not in ("-", "‐", "‑"):
                continue
            target = self.token_actor.get(t.i + 2) or self._demonym(self.doc[t.i + 2])
            noun = self.doc[t.i + 2]
            while noun.pos_ != "NOUN" and noun.dep_ in ("amod", "compound", "conj", "nmod", "npadvmod") \
                    and noun.head.i != noun.i:
                noun = noun.head
            if not target or noun.pos_ != "NOUN":
                continue
            holders = self._examples(noun) or [a for d in self._described_by(noun) for a in self.actors(d)]
            verb = noun.head.head if noun.dep_ == "pobj" else noun.head
            if not holders and noun.dep_ == "pobj" and noun.head.dep_ == "agent":
                holders = [a for c in verb.children if c.dep_ == "nsubjpass" for a in self.actors(c)]  # "defined by"
            if not holders and noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.rules.have_verbs:
                holders = [a for c in self.subjects(noun.head) for a in self.actors(c)]  # "has an anti-X ideology"
            raws += [Raw(h, "OPPOSED", target, "OPPOSED.anti", anchor=noun) for h in dict.fromkeys(holders) if h != target]
        return raws

    def exception_rule(self, raws: list[Raw]) -> list[Raw]:
        """"designated by many countries, with the exception of Iraq and Lebanon", "... except Iraq": what
        a clause's verb says of many, the excepted deny (the claims of that verb, affirmed)."""
        out = []
        for prep in self.doc:
            if prep.dep_ != "prep" or prep.head.pos_ not in ("VERB", "AUX"):
                continue
            words = self.rules.exception_words
            if prep.lower_ == "with":  # "with the exception of C"
                heads = [o for e in prep.children if e.dep_ == "pobj" and e.lemma_.lower() in words
                         for o in e.children if o.dep_ == "prep" and o.lower_ == "of"]
            else:
                heads = [prep] if prep.lower_ in words else []
            excepted = [a for h in heads for t in h.children if t.dep_ == "pobj" for a in self.actors(t)]
            for r in raws if excepted else ():
                if r.anchor is not None and r.anchor.i == prep.head.i and not r.negated and r.subject not in excepted:
                    out += [Raw(x, r.predicate, r.object, f"{r.predicate}.exception", anchor=prep, negated=True)
                            for x in excepted if x != r.object]
        return out

    def joint(self, n) -> bool:
        """"joint attacks", "combined operations": an act done together (rules: joint_words)."""
        return any(c.dep_ == "amod" and c.lower_ in self.rules.joint_words for c in n.children)

    def joint_rule(self, n) -> list[Raw]:
        """"X carried out joint attacks with Y": X and Y act together (the "with" on the noun, or
        on the verb it is the object of)."""
        if not self.joint(n):
            return []
        verb = n.head if n.dep_ == "dobj" else None
        partners = [a for h in [n, verb] if h is not None for t in prep_objects(h, {"with"}) for a in self.actors(t)]
        doers = [a for c in n.children if c.dep_ in ("poss", "compound") for a in self.actors(c)] or \
            ([a for t in self.subjects(verb) for a in self.actors(t)] if verb is not None else [])
        return [Raw(a, "COOPERATED_WITH", b, "COOPERATED_WITH.joint", anchor=n, negated=self.negated(verb or n))
                for a in dict.fromkeys(doers) for b in dict.fromkeys(partners) if a != b]

    def state_under_rule(self) -> list[Raw]:
        """"Egypt under Mohamed Morsi supported Hamas": the person a state is under leads it, and is part of it."""
        return [Raw(person, "PART_OF", state, "PART_OF.state_under", anchor=t)
                for t in self.doc if t.dep_ == "prep" and t.lower_ == "under"
                for state in [self.token_actor.get(t.head.i)] if state and self.x._kind(state) == "state"
                for p in t.children if p.dep_ == "pobj"
                for person in [self.token_actor.get(p.i)] if person and self.x._kind(person) == "person"]

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


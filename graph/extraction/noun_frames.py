"""The frames of a trigger noun ("support", "training", "attack", "ally"): what the noun's own phrase
names (owners, "from"/"by" agents, "to"/"for"/"against" patients), then each construction that puts
the noun to work, in order: "between X and Y", "X's support for Y", light verbs ("X provided
training to Y", "Y received funding from X"), "X has ties with Y", "Y was placed under an embargo",
"X launched attacks against Y", "X was behind the attack on Y", "X was locked in a war with Y",
"X and Y share enemies: A, B", "X and Y were allies", "X killed A and continued attacks on Y",
"with the support of Y, X ...".
Mixed into the sentence context of graph/extraction/frames.py."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import SYMMETRIC
from .context import prep_objects
from .raw import Raw


@dataclass
class NounPhrase:
    """A trigger noun read once, for every construction."""
    n: object                 # the trigger noun (spaCy token)
    pred: str
    spec: dict                # the predicate's entry of rules.yaml
    negated: bool
    owners: list              # actors qualifying it: "Iran's support", "US sanctions"
    agents: list              # "support from X", "training by X"
    patients: list            # "support for Y", "attacks against Y" (or the attack named before)
    accused: list             # "X was accused of training ...": X
    base: object              # the first noun of its list, or "in the form of" the list stands in
    in_form: bool             # "provides aid in the form of weapons, training ..."
    base_agents: list         # agents and patients, the list's prepositions included
    base_patients: list

    @property
    def agent_preps(self) -> set:
        return set(self.spec.get("agent_preps") or [])

    @property
    def patient_preps(self) -> set:
        return set(self.spec.get("patient_preps") or [])

    @property
    def reciprocal(self) -> bool:
        return self.n.lemma_.lower() in (self.spec.get("reciprocal_nouns") or [])


class NounFrames:
    """Needs the sentence context (actors, subjects, passive, negated, joint, recent_targets, event_targets)."""

    def noun_rule(self, n, pred) -> list[Raw]:
        nonmaterial = self.rules.predicates[pred].get("nonmaterial_modifiers") or ()
        if any(c.dep_ == "amod" and c.lemma_.lower() in nonmaterial for c in n.children):
            return []  # "popular support from Somalis": no material help
        f = self._read_noun(n, pred)
        raws = []
        for construction in (self._between, self._phrase, self._light_verb, self._have_noun, self._possessive_list,
                             self._under, self._doer, self._responsible, self._noun_in, self._colon_list,
                             self._copula, self._conjoined_reciprocal, self._verb_conjunct, self._backing_of,
                             self._fronted_campaign):
            raws += construction(f)
        return self._with_ending(n, pred, raws)

    def _with_ending(self, n, pred, raws) -> list[Raw]:
        """"The designation of X will expire", "sanctions on X were lifted": it held, and holds no more
        (each claim affirmed and denied)."""
        if not self.ended(n, pred):
            return raws
        return raws + [replace(r, negated=True) for r in raws if not r.negated]

    def _read_noun(self, n, pred) -> NounPhrase:
        spec = self.rules.predicates[pred]
        agent_preps = set(spec.get("agent_preps") or [])
        patient_preps = set(spec.get("patient_preps") or [])
        if self.joint(n):
            patient_preps.discard("with")  # "joint attacks with Y": Y a partner (joint_rule), not a target
        owners = [c for c in n.children if c.dep_ in ("poss", "compound", "amod", "nmod") and self.actor(c)]
        owner_ids = list(dict.fromkeys(a for o in owners for a in self.actors(o)))
        # "Eritrean support for Al-Shabaab", "Syrian involvement": a demonym qualifying the act is its state
        owner_ids += [d for c in n.children if c.dep_ == "amod" and not self.actor(c)
                      for d in [self._demonym(c)] if d and d not in owner_ids]
        agents = [a for t in prep_objects(n, agent_preps) for a in self.actors(t)]
        accused = self._accused_of(n)
        patients = [a for t in prep_objects(n, patient_preps) for a in self.actors(t)] or \
            self._hung_patients(n, patient_preps, accused)
        if pred == "OPPOSED":
            if patients:
                self.event_targets += patients
            elif self._refers_to_event(n):
                patients = [a for a in self.recent_targets if a not in owner_ids]  # "the attack": the latest one
        # "received training, funding and weapons from X": each noun of the list stands where the first does
        base = n
        while base.dep_ == "conj" and base.head.i != base.i and base.head.pos_ in ("NOUN", "PROPN"):
            base = base.head
        if base.dep_ == "pobj" and self.introduces_examples(base.head) and base.head.head.pos_ == "NOUN":
            base = base.head.head  # "provides them with resources, including training": what it exemplifies
        base_agents, base_patients = agents, patients
        # "assistance and training from X": the list's prepositions are its first noun's, or its last's
        # ("training, funding and weapons from X", the parser hanging X on "weapons")
        last = max((c for c in base.conjuncts if c.i > n.i), key=lambda c: c.i, default=None)
        for noun in (base, last):
            if noun is not None and noun.i != n.i:
                base_agents = base_agents or [a for t in prep_objects(noun, agent_preps) for a in self.actors(t)]
                base_patients = base_patients or [a for t in prep_objects(noun, patient_preps) for a in self.actors(t)]
        form = base.head.head if base.dep_ == "pobj" and base.head.lower_ == "of" else None
        in_form = False
        if form is not None and form.lemma_.lower() == "form" and form.dep_ == "pobj" and form.head.lower_ == "in" \
                and form.head.head.pos_ == "VERB":
            # "provides aid in the form of weapons, training and funding to Y": each noun is what is given
            base, in_form = form, True
            base_patients = base_patients or [a for w in [n, *n.conjuncts] for t in prep_objects(w, patient_preps)
                                              for a in self.actors(t)]
        return NounPhrase(n, pred, spec, self.negated(n), owner_ids, agents, patients, accused, base, in_form,
                          base_agents, base_patients)

    def _hung_patients(self, n, patient_preps, accused) -> list[str]:
        """The noun's patients the parser hung elsewhere: on the verb right after the noun ("arming the
        rebels in their war against Y"), on a coordinated verb ("accused of training, financing and
        providing weapons for X"), on the accusing verb or the accused ("accused X of terrorism against Y")."""
        direct = patient_preps - {"of", "to"}
        if n.dep_ in ("pobj", "dobj"):
            verb = n.head.head if n.dep_ == "pobj" else n.head
            found = [a for t in prep_objects(verb, direct) if t.head.i == n.right_edge.i + 1 for a in self.actors(t)]
            if found or not accused:
                return found
        if not accused:
            return []
        found = [a for w in n.conjuncts if w.pos_ == "VERB" for t in prep_objects(w, patient_preps)
                 for a in self.actors(t)]
        if found:
            return found
        verb = self._accusing_verb(n)
        holders = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
        return [a for h in holders for t in prep_objects(h, patient_preps - {"of"}) if t.i > n.i for a in self.actors(t)]

    def _accusing_verb(self, n):
        """The verb of "accused of" whose object the noun is (in a list), or None."""
        first = n
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        if not (first.dep_ == "pobj" and first.head.lower_ == "of"):
            return None
        verb = first.head.head
        if verb.lemma_.lower() not in self.rules.accuse_verbs and verb.dep_ == "dobj":
            verb = verb.head  # "accused X of ...", the parser hanging "of" on X
        return verb if verb.lemma_.lower() in self.rules.accuse_verbs else None

    def _accused_of(self, n) -> list[str]:
        """The one accused, where a noun is (in a list) the object of "accused of": "X was accused of
        training ...", "Y accused X of financing ..."."""
        verb = self._accusing_verb(n)
        if verb is None:
            return []
        return [a for c in verb.children if c.dep_ in ("dobj", "nsubjpass") for a in self.actors(c)]

    def _pairs(self, f, subjects, objects, rule, negated=None, **extra) -> list[Raw]:
        neg = f.negated if negated is None else negated
        return [Raw(a, f.pred, b, f"{f.pred}.{rule}", anchor=f.n, negated=neg, **extra)
                for a in subjects for b in objects]

    def _between(self, f) -> list[Raw]:
        """"the war between X and Y", "cooperation among X, Y and Z"; "fighting raged between X and Y"
        (the parser hangs the "between" on the verb the noun is the subject of)."""
        raws = []
        if f.pred not in SYMMETRIC and f.pred != "OPPOSED":
            return raws
        between = prep_objects(f.n, {"between", "among"})
        if not between and f.n.dep_ == "nsubj" and f.n.head.pos_ == "VERB":
            between = prep_objects(f.n.head, {"between", "among"})
        for p in between:
            members = self.actors(p)
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    raws.append(Raw(a, f.pred, b, f"{f.pred}.noun_between", anchor=f.n, negated=f.negated))
                    if f.pred == "OPPOSED":
                        raws.append(Raw(b, f.pred, a, f"{f.pred}.noun_between", anchor=f.n, negated=f.negated))
        return raws

    def _phrase(self, f) -> list[Raw]:
        """"Iran-Qaeda links" (two owners, symmetric); "X's support for Y", "US occupation of Iraq",
        "training from X for Y"."""
        raws = []
        if f.pred in SYMMETRIC and len(f.owners) >= 2 and not f.patients:
            raws.append(Raw(f.owners[0], f.pred, f.owners[1], f"{f.pred}.noun_pair", anchor=f.n, negated=f.negated))
        subj_ids = f.agents or f.owners or f.accused
        if subj_ids and f.patients:
            raws += self._pairs(f, subj_ids, f.patients, "noun")
        return raws

    def _light_verb(self, f) -> list[Raw]:
        """"X provided training for Y", "X gave Y support", "Y received training from X", "X regards Y
        as an enemy"."""
        base, head, n = f.base, f.base.head, f.n
        if base.dep_ not in ("dobj", "pobj", "attr", "nsubjpass") or head.pos_ not in ("VERB", "AUX", "ADP"):
            return []
        verb = head.head if head.pos_ == "ADP" else head
        lemma = verb.lemma_.lower()
        negated = f.negated or self.negated(verb)
        if lemma in self.rules.give_verbs and (base.dep_ == "dobj" or f.in_form or
                                               (head.pos_ == "ADP" and head.lower_ == "with")):
            givers = [a for t in self.subjects(verb) for a in self.actors(t)] or f.owners
            return self._pairs(f, givers, self._takers(f, verb), "light_verb", negated)
        if lemma in self.rules.receive_verbs and base.dep_ == "dobj":
            takers = [a for t in self.subjects(verb) for a in self.actors(t)]
            givers = f.base_agents or [a for t in prep_objects(verb, f.agent_preps | {"in"}) for a in self.actors(t)]
            if not givers and verb.dep_ in ("xcomp", "advcl") and verb.head.pos_ == "VERB":
                givers = [a for t in prep_objects(verb.head, {"to", "in"}) for a in self.actors(t)]
            return self._pairs(f, givers, takers, "receive", negated)
        if lemma in self.rules.as_verbs and head.pos_ == "ADP" and head.lower_ == "as" and f.reciprocal:
            viewers = [a for t in self.subjects(verb) for a in self.actors(t)]
            viewed = [a for t in verb.children if t.dep_ == "dobj" for a in self.actors(t)]
            return self._pairs(f, viewers, viewed, "regarded_as", negated)
        return []

    def _takers(self, f, verb) -> list[str]:
        """Who a light verb gives to: the noun's patients, the verb's dative or object, a passive's
        subject, a small clause's subject, a "to" hung further down."""
        n = f.n
        takers = f.base_patients or [a for t in verb.children if t.dep_ in ("dative", "dobj") and t.i != n.i
                                     for a in self.actors(t)]
        if not takers and self.passive(verb):  # "the group was given refuge by Saddam Hussein"
            takers = [a for t in verb.children if t.dep_ == "nsubjpass" for a in self.actors(self._pronoun_head(verb, t))]
        # "granted some of them visas", parsed as a small clause
        takers += [a for t in n.children if t.dep_ == "nsubj" for a in self.actors(t)]
        if not takers and n.dep_ == "dobj":
            # "continues to give LeT help", the parser taking the receiver for a compound of the noun
            takers = [a for t in n.children if t.dep_ == "compound" and t.i < n.i for a in self.actors(t)]
        if not takers:
            # "facilitated the passage through its territory of X": an "of" hung on the next noun
            takers = [a for prep in verb.children if prep.dep_ == "prep" and prep.i > n.i
                      for pobj in prep.children if pobj.dep_ == "pobj"
                      for of in pobj.children if of.dep_ == "prep" and of.lower_ == "of"
                      for t in of.children if t.dep_ == "pobj" for a in self.actors(t)]
        takers += [a for t in prep_objects(verb, f.patient_preps) for a in self.actors(t)]
        if not takers:
            # "provides support that enables these militias to ...": whom the given thing enables
            takers = [a for r in n.children if r.dep_ == "relcl" and r.lemma_.lower() in self.rules.enabling_verbs
                      for t in r.children if t.dep_ == "dobj" for a in self.actors(t)]
        if not takers:
            # "provides aid in the form of weapons and funding to Hamas": a "to" hung further down
            takers = [a for d in verb.subtree if d.i > n.i and d.dep_ in ("prep", "dative")
                      and d.lower_ in f.patient_preps and d.head.pos_ in ("NOUN", "PROPN")
                      for t in d.children if t.dep_ == "pobj" for a in self.actors(t)]
        return takers

    def _have_noun(self, f) -> list[Raw]:
        """"X forged alliances with Y", "X has ties with Y"; "Clinton and Yeltsin enjoyed friendly relations"."""
        n = f.n
        if not (n.dep_ == "dobj" and n.head.lemma_.lower() in self.rules.have_verbs and not f.owners):
            return []
        verb = n.head
        negated = f.negated or self.negated(verb)
        with_objs = f.base_patients or [a for t in prep_objects(verb, f.patient_preps) for a in self.actors(t)]
        havers = [a for t in self.subjects(verb) for a in self.actors(t)]
        raws = self._pairs(f, havers, with_objs, "have_noun", negated)
        if f.pred in SYMMETRIC and not with_objs and len(havers) >= 2:
            for i, a in enumerate(havers):
                raws += self._pairs(f, [a], havers[i + 1:], "have_noun_pair", negated)
        return raws

    def _possessive_list(self, f) -> list[Raw]:
        """"the US and its allies Pakistan, Saudi Arabia and Egypt"."""
        if not (f.reciprocal and f.owners):
            return []
        named = [b for c in f.n.children if c.dep_ in ("appos", "compound") and c.i in self.token_actor
                 for b in self.actors(c)]
        return [Raw(a, f.pred, b, f"{f.pred}.possessive_list", anchor=f.n, negated=f.negated)
                for a in f.owners for b in named]

    def _under(self, f) -> list[Raw]:
        """"Y was placed under a UN Security Council embargo"."""
        n = f.n
        protectors = f.owners or [a for t in prep_objects(n, {"of"}) for a in self.actors(t)]
        if not (n.dep_ == "pobj" and n.head.lower_ == "under" and protectors and not f.base_patients and
                n.head.head.pos_ in ("VERB", "AUX")):
            return []
        verb = n.head.head
        under = [a for t in verb.children if t.dep_ in ("nsubj", "nsubjpass") for a in self.actors(t)]
        under = under or [a for t in self.subjects(verb) for a in self.actors(t)]
        return self._pairs(f, protectors, under, "noun_under")

    def _doer(self, f) -> list[Raw]:
        """"X launched attacks against Y", "X waged a war on Y": the doer's own act; "X gained
        notoriety with attacks on Y", "X responded with strikes on Y": the act X did it with."""
        n = f.n
        doing = n.dep_ == "dobj" and n.head.lemma_.lower() in self.rules.doer_verbs
        done_with = n.dep_ == "pobj" and n.head.lower_ == "with" and n.head.head.pos_ == "VERB" and \
            n.lemma_.lower() in self.rules.event_nouns and not self.passive(n.head.head)
        if not ((doing or done_with) and f.base_patients and not f.owners and not f.base_agents):
            return []
        verb = n.head if doing else n.head.head
        doers = [a for t in self.subjects(verb) for a in self.actors(t)]
        return self._pairs(f, doers, f.base_patients, "doer_verb", f.negated or self.negated(verb))

    def _responsible(self, f) -> list[Raw]:
        """"X was responsible for the attack against Y", "X was behind a coordinated attack on Y",
        "X claimed responsibility for the attack" (in X's words), "A and B blamed X for the strike"
        (in each blamer's words)."""
        n = f.n
        if not (n.dep_ == "pobj" and f.base_patients and not f.owners and not f.base_agents and
                (n.head.lower_ == "behind" or (n.head.lower_ == "for" and
                                               n.head.head.lemma_.lower() in self.rules.responsible_words))):
            return []
        word = n.head.head
        speakers = [None]
        if n.head.lower_ == "for" and word.pos_ == "VERB":
            verb = word
            doers = [a for t in verb.children if t.dep_ in ("dobj", "nsubjpass") for a in self.actors(t)]
            speakers = list(dict.fromkeys(a for t in self.subjects(verb) for a in self.actors(t))) or [None]
        elif word.dep_ == "amod" and word.head.pos_ in ("NOUN", "PROPN"):
            # "X is a group responsible for numerous attacks against Y": the group's, or what it describes
            verb = word.head
            doers = self.actors(verb) or [a for t in self._described_by(verb) for a in self.actors(t)]
        else:
            verb = word if n.head.lower_ == "behind" else word.head
            doers = [a for t in self.subjects(verb) for a in self.actors(t)] or \
                [a for t in verb.children if t.dep_ == "nsubjpass" for a in self.actors(t)]
        claimed = verb.lemma_.lower() in self.rules.claim_verbs
        negated = f.negated or self.negated(verb)
        return [Raw(a, f.pred, b, f"{f.pred}.responsible", anchor=n, speaker=speaker, negated=negated)
                for a in doers for b in f.base_patients for speaker in ([a] if claimed else speakers)]

    def _verb_conjunct(self, f) -> list[Raw]:
        """"X assassinated A, killed B, and continued attacks on Y": a noun the parser conjoined to a
        verb (its own verb read as a modifier) is the verb's subject's act."""
        n = f.n
        if not (n.dep_ == "conj" and n.head.pos_ == "VERB" and f.base_patients and not f.owners and not f.base_agents):
            return []
        doers = [a for t in self.subjects(n.head) for a in self.actors(t)]
        return self._pairs(f, doers, f.base_patients, "verb_conjunct", f.negated or self.negated(n.head))

    def _backing_of(self, f) -> list[Raw]:
        """"With the help and support of the UAE, the STC was formed", "founded with funding from Y", "they
        all depend on the support of countries like Iran": the "of" or "from" names who gives, the clause's
        subject who receives."""
        n, reliance = f.n, set(f.spec.get("reliance_verbs") or [])
        if not (reliance and n.dep_ == "pobj" and n.head.head.pos_ in ("VERB", "AUX") and not f.base_patients and
                (n.head.lower_ == "with" or (n.head.lower_ == "on" and n.head.head.lemma_.lower() in reliance))):
            return []
        verb = n.head.head
        givers = f.owners or f.base_agents or \
            [a for w in [n, *n.conjuncts] for t in prep_objects(w, {"of"}) for a in self.actors(t)]
        # (of a passive, what it tells of: "X was founded by A with funding from Y": X, not A)
        received = [c for c in verb.children if c.dep_ == "nsubjpass"] if self.passive(verb) else self.subjects(verb)
        takers = [a for t in received for a in self.actors(t)]
        return self._pairs(f, givers, takers, "backing_of", f.negated or self.negated(verb))

    def _noun_in(self, f) -> list[Raw]:
        """"X was locked in a war with Y", "X engaged in cooperation with Y", "X called for the destruction of Y"."""
        n = f.n
        if not (n.dep_ == "pobj" and n.head.lower_ in ("in", "into", "for") and n.head.head.pos_ in ("VERB", "AUX")
                and f.base_patients and not f.owners and not f.base_agents and
                (n.head.lower_ != "for" or n.head.head.lemma_.lower() in self.rules.doer_verbs)):
            return []
        verb = n.head.head
        doers = [a for t in self.subjects(verb) for a in self.actors(t)] or \
            [a for t in verb.children if t.dep_ == "nsubjpass" for a in self.actors(t)]
        if not doers and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            # "The group describes itself as ..., and is engaged in combat against Y": the shared subject
            doers = [a for t in verb.head.children if t.dep_ in ("nsubj", "nsubjpass") for a in self.actors(t)]
        return self._pairs(f, doers, f.base_patients, "noun_in", f.negated or self.negated(verb))

    def _fronted_campaign(self, f) -> list[Raw]:
        """"After four years of fighting against Y, X forced ...": a campaign noun (rules: campaign_nouns)
        in a phrase before the main verb is waged by the main clause's subject."""
        if f.owners or f.agents or f.accused or not f.patients or \
                f.n.lemma_.lower() not in (f.spec.get("campaign_nouns") or ()):
            return []
        node = f.n
        while node.dep_ in ("pobj", "prep") and node.head.i != node.i:
            node = node.head
        if not (node.pos_ in ("VERB", "AUX") and node.dep_ == "ROOT"):
            return []
        fronted = [p for p in f.n.ancestors if p.dep_ == "prep" and p.head.i == node.i]
        if not fronted or fronted[0].i > node.i:
            return []
        doers = [a for t in self.subjects(node) for a in self.actors(t)]
        return self._pairs(f, doers, f.patients, "fronted", f.negated or self.negated(node))

    def _colon_list(self, f) -> list[Raw]:
        """"X and Y share common enemies: A, B and C"."""
        n = f.n
        if not (f.reciprocal and n.i + 1 < len(self.doc) and self.doc[n.i + 1].text == ":"):
            return []
        verb = n
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subs = [a for t in self.subjects(verb) if t.i < n.i for a in self.actors(t)]
        listed = []
        for t in self.doc[n.i + 2:]:
            a = self.token_actor.get(t.i)
            if a and a not in listed and a not in subs:
                listed.append(a)
        return self._pairs(f, subs, listed, "list", f.negated or self.negated(verb))

    def _copula(self, f) -> list[Raw]:
        """"X and Y were enemies / allies" (both ways unless symmetric); "X is the enemy of Y",
        "Hezbollah is Iran's proxy"."""
        n = f.n
        if not (n.dep_ == "attr" and f.reciprocal):
            return []
        verb = n.head
        subs = [a for t in self.subjects(verb) for a in self.actors(t)]
        negated = f.negated or self.negated(verb)
        if len(subs) >= 2:
            return self._each_other(f, subs, negated)
        if len(subs) == 1 and (f.base_patients or f.owners):
            return self._pairs(f, subs, f.base_patients or f.owners, "copula", negated)
        return []

    def _conjoined_reciprocal(self, f) -> list[Raw]:
        """"enemies not allies": a noun conjoined with a trigger noun shares its subjects."""
        n = f.n
        if not (n.dep_ == "conj" and n.head.dep_ == "attr" and f.reciprocal):
            return []
        subs = [a for t in self.subjects(n.head.head) for a in self.actors(t)]
        negated = f.negated or any(c.lower_ in self.rules.negation_words for c in n.children) or \
            (n.i > 0 and self.doc[n.i - 1].lower_ in self.rules.negation_words)
        return self._each_other(f, subs, negated)

    def _each_other(self, f, subs, negated) -> list[Raw]:
        raws = []
        for i, a in enumerate(subs):
            for b in subs[i + 1:]:
                raws.append(Raw(a, f.pred, b, f"{f.pred}.reciprocal", anchor=f.n, negated=negated))
                if f.pred not in SYMMETRIC:
                    raws.append(Raw(b, f.pred, a, f"{f.pred}.reciprocal", anchor=f.n, negated=negated))
        return raws


__all__ = ["NounFrames", "NounPhrase"]

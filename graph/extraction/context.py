"""One parsed sentence: its actor tokens (registry mentions and resolved pronouns) and the
syntax every frame asks of it: who an actor token is, a verb's subjects and objects, what a noun describes."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extractor builds a context per sentence; the context reads its rules
    from .extractor import Extractor
    from .sentences import Sentence


def prep_objects(node, names) -> list:
    """The objects of the node's prepositions of `names` ("with X and with Y" included)."""
    preps = [c for c in node.children if c.dep_ in ("prep", "dative") and c.lower_ in names]
    preps += [c for p in preps for c in p.conjuncts if c.lower_ in names]
    return [p for prep in preps for p in prep.children if p.dep_ == "pobj"]


# The kinds of actor each kind of pronoun may stand for ("it": a state or a body, "they": a group).
PRONOUN_KINDS = {"person": ("person",), "thing": ("state", "government_body", "organization", "armed_group"),
                 "plural": ("armed_group", "group", "organization", "government_body")}


def fitting(ids, kind, kind_of) -> list:
    """The actors of `ids` a pronoun of `kind` may stand for."""
    return [actor_id for actor_id in ids if kind_of(actor_id) in PRONOUN_KINDS.get(kind, ())]


class SentenceContext:
    """The parsed sentence and its actor tokens."""


    def __init__(self, extractor: Extractor, s: Sentence, doc, sentences, we=(), issuer=None, voice=None, quoted=(),
                 recent_targets=()):
        """`we`: quote spans (sentence offsets) whose "we" is a speaker's body; `issuer`: the body
        that issued the document (graph.extraction.issuer); `voice`: the body it speaks as (the issuer,
        or with no outlet the one its laws name: Extractor.voice), whose "we" and "the Government" are
        everyone else's outside the `quoted` spans."""
        self.x = extractor
        self._sentences = sentences
        self.issuer = issuer
        self.voice = voice or issuer
        # the targets of the latest attack named before ("the attack" refers to it), and those named here
        self.recent_targets = list(recent_targets)
        self.event_targets: list[str] = []
        # (subject, predicate, negated) of verbs here whose object is a group left unnamed ("lists a
        # number of terrorist entities"), for the next sentence to name ("These include A, B")
        self.open_objects: list[tuple[str, str, bool]] = []
        self.neighbours = [o for o in sentences[max(0, s.index - 1):s.index + 2]] if len(sentences) > s.index else [s]
        self.rules = extractor.rules
        self.s = s
        self.doc = doc
        self.token_actor: dict[int, str] = {}
        self.pronoun_tokens: set[int] = set()
        self.pronoun_lists: dict[int, list[str]] = {}  # "A, B and C are ..., and they all ...": every name
        self.span_of: dict[int, tuple[int, int]] = {}
        for m in s.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            # "the government" in a state's own document is that state, not the state named before
            actor = self.voice if m in s.resolved and self.means_issuer(span.root) else m.actor_id
            for t in span:
                self.token_actor.setdefault(t.i, actor)
                self.span_of[t.i] = (span.start, span.end)
        self._resolve_pronouns(sentences)
        self._drop_owned_common_names(s, doc)
        for t in doc:
            if t.lower_ in self.rules.first_person_plural and t.i not in self.token_actor:
                for a, b, body in we:
                    if a <= t.idx < b:
                        self.token_actor[t.i] = body
                        self.pronoun_tokens.add(t.i)
                        break
                else:
                    if self.voice and not any(a <= t.idx < b for a, b in quoted):
                        self.token_actor[t.i] = self.voice  # the document's own voice: "we proscribe ..."
                        self.pronoun_tokens.add(t.i)

    def _drop_owned_common_names(self, s, doc) -> None:
        """An alias in common words ("military wing") names its actor only when nothing else owns it:
        in "its military wing" or "the military wing of Hamas", with its or Hamas another actor, or
        "its" unresolved and the alias's owner named nowhere about, it is someone else's wing."""
        registry = self.x.registry
        for m in s.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if m.text != m.text.lower() or m in s.resolved or span is None:
                continue
            root, actor = span.root, registry.get(m.actor_id)
            mine = {m.actor_id, actor.part_of if actor else None}
            owners = {self.token_actor.get(c.i) for c in root.children if c.dep_ == "poss"} | \
                {self.token_actor.get(p.i) for prep in root.children if prep.dep_ == "prep" and prep.lower_ == "of"
                 for p in prep.children if p.dep_ == "pobj"}
            # another actor owns it, unless part of the alias's own ("the clerical regime of Khamenei")
            foreign = any(o and o not in mine and m.actor_id not in registry.ancestors(o) for o in owners)
            if any(c.dep_ == "poss" and c.pos_ == "PRON" and c.i not in self.token_actor for c in root.children):
                near = {o.actor_id for other in [*self._before(s), s] for o in other.mentions if o is not m}
                foreign = foreign or not near & mine
            if foreign:
                for t in span:
                    if self.token_actor.get(t.i) == m.actor_id:
                        del self.token_actor[t.i]

    # -- actors

    def _resolve_pronouns(self, sentences):
        s, rules = self.s, self.rules
        prev = sentences[s.index - 1] if s.index > 0 else None
        prev_ids = [m.actor_id for m in prev.mentions] if prev and prev.paragraph == s.paragraph or (
            prev and s.index > 0) else []
        for t in self.doc:
            low = t.lower_
            if t.i in self.token_actor or low in rules.first_person_plural:
                continue  # ("we" is resolved with the speaker, in attribution)
            before = self._named_before(t)
            if low in ("latter", "former") and t.i > 0 and self.doc[t.i - 1].lower_ == "the":
                distinct = list(dict.fromkeys(reversed(before)))
                pick = 0 if low == "latter" else 1
                self._bind(t, distinct[pick] if len(distinct) > pick else None)
                continue
            kind = next((k for k, words in rules.pronouns.items() if low in words), None)
            if kind is None or t.pos_ not in ("PRON", "DET"):
                continue
            referent = self._fixed_referent(t, kind)
            if referent:
                self._bind(t, referent)
                continue
            candidates = self._candidates(t, kind, before, prev, prev_ids)
            if len(set(candidates)) == 1:
                self._bind(t, candidates[0])
            elif kind == "plural" and t.dep_ in ("nsubj", "nsubjpass"):
                self._pronoun_list(t)

    def _bind(self, t, actor) -> None:
        if actor:
            self.token_actor[t.i] = actor
            self.pronoun_tokens.add(t.i)

    def _named_before(self, t) -> list[str]:
        """The actors named before a pronoun in its sentence that it may stand for."""
        low = t.lower_
        before = [self.token_actor[i] for i in sorted(self.token_actor) if i < t.i]
        if t.dep_ in ("dobj", "dative", "pobj") and low not in ("its", "their", "his", "her"):
            # "Iran funded it": an object pronoun is not its own clause's subject
            verb = t.head if t.dep_ != "pobj" else t.head.head
            own = {self.token_actor.get(d.i) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                   for d in c.subtree}  # "Countries including A and B designated it": none of them
            before = [a for a in before if a not in own]
        trailing = t.head.dep_ == "advcl" and t.head.i > t.head.head.i  # "X was led by Y until he was killed"
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ not in ("relcl", "acl") and not trailing and \
                low not in ("its", "their", "his", "her", "latter", "former"):
            # "Originating in Afghanistan, it was nurtured by ...": the main clause's subject
            # pronoun does not point into a fronted phrase's object
            before = [self.token_actor[i] for i in sorted(self.token_actor)
                      if i < t.i and not self._in_object(self.doc[i])]
        return before

    def _fixed_referent(self, t, kind) -> str | None:
        """A pronoun its construction resolves, whatever else is named around it."""
        if t.dep_ == "poss" and t.head.dep_ == "conj" and t.head.head.i in self.token_actor:
            # "the US and its allies": the possessive points to the first conjunct
            return self.token_actor[t.head.head.i]
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ccomp":
            # "Hamas denied that it had received ...": the subject of the clause's governing verb
            matrix = [self.token_actor.get(c.i) for c in t.head.head.children if c.dep_ == "nsubj"]
            matrix = [a for a in matrix if a and self._fit([a], kind)]
            if len(matrix) == 1:
                return matrix[0]
        helped = self._fit(self._helped_in(t), kind) if t.dep_ == "poss" else []
        return helped[0] if len(set(helped)) == 1 else None

    def _candidates(self, t, kind, before, prev, prev_ids) -> list[str]:
        """The actors a pronoun may stand for, narrowed by its place in the sentence and the one before."""
        candidates = self._fit(before, kind) or self._fit(prev_ids, kind)
        if len(set(candidates)) > 1 and t.dep_ in ("dobj", "pobj") and t.pos_ == "PRON":
            # "Y was listed by A, and B designated it": an object pronoun is not the agent before it
            agents = {self.token_actor[d.i] for a in self.doc[:t.i] if a.dep_ == "agent"
                      for d in a.subtree if d.i in self.token_actor}
            candidates = [a for a in candidates if a not in agents] or candidates
        subject = t.dep_ in ("nsubj", "nsubjpass")
        subject_like = subject or (t.dep_ == "poss" and t.head.dep_ in ("nsubj", "nsubjpass"))
        if len(set(candidates)) != 1 and not self._fit(before, kind) and subject_like \
                and prev is not None and prev.topic and self._fit([prev.topic], kind):
            # "The Qods Force is a branch of the IRGC ... It provides arms to ...": a subject
            # pronoun continues the previous sentence's subject
            candidates = [prev.topic]
        if len(set(candidates)) > 1 and subject and t.head.dep_ == "relcl" and kind == "thing":
            # "The BLA operates in Balochistan, where it carries out attacks": a relative clause's
            # subject "it" is the main clause's subject, where that fits (not "they": "sent operatives
            # to Iraq, where they were to target", nor "X condemned Y since it ...")
            main = [self.token_actor[c.i] for c in self.doc[:t.i] if c.dep_ in ("nsubj", "nsubjpass")
                    and c.head.dep_ == "ROOT" and c.i in self.token_actor]
            if main and main[0] in candidates:
                candidates = main[:1]
        if not candidates and not before and kind == "plural" and len(set(prev_ids)) == 1 and subject and \
                self.x._kind(prev_ids[0]) != "person" and prev.topic == prev_ids[0]:
            # "Iran ... rotated through 500 trainers. These trained ...", where that actor is the
            # sentence's topic (not "They encourage Yemen ... They support")
            candidates = prev_ids[:1]
        if len(set(candidates)) != 1 and subject and not before:
            # "It is not considered a terrorist organization by ...": the group the passage is about
            candidates = self._labelled_as_group(t.head) or candidates
        return candidates

    def _helped_in(self, t) -> list[str]:
        """"X supported Y in its war against Z", "X arms the rebels in their fight": a possessive in an
        "in" phrase of a verb stands for the verb's object."""
        noun = t.head
        if not (noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.head.pos_ == "VERB"):
            return []
        verb = noun.head.head
        return [a for c in verb.children if c.dep_ == "dobj" and c.i < t.i for a in [self.actor(c)] if a]

    def _pronoun_list(self, t) -> None:
        """"ISIL, al-Qaeda and Hamas are groups, and they all depend on ...": a plural subject pronoun
        after a list of names as an earlier subject of the same sentence stands for all of them."""
        for s in self.doc[:t.i]:
            if s.dep_ in ("nsubj", "nsubjpass") and s.i in self.token_actor:
                names = list(dict.fromkeys(a for a in (self.token_actor.get(c.i) for c in [s, *self._listed(s)]) if a))
                if len(names) >= 2:
                    self.token_actor[t.i] = names[0]
                    self.pronoun_lists[t.i] = names
                    self.pronoun_tokens.add(t.i)
                    return

    def _labelled_as_group(self, verb) -> list[str]:
        """For a verb that labels its subject a group ("is considered a terrorist organization", "has
        been designated as a terrorist group"): of the groups the sentences before name, the one named
        most often, of equals the first named (as coref.yaml's descriptions)."""
        labels = [c for c in verb.children if c.dep_ in ("oprd", "attr", "xcomp")] + \
            [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
        if not any(n.lemma_.lower() in self.rules.group_labels for n in labels):
            return []
        return self._paragraph_group()

    def _paragraph_group(self) -> list[str]:
        """Of the groups the sentences before name, the one named most often, of equals the first named."""
        s = self.s
        counts: dict[str, int] = {}
        for other in self._before(s):
            for m in other.mentions:
                if self.x._kind(m.actor_id) in ("armed_group", "group"):  # not "organization": the EU, a think tank
                    counts[m.actor_id] = counts.get(m.actor_id, 0) + 1
        if not counts:
            return []
        best = max(counts.values())
        return [next(a for a, n in counts.items() if n == best)]  # dicts keep the order named

    def _before(self, s) -> list:
        """The sentences of the paragraph before this one, at most three."""
        return [o for o in self._sentences[max(0, s.index - 3):s.index] if o.paragraph == s.paragraph]

    def _in_object(self, token) -> bool:
        """Whether a name's token sits in an object (of a preposition or a verb), not a subject."""
        node = token
        while node.dep_ in ("compound", "amod", "flat", "nmod", "poss", "punct", "appos") and node.head.i != node.i:
            node = node.head
        return node.dep_ in ("pobj", "dobj")

    def _fit(self, ids, kind):
        return fitting(ids, kind, self.x._kind)

    def actors(self, token) -> list[str]:
        """The actor(s) a token names: itself, its conjuncts, or the actor that qualifies
        a people noun ("al-Qaeda fighters", "members of al-Qaeda")."""
        if token.i in self.pronoun_lists:
            return list(self.pronoun_lists[token.i])
        found = self._these_groups(token)
        titles = set(self.rules.titles)
        listed = self._listed(token)
        # (a title in the list is no actor, but what it gives as examples is: "advisors like the Wagner
        # Group"; a proper name whose head is a title is one: "the Quds Force and Unit 3800")
        titled = [c for c in listed if c.lemma_.lower() in titles and not (c.pos_ == "PROPN" and c.i in self.token_actor)]
        members = [token, *(c for c in listed if c not in titled)]
        found = list(dict.fromkeys(found + [b for c in titled for b in self._examples(c)]))
        for t in list(members):
            # "Saudi Arabia, the UAE and Bahrain, joined by Egypt, severed relations": Egypt too
            members += [q for c in t.children if c.dep_ == "acl" and c.tag_ == "VBN" and
                        c.lemma_.lower() in self.rules.joining_participles for a in c.children if a.dep_ == "agent"
                        for p in a.children if p.dep_ == "pobj" for q in [p, *p.conjuncts]]
        for t in members:
            a = self.actor(t)
            if not a and len(members) > 1 and t.pos_ in ("PROPN", "ADJ"):
                a = self._demonym(t)  # "attacks against Iraqi, U.S. and other targets": a list's demonym
            if a and a not in found:
                found.append(a)
            found += [b for b in self._notably(t) if b not in found]
            if t.pos_ in ("NOUN", "PROPN") and (not a or t.tag_ in ("NNS", "NNPS")):
                # "non-state actors in many countries, including Hezbollah, Hamas and the PIJ"; also where
                # the plural is itself a name ("supports militant groups, including Hezbollah")
                for b in self._examples(t):
                    if b not in found:
                        found.append(b)
            if not a and t.lemma_.lower() in self.rules.member_heads:
                # "some Sunni groups in Palestine, such as Hamas and the PIJ"
                for d in t.subtree:
                    if self.introduces_examples(d):
                        for p in d.children:
                            if p.dep_ == "pobj":
                                for q in [p, *p.conjuncts]:
                                    b = self.token_actor.get(q.i)
                                    if b and b not in found:
                                        found.append(b)
                        break
            if a and t.i not in self.token_actor:
                # "other Palestinian groups (Islamic Jihad and the PFLP-GC)": the list in apposition
                for c in t.children:
                    if c.dep_ == "appos" and c.i in self.token_actor:
                        for q in c.conjuncts:
                            b = self.token_actor.get(q.i)
                            if b and b not in found:
                                found.append(b)
                # "the US, UK and Australian governments": a demonym beside the names qualifying a plural
                # noun (not "the Lebanese militant group Hezbollah": a nationality)
                named = any(c.dep_ in ("compound", "nmod") and c.i in self.token_actor for c in t.children)
                for mod in t.children if named and t.tag_ == "NNS" else ():
                    b = self._demonym(mod) if mod.dep_ == "amod" else None
                    if b and b not in found:
                        found.append(b)
                # "al-Qaeda and Taliban terrorists", "Iraqi, U.S. and Coalition targets": every actor
                # (or state by its demonym) qualifying the noun
                for mod in t.children:
                    if mod.dep_ in ("compound", "amod", "nmod") and (mod.i in self.token_actor or self._demonym(mod)):
                        for c in mod.conjuncts:
                            b = self.token_actor.get(c.i) or self._demonym(c)
                            if b and b not in found:
                                found.append(b)
        return found

    def _these_groups(self, t) -> list[str]:
        """"these (three) groups", "these militias": the groups the nearest sentence before that names
        two or more names (within the sentences `_before` gives)."""
        if t.i in self.token_actor or t.tag_ != "NNS" or t.lemma_.lower() not in self.rules.member_heads or \
                not any(c.dep_ in ("det", "amod") and c.lower_ in ("these", "those", "such") for c in t.children):
            return []
        for o in reversed(self._before(self.s)):
            named = list(dict.fromkeys(m.actor_id for m in sorted(o.mentions, key=lambda m: m.start)
                                       if self.x._kind(m.actor_id) in ("armed_group", "group")))
            if len(named) >= 2:
                return named
        return []

    def _notably(self, noun) -> list[str]:
        """Names in apposition singled out: "Syrian rebel factions, most notably the Al-Nusra Front"."""
        return [self.token_actor[q.i] for d in noun.children if d.dep_ == "appos" and d.i in self.token_actor and any(
                a.dep_ == "advmod" and a.lower_ in ("notably", "especially", "particularly", "mainly", "primarily")
                for a in d.subtree if a.i < d.i) for q in [d, *self._listed(d)] if q.i in self.token_actor]

    def _examples(self, noun) -> list[str]:
        """Actors a noun introduces by example: "actors in many countries, including A, B and C",
        "groups such as A and B" (the list hung on the noun or on its prepositional phrase)."""
        holders = [noun] + ([noun.head] if noun.dep_ == "dobj" else [])  # "supports actors in many countries, including"
        heads = [noun] + [p for h in holders for prep in h.children if prep.dep_ == "prep"
                          for p in prep.children if p.dep_ == "pobj"]
        if noun.dep_ == "dobj" and noun.tag_ == "NNS":
            heads.append(noun.head)  # "supports militias that ..., including A": the list hung on the verb
        found = []
        for head in heads:
            for d in head.children:
                if self.introduces_examples(d):
                    for p in d.children:
                        if p.dep_ == "pobj":
                            found += [self.token_actor[q.i] for q in [p, *self._listed(p)] if q.i in self.token_actor]
        return list(dict.fromkeys(found))

    def introduces_examples(self, prep) -> bool:
        """"including", "like", "such as": a preposition that lists examples (rules.example_words)."""
        words = self.rules.example_words
        return prep.dep_ == "prep" and (prep.lower_ in words or (
            prep.lower_ == "as" and "such" in words and any(c.lower_ == "such" for c in prep.children)))

    def _listed(self, token) -> list:
        """The other members of a list the token heads: its conjuncts, names in apposition to them
        ("Canada, the European Union, Israel and Japan"), and names the parser hung on a place
        ("Hezbollah in Lebanon, Hamas in Gaza")."""
        members = list(token.conjuncts)
        i, named = 0, token
        while named is not None:  # members grows as places give more names, and those names' conjuncts
            if named.i in self.token_actor:
                more = self._placed_after(named) + ([c for c in named.conjuncts if not self._is_place(c)]
                                                    if named.i != token.i else [])
                members += [c for c in more if c not in members and c.i != token.i]
            named, i = (members[i], i + 1) if i < len(members) else (None, i)
        own = self.token_actor.get(token.i)
        for c in [token, *members]:
            for a in c.children:
                # ("other groups (Islamic Jihad (PIJ) and the PFLP-GC)": a list in apposition, its names
                # given by their abbreviations)
                first = self._named_token(a) if a.dep_ == "appos" else None
                if first is not None and (a.conjuncts or c.i != token.i or (own and self.token_actor[first.i] != own)):
                    members += [q for q in [first, *(self._named_token(x) for x in a.conjuncts)]
                                if q is not None and q not in members and q.i != token.i]
        return members

    def names_place(self, mention) -> bool:
        """Whether the mention names a state as the place of another name ("militias in Iraq, Syria")."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and self._is_place(span.root)

    def _is_place(self, t) -> bool:
        """"in Lebanon": a state named as the place of a list's name ("in Iraq, Syria and Afghanistan": each)."""
        first = t
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        return first.dep_ == "pobj" and first.head.lower_ == "in" and \
            self.x._kind(self.token_actor.get(t.i, "")) == "state"

    def _named_token(self, t):
        """The token that names an actor for t: t itself, or the abbreviation in apposition to it
        ("Islamic Jihad (PIJ)"); None if neither does."""
        if t.i in self.token_actor:
            return t
        return next((a for a in t.children if a.dep_ == "appos" and a.i in self.token_actor), None)

    def _placed_after(self, name) -> list:
        """"Hezbollah in Lebanon, Hamas in Gaza and other groups": the parser hangs the next names on
        the place; a name of another kind than the place's is the list's."""
        named = [self._named_token(c) for p in prep_objects(name, {"in"}) for c in p.conjuncts]
        return [c for c in named if c is not None and self.x._kind(self.token_actor[c.i]) != "state"]

    def actor(self, t, depth=0) -> str | None:
        if t.i in self.token_actor:
            return self.token_actor[t.i]
        if depth > 2 or t.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"):
            return None
        if t.tag_ in ("NNS", "NNPS") and t.lower_.endswith("s"):
            # "killed many Israelis", "Iraqis": a people named by their state's demonym
            state = self.x.demonym_state(t.lower_[:-1])
            if state:
                return state
        lemma = t.lemma_.lower()
        if self.means_issuer(t):
            return self.voice
        people = lemma in self.rules.member_heads
        # "its associated terrorist group Hezbollah": the apposition names it
        appos = [c for c in t.children if c.dep_ == "appos" and c.i in self.token_actor]
        if appos and (t.pos_ == "NOUN" or lemma in self.rules.titles):  # "its President, Bashar Assad"
            return self.token_actor[appos[0].i]
        # "a group called the Islamic Resistance in Iraq", "a militia known as X": the name it is given
        named = [g for c in t.children if c.dep_ == "acl" and c.lemma_.lower() in self.rules.naming_verbs
                 for g in [*c.children, *(p for a in c.children if a.dep_ == "prep" and a.lower_ == "as"
                                          for p in a.children if p.dep_ == "pobj")]
                 if g.dep_ in ("oprd", "attr", "xcomp", "pobj") and g.i in self.token_actor]
        if named and t.pos_ == "NOUN":
            return self.token_actor[named[0].i]
        # a head noun qualified by an actor: "al-Qaeda fighters", "IRGC soldiers"
        # ("Iran's agents" is Iran, but "Iran's allies" is not: see relational_nouns)
        mods = [c for c in t.children if c.i in self.token_actor and lemma not in self.rules.collective_nouns and (
            c.dep_ in ("compound", "amod", "nmod") or (c.dep_ == "poss" and lemma not in self.rules.relational_nouns))]
        if lemma in self.rules.state_nouns and not mods:
            # "the regime in Tehran", "the government in Kabul": the state whose seat it names
            seat = [a for p in prep_objects(t, {"in"}) for a in [self.token_actor.get(p.i)]
                    if a and self.x._kind(a) == "state"]
            if seat:
                return seat[0]
        if mods:
            owner = self.token_actor[mods[-1].i]
            if lemma in self.rules.state_nouns and self.x._kind(owner) == "person":
                # "the Assad government", "Hadi's government": the state the person leads
                actor = self.x.registry.get(owner)
                if actor is not None and actor.part_of and self.x._kind(actor.part_of) == "state":
                    return actor.part_of
            return owner
        if people or lemma in self.rules.act_nouns:
            for c in t.children:
                # "the Syrian army": a demonym qualifying a people noun (not "a Somali insurgent group")
                if c.dep_ in ("amod", "compound") and self._demonym(c) and not self._nonstate(t):
                    return self._demonym(c)
                # "Saudi-led forces": the forces of the one that leads them
                if c.dep_ == "amod" and c.lemma_.lower() in self.rules.leader_verbs and c.tag_ == "VBN" and people:
                    leaders = [self.token_actor.get(g.i) or self._demonym(g) for g in c.children
                               if g.dep_ in ("npadvmod", "compound", "nmod", "amod")]
                    if any(leaders):
                        return next(a for a in leaders if a)
                # "a Syrian army facility": one level down
                if c.dep_ == "compound" and c.lemma_.lower() in self.rules.member_heads:
                    a = self.actor(c, depth + 1)
                    if a:
                        return a
        # "members of al-Qaeda", "some of them", "actions by Israel"
        if people or t.pos_ in ("PRON", "NUM", "DET") or lemma in self.rules.act_nouns:
            # "members of al-Qaeda", "troops from Ethiopia", "actions by Israel"
            names = {"of"} | ({"by"} if lemma in self.rules.act_nouns else set()) | \
                ({"from"} if people and t.tag_ in ("NNS", "NNPS") else set())
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ in names:
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            # "the leader of al-Qaeda, Osama bin Laden": the person the parser hung on the body
                            person = self._titled_person(t, pobj)
                            a = person or self.actor(pobj, depth + 1)
                            if a:
                                return a
        return None

    def _titled_person(self, title, body) -> str | None:
        """The person in apposition to the body a singular title is of ("the leader of al-Qaeda,
        Osama bin Laden"), who holds the title."""
        if title.lemma_.lower() not in self.rules.titles or title.tag_ != "NN":
            return None
        return next((a for c in body.children if c.dep_ == "appos" for a in [self.token_actor.get(c.i)]
                     if a and self.x._kind(a) == "person"), None)

    def _nonstate(self, t) -> bool:
        """A people noun naming non-state fighters: "rebels", "an insurgent group", "militant cells"."""
        heads = self.rules.nonstate_heads
        return t.lemma_.lower() in heads or any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in heads
                                                for c in t.children)

    def _demonym(self, t) -> str | None:
        """The state a demonym adjective names ("Syrian"), if the registry has it."""
        return self.x.demonym_state(t.lower_)

    # -- verbs

    def means_issuer(self, t) -> bool:
        """"The Government", "this government", "our government" in a state's own document:
        the state it speaks as, unless something names another ("the Government of Yemen")."""
        if not self.voice or self.x._kind(self.voice) != "state" or \
                t.lemma_.lower() not in self.rules.issuer.get("government_nouns", ()):
            return False
        kids = list(t.children)
        times = self.rules.issuer.get("government_times", ())
        return any(c.lower_ in ("the", "this", "our") for c in kids) and \
            not any(c.dep_ in ("prep", "compound", "amod", "nmod", "appos") and c.lower_ not in times for c in kids) and \
            not any(c.dep_ == "poss" and c.lower_ != "our" for c in kids)

    def subjects(self, v, seen=0) -> list:
        if seen > 4:
            return []
        kids = list(v.children)
        if self.passive(v):
            # the first object of each "by" ("backed by X an Al-Qaeda document": the parser's second is another phrase)
            agents = [[p for p in a.children if p.dep_ == "pobj"][0] for w in self._shared_clause(v) for a in w.children
                      if a.dep_ == "agent" and any(p.dep_ == "pobj" for p in a.children)]
            # "banned as a terrorist organization by India", "designated a terrorist organization by
            # Canada": the "by" hung on the "as" noun or on the complement
            complements = [n for prep in kids if prep.dep_ == "prep" and prep.lower_ == "as"
                           for n in prep.children if n.dep_ == "pobj"] + \
                [c for c in kids if c.dep_ in ("dobj", "oprd", "attr") and c.pos_ == "NOUN"]
            # (both, where the parser split them: "designated a terrorist organization by many countries
            # including the EU and since 2017 by the Arab League")
            return agents + [p for n in complements
                             for a in n.children if a.dep_ in ("agent", "prep") and a.lower_ == "by"
                             for p in a.children if p.dep_ == "pobj" and p not in agents]
        subs = [c for c in kids if c.dep_ in ("nsubj", "csubj")]
        if subs:
            # "Iran and al-Qaeda's cooperation" style: relative "who"/"which" -> the noun
            out = []
            for sub in subs:
                if sub.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                    out.append(self._relative_head(v.head))
                elif sub.lower_ in ("who", "which", "that") and self._reported_in_relative(v):
                    out.append(self._relative_head(v.head.head))  # "X, which he said supports Y": X does
                elif v.dep_ in ("relcl", "advcl") and any(p.lower_ == "of" and any(
                        w.lower_ in ("which", "whom") for w in p.children) for p in sub.children):
                    out.append(v.head)  # "AQAP and ISIL, both of which carry out strikes": the names
                else:
                    out.append(sub)
            return out
        if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
            if self.passive(v.head) and not self.passive(v):  # "X was formed in 2014 and has fought Y"
                return [c for c in v.head.children if c.dep_ == "nsubjpass"]
            return self.subjects(v.head, seen + 1)
        first = v
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "accused of training, financing and providing weapons"
        if first.i != v.i and first.dep_ in ("pcomp", "pobj") and first.head.lower_ == "of" and \
                first.head.head.lemma_.lower() in self.rules.accuse_verbs:
            return [c for c in first.head.head.children if c.dep_ in ("dobj", "nsubjpass")]
        if first.i != v.i and first.pos_ == "VERB" and v.head.pos_ == "NOUN" and v.head.dep_ == "conj" and \
                all(c.dep_ in ("punct", "cc", "conj") for c in v.head.children):
            return self.subjects(first, seen + 1)  # "to fund, arm, train and advise Y": "arm" taken for a noun
        purpose = v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
        if (v.dep_ == "xcomp" or purpose) and v.head.pos_ in ("VERB", "AUX") and self.passive(v.head):
            # "X was believed to be residing", "troops were sent to support Y"
            raised = [c for c in v.head.children if c.dep_ == "nsubjpass"]
            if raised:
                return raised
        if v.dep_ in ("xcomp", "advcl", "ccomp") and v.head.pos_ in ("VERB", "AUX"):
            head = v.head
            if head.lemma_.lower() in self.rules.control_verbs:
                objs = [c for c in head.children if c.dep_ == "dobj" and self.actor(c)]
                # "al-Qaeda used Pakistan's tribal areas to attack ...": a state's land is a place, not the doer
                if head.lemma_.lower() == "use" and all(self.x._kind(self.actor(c)) == "state" for c in objs):
                    objs = []
                if objs:
                    return objs
            if v.dep_ == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
                return self.subjects(head, seen + 1)
        if v.dep_ == "pcomp" and v.head.lower_ == "of" and v.head.head.lemma_.lower() in self.rules.accuse_verbs:
            accuser = v.head.head  # "X accused Y of arming Z": Y arms; "Y was accused of ...": Y too
            return [c for c in accuser.children if c.dep_ in ("dobj", "nsubjpass")]
        prep = v.head
        if v.dep_ == "pcomp" and prep.dep_ == "conj" and prep.pos_ == "ADP":
            # "responsible for terrorist operations and for providing arms to Y": the first "for" governs
            prep = next((t for t in reversed(self.doc[:prep.i]) if t.lower_ == prep.lower_ and t.dep_ == "prep"), prep)
        if v.dep_ == "pcomp" and prep.dep_ == "prep" and prep.lower_ in ("to", "on") and prep.head.dep_ == "acomp":
            # "X is committed to repeating attacks", "X is focused on rebuilding": X does
            return [c for c in prep.head.head.children if c.dep_ in ("nsubj", "nsubjpass")] or \
                self.subjects(prep.head.head, seen + 1)
        if v.dep_ == "pcomp" and prep.dep_ == "prep" and prep.lower_ in ("for", "by", "in", "after", "while") \
                and prep.head.pos_ in ("VERB", "AUX", "ADJ"):
            # "X is known for providing arms to Y", "X thanked Y for helping Z": the governor's object, else
            # subject; "X held ground by fighting Y", "while aiding Y": the governor's subject does it
            governor = prep.head
            if prep.lower_ in ("by", "while", "after") and governor.pos_ in ("VERB", "AUX"):
                # "..., defending territory by fighting Y"; "X was founded after splintering from Y": X
                patients = [self._pronoun_head(governor, c) for c in governor.children if c.dep_ == "nsubjpass"]
                return patients if self.passive(governor) and patients else self.subjects(governor, seen + 1)
            for deps in (("dobj",), ("nsubjpass",), ("nsubj",)):
                found = [c for c in governor.children if c.dep_ in deps]
                if found:
                    return found
            if governor.pos_ == "ADJ" and governor.dep_ == "acomp":
                # "X is responsible for training", "X is known to be responsible for training"
                return [c for c in governor.head.children if c.dep_ == "nsubj"] or self.subjects(governor.head, seen + 1)
        if v.dep_ == "pcomp" and prep.dep_ == "prep" and prep.lower_ == "for" and prep.head.pos_ == "NOUN" and \
                prep.head.lemma_.lower() in self.rules.responsible_words and prep.head.head.pos_ == "VERB":
            return self.subjects(prep.head.head, seen + 1)  # "X claimed responsibility for attacking Y"
        if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX"):
            if self.passive(v.head) and not any(c.dep_ == "agent" for c in v.head.children):
                # "X is focused on recruiting, while continuing an insurgency against Y": X continues
                return [c for c in v.head.children if c.dep_ == "nsubjpass"]
            return self.subjects(v.head, seen + 1)  # "X rejected it, saying ...": X says
        if v.dep_ == "acl" and v.head.lower_ == "order" and v.head.dep_ == "pobj" and v.head.head.lower_ == "in" \
                and v.head.head.head.pos_ in ("VERB", "AUX"):
            return self.subjects(v.head.head.head, seen + 1)  # "X intervened in order to fight Y": X
        if v.dep_ in ("relcl", "acl") and v.tag_ != "VBN":
            return [self._relative_head(v.head)]
        if self._reported_in_relative(v) and any(c.lower_ in ("which", "who", "that") and c.dep_ == "dobj"
                                                 for c in v.head.children):
            return [self._relative_head(v.head.head)]  # (the parser's other reading: "which" the object of "said")
        return []

    def _reported_in_relative(self, v) -> bool:
        """Whether v is what a relative clause reports: "X, which he said supports Y"."""
        return v.dep_ == "ccomp" and v.head.dep_ == "relcl" and v.head.lemma_.lower() in self.rules.reporting_verbs

    @classmethod
    def passive(cls, v) -> bool:
        """A passive verb, or a participle coordinated with one ("funded, trained and guided by X")."""
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) or (v.dep_ == "acl" and v.tag_ == "VBN") \
            or (v.tag_ == "VBN" and any(c.dep_ == "agent" for c in v.children)) \
            or (v.dep_ == "conj" and v.tag_ == "VBN" and v.head.i != v.i and cls.passive(v.head)
                and not any(c.dep_ == "aux" for c in v.children))  # "was formed and has fought": active

    @classmethod
    def _shared_clause(cls, v) -> list:
        """The verbs coordinated with v that share its subject ("X is funded, trained and guided by Y"),
        not another clause's ("its leaders were inspired by A, and its forces were trained by B")."""
        own = lambda w: any(c.dep_ in ("nsubj", "nsubjpass") for c in w.children)
        return [v, *(w for w in v.conjuncts if not (own(v) and own(w)))]

    def objects(self, v, pred) -> list:
        spec = self.rules.predicates[pred]
        preps = set(spec.get("object_preps") or [])
        out = []
        kids = list(v.children)
        if self.passive(v):
            if v.dep_ == "conj" and not any(c.dep_ == "nsubjpass" for c in kids):
                kids = kids + [c for c in v.head.children if c.dep_ == "nsubjpass"]  # "X is funded and trained by"
                if v.head.pos_ in ("VERB", "AUX") and not self.passive(v.head) and any(
                        c.dep_ == "auxpass" and c.tag_ != "VBG" for c in kids):  # (not "accused of being backed")
                    # "X resisted the order and was killed by Y": the active verb's subject undergoes it
                    out += [self._pronoun_head(v.head, c) for c in v.head.children if c.dep_ == "nsubj"]
                if self.accused_gerund(v):
                    out += [self._pronoun_head(v.head, c) for c in v.head.children if c.dep_ == "dobj"]
            for c in kids:
                if c.dep_ == "nsubjpass":
                    # "Hamas, which is backed by Iran": the relative pronoun stands for the noun
                    out.append(self._pronoun_head(v, c))
            if v.dep_ == "acl" and v.tag_ == "VBN":
                out.append(v.head)
                if not self.actor(v.head):  # "Hamas, the group designated by X": what the noun describes
                    out += self._described_by(v.head)
            if not out and v.dep_ == "xcomp":  # "Iran continues to be designated": the raised subject
                out += [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not out and v.dep_ == "advcl" and v.tag_ == "VBN" and v.i < v.head.i:
                # "Backed by Iran, the Houthis seized Sanaa": the main clause's subject
                out += [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        else:
            for c in kids:
                if c.dep_ in ("dobj", "dative", "attr"):
                    # "Hezbollah, which Washington designates ...": the relative pronoun stands for the noun
                    out.append(self._pronoun_head(v, c))
            if out:  # a list the parser hung on the verb: "fought ISIS, al-Qaeda, ..."
                out += [c for c in kids if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") and c.i in self.token_actor]
            elif v.lemma_.lower() in (spec.get("small_clause_verbs") or []) and any(
                    c.dep_ == "ccomp" and not any(m.dep_ == "mark" for m in c.children) for c in kids):
                # "helped Hamas acquire rockets": the bare complement's subject
                out += [s for c in kids if c.dep_ == "ccomp" and not any(m.dep_ == "mark" for m in c.children)
                        for s in c.children if s.dep_ == "nsubj"]
            else:
                # "helping and guiding the Taliban": coordinated verbs share the last one's object
                out += [c for w in v.conjuncts if w.pos_ == "VERB" and w.i > v.i
                        for c in w.children if c.dep_ == "dobj"][:1]
        if v.lemma_.lower() in (spec.get("source_verbs") or []) and not any(self.actor(t) for t in out):
            preps = preps | {"from"}  # "seized the territory from Y"
        sway = set(spec.get("sway_nouns") or ())
        # "countering Saudi influence", "limit Iran's regional influence", "the influence of the US": its owner
        out += [o for t in out if t.lemma_.lower() in sway and not self.actor(t)
                for o in [*(c for c in t.children if c.dep_ in ("poss", "amod", "compound")),
                          *prep_objects(t, {"of"})]]
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

    def accused_gerund(self, v) -> bool:
        """"whom they accused of corruption and being backed by X": a passive gerund the parser made a
        conjunct of the accusing verb (the accused is backed, in the accusers' words)."""
        return v.dep_ == "conj" and v.head.lemma_.lower() in self.rules.accuse_verbs and \
            any(c.lower_ == "being" for c in v.children)

    def _pronoun_head(self, v, t):
        """A relative pronoun stands for the noun its clause tells of: "Hamas, which is aligned with ..."."""
        if t.lower_ in ("which", "who", "whom", "that") and v.dep_ == "relcl":
            return self._relative_head(v.head)
        return t

    def _relative_head(self, n):
        """The noun a relative clause tells of; where that noun only describes an actor named
        beside it ("X is a group that ...", "X, a Lebanese group that ..."), that actor."""
        if n.i in self.token_actor:
            return n
        if n.dep_ == "pobj" and n.head.lower_ == "with" and n.head.head.pos_ == "NOUN" and not self.actor(n):
            # "X is a group with an anti-Western ideology that has conducted attacks": the group's clause
            return self._relative_head(n.head.head)
        described = [t for t in self._described_by(n) if t.i != n.i and self.actor(t)]
        return described[0] if described and n.dep_ in ("attr", "appos") else n

    def _described_by(self, n) -> list:
        """The tokens a noun describes: a copula's subject, an apposition, the subject of an
        "as" phrase or of a labelling verb's complement."""
        head = n.head
        if n.dep_ == "attr" and head.pos_ in ("AUX", "VERB"):
            # ("X used to be part of Y", "X seems to be a wing of Y": the subject the copula was raised from)
            return [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")] or \
                (self.subjects(head) if head.dep_ == "xcomp" else [])
        if n.dep_ == "nsubj" and head.lemma_ == "be":  # "Its commander is X"
            return [c for c in head.children if c.dep_ == "attr"]
        if n.dep_ == "appos":
            left = n.left_edge.i
            if left >= 2 and self.doc[left - 1].text == "," and left - 2 in self.token_actor and left - 2 > head.i:
                return [self.doc[left - 2]]  # "accused of supporting Hamas, the group ...": the name right before
            return [head]
        out = [c for c in n.children if c.dep_ == "appos"]
        if n.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("NOUN", "PROPN"):
            out.append(head.head)  # "Russia, as a permanent member of the Security Council", "with X as its leader"
        if n.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head
            withs = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" and c.i < head.i
                     for p in c.children if p.dep_ == "pobj"]
            if withs:  # "Y was formed with X as its leader": X
                out += withs
            elif head.i < verb.i:  # "Russia, as a member of the Council, vetoed ...": the subject
                out += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            else:
                out += [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")] or \
                    [c for c in verb.children if c.dep_ == "nsubj"] or self.subjects(verb)
                if not out and verb.dep_ == "advcl" and verb.tag_ == "VBN" and verb.i < verb.head.i:
                    # "Formed as part of Y, X came to prominence": the main clause's subject
                    out += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if n.dep_ in ("oprd", "xcomp") and head.pos_ == "VERB":
            out += [c for c in head.children if c.dep_ in ("nsubjpass", "dobj")]
        return out

    def objects_plain(self, v) -> list:
        """A verb's direct objects, or for a passive its subject (or the noun a participle qualifies)."""
        if self.passive(v):
            qualified = [v.head] if v.dep_ == "acl" else []
            if qualified and v.head.i not in self.token_actor:  # "an organization headed by X": what it describes
                qualified += self._described_by(v.head)
            return [c for c in v.children if c.dep_ == "nsubjpass"] + qualified
        return [c for c in v.children if c.dep_ == "dobj"]


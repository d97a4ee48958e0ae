"""Surface rules: patterns over the text between two registry mentions of one sentence
(rules.yaml's surface_patterns: titles, possessives, "-backed" modifiers...), read without a
parse, and the registry's own structure named in a sentence ("Iran's Quds Force")."""
from __future__ import annotations

import re

from ..actors import Mention
from .raw import Raw
from .sentences import Sentence


class SurfaceRules:
    """Mixed into the Extractor: reads self.rules, self.registry and self._kind."""

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
                    if pattern.get("before_rx") and not pattern["before_rx"].search(s.text, max(0, a.start - 80), a.start):
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
        # a title is no verb, though its stem may be a trigger's ("operative", "operation")
        tail = " ".join(w for w in (words[1] if len(words) > 1 else "").split()
                        if w.lower().rstrip("s,") not in self.rules.titles)
        return bool(self.rules.trigger_word_rx.search(tail) or re.search(rf"\b{self.rules.reporting_rx}\b", tail))

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

    def _state_bodies(self, s: Sentence) -> list[Mention]:
        """"the Iranian regime", "the Assad regime": a demonym, or a person the registry places in a state,
        before one of rules.state_nouns names the state, as a mention of it (so that "it" can point back
        to it). Its words stay the person's too: only the state noun is added."""
        out = []
        for match in self.rules.state_body_rx.finditer(s.text):
            actor = self.demonym_state(match.group("owner"))
            if actor is None:
                person = next((m for m in s.mentions if m.end == match.end("owner") and
                               self._kind(m.actor_id) == "person"), None)
                state = self.registry.get(person.actor_id).part_of if person else None
                actor = state if state and self._kind(state) == "state" else None
            start, end = match.span("noun")
            if actor and not any(m.start < end and start < m.end for m in s.mentions):
                out.append(Mention(actor, start, end, match.group("noun")))
        return out

    def _demonym_mentions(self, s: Sentence) -> list[Mention]:
        out = []
        covered = [(m.start, m.end) for m in s.mentions]
        for match in re.finditer(r"\b[A-Z][a-z]+\b", s.text):
            actor = self.demonym_state(match.group(0))
            if actor and not any(a <= match.start() < b for a, b in covered):
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

    def _led_aliases(self, s: Sentence) -> list[Raw]:
        """A body named after its leader: "the Saudi-led coalition", "U.S.-led Coalition forces" (the
        mention, or a led name right before it) -> the leader is part of it."""
        raws = []
        for m in s.mentions:
            window = s.text[max(0, m.start - 40):m.start] + m.text
            led = re.search(r"([\w.’'-]+(?:\s+[\w.’'-]+)?)-led\b", window)
            if not led or led.end() <= len(window) - len(m.text) - 2 and not m.text.startswith(led.group(0)):
                continue
            leader = self._state_named(led.group(1)) or next(
                (f.actor_id for f in self.registry.find_mentions(led.group(1)) if f.end == len(led.group(1))), None)
            if leader and leader != m.actor_id:
                raws.append(Raw(leader, "PART_OF", m.actor_id, "PART_OF.led", char=m.start))
        return raws

    def _office_titles(self, s: Sentence) -> list[Raw]:
        """A state's office right before a person: "the Iraqi Ambassador Hikmat Sulaiman", "Syrian
        military chief X", "US Defense Secretary X" -> the person is part of the state. The title may
        be inside the person's own alias."""
        raws = []
        if self.rules.office_rx is None:
            return raws
        for m in s.mentions:
            actor = self.registry.get(m.actor_id)
            if actor is None or actor.kind != "person":
                continue
            first = actor.name.split()[0]
            own_title = m.text[:m.text.find(first)] if first in m.text else ""  # "the Iraqi Ambassador " of the alias
            found = self.rules.office_rx.search(s.text[max(0, m.start - 60):m.start] + own_title)
            owner = self._state_named(found.group("owner")) if found else None
            if owner and owner != m.actor_id:
                raws.append(Raw(m.actor_id, "PART_OF", owner, "PART_OF.office", char=m.start))
        return raws

    def _regimes(self, s: Sentence) -> list[Raw]:
        """"the regime of President Bashar al-Assad", "the government of X": the person is part of the
        state the registry places them in."""
        raws = []
        if self.rules.regime_rx is None:
            return raws
        for m in s.mentions:
            actor = self.registry.get(m.actor_id)
            if actor is None or actor.kind != "person" or not actor.part_of or self._kind(actor.part_of) != "state":
                continue
            if self.rules.regime_rx.search(s.text[max(0, m.start - 60):m.start]):
                raws.append(Raw(m.actor_id, "PART_OF", actor.part_of, "PART_OF.regime", char=m.start))
        return raws

    def _designation_labels(self, s: Sentence) -> list[Raw]:
        """"Hezbollah (another FTO)", "X, a Specially Designated Global Terrorist": a label only one
        designator gives (rules.yaml DESIGNATED label_designators), in apposition or after a copula."""
        raws = []
        if self.rules.label_rx is None:
            return raws
        for m in s.mentions:
            found = self.rules.label_rx.match(s.text, m.end)
            if not found or any(m.end < o.start < found.start("label") for o in s.mentions):
                continue
            designator = self.rules.label_designators[found.group("label")]
            if designator in self.registry and designator != m.actor_id:
                raws.append(Raw(designator, "DESIGNATED", m.actor_id, "DESIGNATED.label_designator", char=m.start))
        return raws

    def _state_named(self, words: str) -> str | None:
        """The state one or two words name: a registry mention ending them, or a demonym ("Syrian
        military"), but not a state's name qualifying another word ("Iraq War")."""
        for tail in dict.fromkeys((words, words.split()[-1])):
            found = self.registry.find_mentions(tail)
            if found and found[-1].end == len(tail) and self._kind(found[-1].actor_id) == "state":
                return found[-1].actor_id
        return self.demonym_state(words.split()[-1]) or self.demonym_state(words.split()[0])

    def demonym_state(self, word: str) -> str | None:
        """The state a demonym names ("Syrian", "Iran's" aside: "Russian's" -> russia), if the registry has it."""
        state = self.rules.demonyms.get(re.sub(r"['’]s$", "", word).lower())
        return state if state in self.registry else None

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
                    owner = self.demonym_state(tail.group(1).split()[-1])
            rule = "PART_OF.title"
            if owner is None:
                actor = self.registry.get(m.actor_id)
                parent = actor.part_of if actor else None
                if parent and self._kind(parent) == "state":
                    owner, rule = parent, "PART_OF.registry_title"
            if owner and owner != m.actor_id:
                raws.append(Raw(m.actor_id, "PART_OF", owner, rule, char=m.start))
        return raws


"""rules.yaml: the extraction rules as data, loaded once, word lists as sets and patterns compiled."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from ..errors import GraphctlError

RULES_PATH = Path(__file__).with_name("rules.yaml")
SCHEMA_PATH = Path(__file__).with_name("rules.schema.yaml")


class _RulesLoader(yaml.SafeLoader):
    """YAML without the 1.1 booleans yes/no/on/off: "on" and "no" are words here."""


_RulesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_RulesLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def check_schema(data: dict, path: Path) -> None:
    """rules.yaml against rules.schema.yaml: the first problem, with the key path, as one error."""
    import jsonschema

    schema = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise GraphctlError(f"{path}: {where}: {error.message}")


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
        # word -> (predicate, prepositions, whether it denies: "independent of" denies PART_OF)
        self.adjectives: dict[str, list[tuple[str, set[str], bool]]] = {}
        for name, spec in preds.items():
            for lemma in (spec.get("verbs") or []) + (spec.get("reverse_verbs") or []):
                self.verb_triggers.setdefault(lemma.lower(), []).append(name)
            for lemma in spec.get("nouns") or []:
                self.noun_triggers.setdefault(lemma.lower(), []).append(name)
            for lemma in spec.get("agent_nouns") or []:
                self.agent_nouns.setdefault(lemma.lower(), []).append(name)
            for key, denies in (("adjectives", False), ("negative_adjectives", True)):
                for word, preps in (spec.get(key) or {}).items():
                    self.adjectives.setdefault(word.lower(), []).append((name, {p.lower() for p in preps}, denies))
        words = lambda key: {str(w).lower() for w in data.get(key) or []}
        # past forms a lemma's regular endings miss ("say" -> "said"), for the cheap word tests
        self.irregular = {k.lower(): [str(f).lower() for f in v] for k, v in (data.get("irregular_forms") or {}).items()}
        self.lemma_fixes = {str(f).lower(): k.lower() for k, v in (data.get("lemma_fixes") or {}).items() for f in v}
        self.give_verbs = words("give_verbs")
        self.receive_verbs = words("receive_verbs")
        self.control_verbs = words("control_verbs")
        self.negation_words = words("negation_words")
        self.negating_verbs = words("negating_verbs")
        self.vain_words = words("vain_words")
        self.denial_verbs = words("denial_verbs")
        self.statement_nouns = words("statement_nouns")
        self.claim_nouns = words("claim_nouns")
        self.involvement_nouns = words("involvement_nouns")
        self.falsity_words = words("falsity_words")
        self.accuse_verbs = words("accuse_verbs")
        self.reporting_verbs = words("reporting_verbs")
        self.factive_verbs = words("factive_verbs")
        self.first_person_plural = words("first_person_plural")
        self.group_labels = words("group_labels")
        self.event_nouns = {str(w).lower() for w in (preds.get("OPPOSED") or {}).get("event_nouns") or []}
        self.role_nouns = {str(w).lower() for w in (preds.get("OPPOSED") or {}).get("role_nouns") or []}
        self.joint_words = {str(w).lower() for w in (preds.get("COOPERATED_WITH") or {}).get("joint_words") or []}
        self.victim_nouns = {str(w).lower() for w in (preds.get("OPPOSED") or {}).get("victim_nouns") or []}
        self.event_window = int(data.get("event_window", 3))
        # a cheap test before parsing: "the attack" may name the other side of a claim
        self.event_rx = re.compile(r"\b(?:the|this|that)\s+(?:" + "|".join(sorted(map(re.escape, self.event_nouns))) +
                                   r")s?\b", re.IGNORECASE) if self.event_nouns else None
        self.issuer = {k: [str(w).lower() for w in v] for k, v in (data.get("issuer") or {}).items() if k != "instruments"}
        # (compiled pattern, [actor ids in order of preference]) for each law or resolution of issuer.instruments
        self.instruments = [(re.compile(i["pattern"], re.IGNORECASE), [str(a) for a in i["issuer"]])
                            for i in (data.get("issuer") or {}).get("instruments") or []]
        self.hedge_words = words("hedge_words")
        self.member_heads = words("member_heads")
        self.unnamed_speakers = words("unnamed_speakers")
        self.act_nouns = words("act_nouns")
        self.have_verbs = words("have_verbs")
        self.doer_verbs = words("doer_verbs")
        self.responsible_words = words("responsible_words")
        self.claim_verbs = words("claim_verbs")
        self.naming_verbs = words("naming_verbs")
        self.exception_words = words("exception_words")
        self.example_words = words("example_words")
        self.joining_participles = words("joining_participles")
        self.enabling_verbs = words("enabling_verbs")
        self.relational_nouns = words("relational_nouns")
        self.nonstate_heads = words("nonstate_heads")
        self.collective_nouns = words("collective_nouns")
        self.state_body_rx = re.compile(r"\b(?P<owner>[A-Z][\w’'-]*)\s+(?P<noun>(?i:" + "|".join(
            sorted(map(re.escape, words("state_nouns")), key=len, reverse=True)) + r"))\b")
        self.state_nouns = words("state_nouns")
        self.as_verbs = words("as_verbs")
        self.label_verbs = {str(w).lower() for w in (preds.get("DESIGNATED") or {}).get("label_verbs") or []}
        self.list_verbs = {str(w).lower() for w in (preds.get("DESIGNATED") or {}).get("list_verbs") or []}
        self.label_designators = {str(k): str(v) for k, v in ((preds.get("DESIGNATED") or {}).get("label_designators") or {}).items()}
        labels = "|".join(sorted(map(re.escape, self.label_designators), key=len, reverse=True))
        # "X (another FTO)", "X, a U.S.-designated Foreign Terrorist Organization", "X is an SDGT": the text after X
        self.label_rx = re.compile(rf"\s*(?:[(,–—]\s*|(?:is|was|has been|remains|became)\s+(?=(?:a|an|another|the)\s))(?:[\w.’'-]+,?\s+){{0,6}}?"
                                   rf"(?P<label>{labels})\b") if labels else None
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
        # every noun that says "one of / part of": a body's units and a person's titles
        self.membership_nouns = self.member_nouns | set(self.titles) | {
            t.lower() for t in part.get("membership_nouns") or []}
        self.person_titles = set(self.titles) - self.member_nouns - {
            t.lower() for t in part.get("membership_nouns") or []}
        self.leadership_nouns = {t.lower() for t in part.get("leadership_nouns") or []}
        self.leader_verbs = {t.lower() for t in part.get("leader_verbs") or []}
        self.join_verbs = {t.lower() for t in part.get("join_verbs") or []}
        self.leave_verbs = {t.lower() for t in part.get("leave_verbs") or []}
        self.join_into_verbs = {t.lower() for t in part.get("join_into_verbs") or []}
        self.container_verbs = {t.lower() for t in part.get("container_verbs") or []}
        self.surface = []
        title_rx = "(?:(?:ex|vice|co|deputy)-)?(?:" + "|".join(sorted((re.escape(t) for t in self.titles), key=len, reverse=True)) + ")"
        unit_rx = "(?:" + "|".join(sorted(self.member_nouns, key=len, reverse=True)) + ")"
        state_rx = "(?:" + "|".join(re.escape(t) for t in self.state_titles) + ")"
        plurals = {w[:-1] + "ies" if w.endswith("y") else w + "s" for w in self.relational_nouns}
        relational_rx = "(?:" + "|".join(sorted(map(re.escape, self.relational_nouns | plurals), key=len, reverse=True)) + ")"
        expand = lambda p: (p.replace("{TITLE}", title_rx).replace("{UNIT}", unit_rx)
                            .replace("{STATE_TITLE}", state_rx).replace("{RELATIONAL}", relational_rx))
        for item in data.get("surface_patterns") or []:
            self.surface.append({
                **item,
                "between_rx": re.compile(expand(item["between"]), re.IGNORECASE),
                "after_rx": re.compile(expand(item["after"]), re.IGNORECASE) if item.get("after") else None,
                "before_rx": re.compile(expand(item["before"]), re.IGNORECASE) if item.get("before") else None,
            })
        forms = {"according to"}
        for lemma in self.reporting_verbs:
            forms |= {lemma, lemma + "s", lemma + "ed", lemma + "d", lemma + "es", lemma + lemma[-1] + "ed",
                      lemma + "ing", lemma[:-1] + "ing" if lemma.endswith("e") else lemma + "ing"}
            if lemma.endswith("y"):
                forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
            forms |= set(self.irregular.get(lemma, ()))
        self.reporting_rx = "(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + ")"
        # A cheap test before parsing: does the sentence hold any trigger word at all?
        lemmas = set(self.verb_triggers) | set(self.noun_triggers) | set(self.agent_nouns) | self.denial_verbs | self.give_verbs | \
            self.receive_verbs | self.have_verbs | {str(w).lower() for w in opposed.get("hostility_words") or []
                                                    if " " not in str(w)}
        for spec in preds.values():
            # (list verbs are too common, "be", "have": a list construction needs its list noun)
            for key in ("reverse_verbs", "permission_verbs", "reciprocal_nouns", "label_verbs", "list_nouns",
                        "join_verbs", "join_into_verbs", "container_verbs", "role_nouns", "prep_triggers", "joint_words"):
                lemmas |= {str(w).lower() for w in spec.get(key) or []}
            for verbs in (spec.get("location_verbs") or {}).values():
                lemmas |= {str(w).lower() for w in verbs}
        stems = set()
        for lemma in lemmas:
            stems.add(lemma[:-1] if len(lemma) > 3 and lemma[-1] in "ey" else lemma)
            if lemma.endswith("ie"):
                stems.add(lemma[:-2] + "y")  # tie -> tying
            stems |= set(self.irregular.get(lemma, ()))
        phrases = [p for spec in preds.values() for p in spec.get("phrases") or []]
        self.trigger_rx = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, stems), key=len, reverse=True)) + ")"
                                     + ("|" + "|".join(f"(?:{p})" for p in phrases) if phrases else ""),
                                     re.IGNORECASE)
        # The same stems as whole lower-case words with a verb's or noun's ending: not "level" for "levy",
        # nor "United" for "unite" (a name, capitalised)
        # "Iranian-backed", "Saudi-funded": a capitalised word glued to a trigger verb's participle
        participles = {v[:-1] if v.endswith("e") else v for v in self.verb_triggers}
        self.name_participle_rx = re.compile(r"\b([A-Z][a-z]+)[-‐‑](?:" + "|".join(
            sorted(map(re.escape, participles), key=len, reverse=True)) + r")(?:ed|d)\b")
        self.trigger_word_rx = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, stems), key=len, reverse=True)) +
                                          r")(?:e|es|ed|d|s|ing|ied|ies|y)?\b")
        # Words of structure (membership nouns, leading verbs): worth a parse, but no relation's trigger,
        # so kept apart from trigger_rx, which also tells a modifier's noun phrase from a clause.
        self.structure_rx = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, self.membership_nouns | {
            v[:-1] if v.endswith("e") else v for v in self.leader_verbs | self.leave_verbs}), key=len, reverse=True)) + ")",
            re.IGNORECASE)
        self.denial_rx = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, {
            v[:-1] if v[-1] in "ey" else v for v in self.denial_verbs} | self.falsity_words), key=len, reverse=True))
            + ")", re.IGNORECASE)
        self.title_rx = re.compile(rf"\b{title_rx}s?\b", re.IGNORECASE)
        # words that may point back to an actor named before
        self.pointing_words = self.pronouns["person"] | self.pronouns["thing"] | self.pronouns["plural"] | \
            {"latter", "former"}
        # one search instead of one per pattern (each is searched the same way, case-insensitively)
        self.rebuttal_rx = re.compile("|".join(f"(?:{rx.pattern})" for rx in self.rebuttals), re.IGNORECASE) \
            if self.rebuttals else None
        self.state_title_rx = re.compile(rf"\b{state_rx}\b", re.IGNORECASE)
        regime = "|".join(sorted(map(re.escape, (t.lower() for t in part.get("regime_nouns") or [])), key=len, reverse=True))
        self.regime_rx = re.compile(rf"\b(?:{regime})\s+of\s+(?:the\s+)?(?:(?:late|former|then|ousted|deposed)\s+)?"
                                    rf"(?:[\w-]+\s+)?(?:{state_rx}\s+)?$", re.IGNORECASE) \
            if regime else None
        offices = sorted((re.escape(t) for t in part.get("office_titles") or []), key=len, reverse=True)
        # "<owner> [<one word>] <office> <name>$": the owner one or two words, the name a registry mention
        self.office_rx = re.compile(rf"(?P<owner>[\w.’'-]+(?:\s+[\w.’'-]+)?)\s+(?:[a-z]+\s+)?(?i:{'|'.join(offices)})\s+$") \
            if offices else None

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Rules":
        path = Path(path or RULES_PATH)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_RulesLoader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise GraphctlError(f"{path}: cannot read the extraction rules ({exc})") from None
        if not isinstance(data, dict) or "predicates" not in data:
            raise GraphctlError(f"{path}: not an extraction rules file (no 'predicates')")
        check_schema(data, path)
        rules = cls(data, str(path))
        rules.digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        return rules

    digest = ""  # of the rules file: part of the extractor version, so a rules change re-extracts

    def conf(self, rule: str) -> float:
        kind = rule.split(".", 1)[-1]
        for key, value in self.confidence.items():
            if kind.startswith(key):
                return float(value)
        return float(self.confidence.get("default", 0.7))



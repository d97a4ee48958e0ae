"""Candidate actor pairs in one parsed sentence, and the features the learned scorer reads.

A candidate is an ordered pair of actor spans (registry mentions or resolved
pronouns) naming two different actors. Its features are strings: the actors'
kinds, the dependency path between their heads and the words on it, the words
between them, the trigger words of rules.yaml they meet (mapped to their
predicates), the registry's structure, and what the frames proposed for the pair.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Words between two actors, more than this and the bag of words says little.
MAX_BETWEEN = 15
# Paths longer than this are one feature value, "long".
MAX_PATH = 6
# Pairs further apart than this many tokens are not candidates: claims rarely span more, and
# a list of many actors would otherwise cost the square of its length.
MAX_DISTANCE = 40
# ... nor those with more actors than this between them, and a sentence gives at most
# MAX_PAIRS candidates, the closest first: the work per sentence stays bounded.
MAX_BETWEEN_ACTORS = 3
MAX_PAIRS = 60


@dataclass
class Candidate:
    subject: str
    object: str
    head_a: object        # spaCy token: the subject span's root
    head_b: object
    anchor: object        # the token a claim from this pair is attributed and negated from
    features: set[str] = field(default_factory=set)


def actor_spans(ctx) -> list[tuple[str, int, int]]:
    """(actor id, first token, end token) for each run of tokens the context gives one actor."""
    spans, current = [], None
    for i in sorted(ctx.token_actor):
        actor = ctx.token_actor[i]
        if current and current[0] == actor and current[2] == i:
            current[2] = i + 1
        else:
            current = [actor, i, i + 1]
            spans.append(current)
    return [tuple(s) for s in spans]


def _root(doc, start: int, end: int):
    span = doc[start:end]
    return span.root


def _path(a, b) -> tuple[list, list, object]:
    """Tokens from a up to the lowest common ancestor, and from b up to it; and the ancestor."""
    up_a = [a, *a.ancestors]
    ids_a = {t.i: n for n, t in enumerate(up_a)}
    climb = [b]
    for t in b.ancestors:
        if climb[-1].i in ids_a:
            break
        climb.append(t)
    if climb[-1].i not in ids_a:
        return up_a, climb, None
    lca = climb[-1]
    return up_a[:ids_a[lca.i] + 1], climb, lca


def _triggers(rules, token) -> list[str]:
    lemma = token.lemma_.lower()
    preds = list(rules.verb_triggers.get(lemma, ())) + list(rules.noun_triggers.get(lemma, ())) + \
        list(rules.agent_nouns.get(lemma, ()))
    if lemma in rules.give_verbs:
        preds.append("GIVE")
    if lemma in rules.receive_verbs:
        preds.append("RECEIVE")
    if lemma in rules.denial_verbs:
        preds.append("DENY")
    if lemma in rules.relational_nouns:
        preds.append("RELATION")
    return preds


def pair_candidates(ctx, kind_of, ancestors_of, proposed: set[tuple[str, str, str]]) -> list[Candidate]:
    """The ordered pairs of actor spans in the sentence naming two different actors (_closest_pairs),
    with their features.

    `proposed` holds the (subject, predicate, object) the frames found in this sentence."""
    doc, rules = ctx.doc, ctx.rules
    spans = actor_spans(ctx)
    sentence_triggers = {p for t in doc for p in _triggers(rules, t)}
    out = []
    for ia, ib in _closest_pairs(spans):
        (a, a0, a1), (b, b0, b1) = spans[ia], spans[ib]
        ha, hb = _root(doc, a0, a1), _root(doc, b0, b1)
        feats = _pair_features(ctx, a, b, ha, hb, (a0, a1), (b0, b1), spans, kind_of, ancestors_of)
        feats |= {f"st={p}" for p in sentence_triggers}
        for subject, predicate, obj in proposed:
            if (subject, obj) == (a, b):
                feats.add(f"rule={predicate}")
            elif (subject, obj) == (b, a):
                feats.add(f"rule_rev={predicate}")
        out.append(Candidate(a, b, ha, hb, _anchor(rules, ha, hb), feats))
    return out


def _closest_pairs(spans) -> list[tuple[int, int]]:
    """Ordered pairs of spans naming two actors, near enough (MAX_DISTANCE tokens, at most
    MAX_BETWEEN_ACTORS spans between), the closest MAX_PAIRS of them."""
    pairs = []
    for ia, (a, a0, a1) in enumerate(spans):
        for ib, (b, b0, b1) in enumerate(spans):
            gap = max(a0, b0) - min(a1, b1)
            if ia != ib and a != b and gap <= MAX_DISTANCE and abs(ia - ib) - 1 <= MAX_BETWEEN_ACTORS:
                pairs.append((gap, ia, ib))
    return [(ia, ib) for _, ia, ib in sorted(pairs)[:MAX_PAIRS]]


def _anchor(rules, ha, hb):
    up_a, up_b, lca = _path(ha, hb)
    on_path = [t for t in up_a[1:] + up_b[1:] if t.i not in (ha.i, hb.i)]
    for t in on_path:
        if _triggers(rules, t):
            return t
    return lca if lca is not None and lca.i not in (ha.i, hb.i) else (ha.head if ha.head.i != ha.i else ha)


def _role(up: list, anchor) -> str:
    """How an actor's head hangs from the anchor: the dependency (and preposition) of the
    path's last step below it, or "far" where the anchor is not above the actor."""
    ids = [t.i for t in up]
    if anchor.i not in ids:
        return "far"
    at = ids.index(anchor.i)
    if at == 0:
        return "self"
    child = up[at - 1]
    return f"{child.dep_}:{child.lower_}" if child.dep_ in ("prep", "agent") else child.dep_


def _role_features(rules, ha, hb, up_a, up_b, lca) -> set[str]:
    """Frame-like features: the trigger over the pair and each actor's role under it
    ("provide | nsubj | prep:to"), the same for every source that words it so."""
    if lca is None:
        return set()
    anchor = next((t for t in up_a[1:] + up_b[1:] if t.i not in (ha.i, hb.i) and _triggers(rules, t)), lca)
    roles = f"{_role(up_a, anchor)}|{_role(up_b, anchor)}"
    voice = "pass" if any(c.dep_ in ("auxpass", "nsubjpass") for c in anchor.children) else "act"
    out = {f"fl={anchor.lemma_.lower()}|{roles}", f"fr={roles}|{voice}"}
    out |= {f"fp={p}|{roles}|{voice}" for p in _triggers(rules, anchor)}
    return out


def _pair_features(ctx, a, b, ha, hb, span_a, span_b, spans, kind_of, ancestors_of) -> set[str]:
    doc, rules = ctx.doc, ctx.rules
    ka, kb = kind_of(a), kind_of(b)
    f = {f"ka={ka}", f"kb={kb}", f"kk={ka}>{kb}", "order=ab" if span_a[0] < span_b[0] else "order=ba"}
    if b in ancestors_of(a):
        f.add("reg=a_in_b")
    if a in ancestors_of(b):
        f.add("reg=b_in_a")
    if ha.i in ctx.pronoun_tokens:
        f.add("a_pronoun")
    if hb.i in ctx.pronoun_tokens:
        f.add("b_pronoun")
    f |= {f"da={ha.dep_}", f"db={hb.dep_}", f"dd={ha.dep_}>{hb.dep_}"}
    if ha.dep_ == "pobj":
        f.add(f"pa={ha.head.lower_}")
    if hb.dep_ == "pobj":
        f.add(f"pb={hb.head.lower_}")
        f.add(f"pb={hb.head.lower_}/{hb.head.head.lemma_.lower()}")
    up_a, up_b, lca = _path(ha, hb)
    if lca is None:
        f.add("path=none")
    else:
        steps = [f"{t.dep_}^" for t in up_a[:-1]] + [f"{t.dep_}v" for t in reversed(up_b[:-1])]
        f.add("path=" + (" ".join(steps) if len(steps) <= MAX_PATH else "long"))
        f.add(f"plen={min(len(steps), MAX_PATH + 1)}")
        f.add(f"lca={lca.lemma_.lower()}")
        f.add(f"lca_pos={lca.pos_}")
        for t in up_a[1:-1] + up_b[1:-1] + [lca]:
            if t.i in (ha.i, hb.i):
                continue
            lemma = t.lemma_.lower()
            f.add(f"pl={lemma}")
            for p in _triggers(rules, t):
                f.add(f"pt={p}")
                f.add(f"pt={p}/{'verb' if t.pos_ in ('VERB', 'AUX') else t.pos_.lower()}")
                if t.i == lca.i:
                    f.add(f"lt={p}")
            if t.dep_ == "neg" or any(c.dep_ == "neg" for c in t.children):
                f.add("path_neg")
        if lca.i == ha.i:
            f.add("b_under_a")
        elif lca.i == hb.i:
            f.add("a_under_b")
    f |= _role_features(rules, ha, hb, up_a, up_b, lca)
    lo, hi = (span_a[1], span_b[0]) if span_a[0] < span_b[0] else (span_b[1], span_a[0])
    between = doc[lo:hi] if hi > lo else []
    others = sum(1 for _, s0, _ in spans if lo <= s0 < hi)
    f.add(f"others={min(others, 3)}")
    f.add(f"gap={min(len(between) // 3, 5)}")
    if len(between) <= MAX_BETWEEN:
        for t in between:
            if t.is_alpha and not t.is_stop or t.lower_ in ("by", "with", "from", "to", "of", "against", "for"):
                f.add(f"bw={t.lemma_.lower()}")
            for p in _triggers(rules, t):
                f.add(f"bt={p}")
    if not between and lo == hi:
        f.add("adjacent")
    # a trigger means more when nothing else stands between the pair: conjoined features
    near = f"others={min(others, 3)}"
    f |= {f"{x}&{near}" for x in list(f) if x.startswith(("pt=", "lt=", "bt=", "rule="))}
    f |= {f"{x}&kk={ka}>{kb}" for x in list(f) if x.startswith(("lt=", "rule=")) and "&" not in x}
    return f


__all__ = ["Candidate", "actor_spans", "pair_candidates"]

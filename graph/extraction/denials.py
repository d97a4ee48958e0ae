"""Denials: an actor rejecting what is claimed (about it, or by others), found in a parsed sentence.

A `Denial` names who denies and which earlier or nearby claims it rejects; the
extractor turns each claim it covers into a copy with polarity "denies", said by
the denier. The scopes, from narrowest to widest:

- SPEAKER: what one named speaker said earlier ("X denied Y's revelations");
- SENTENCE: what others say in this sentence ("X dismissed the idea that ...",
  "X called the allegation that it trained Y baseless"), optionally only claims of
  some predicates ("X denied the scale of the assistance": SUPPORTED);
- ABOUT_DENIER: recent claims about the denier ("X denied any involvement",
  "an allegation it denied"): its claims as subject in this and the two previous
  sentences; where none is, the denier denies backing the recent attacks of others
  (`sponsored`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

SPEAKER, SENTENCE, ABOUT_DENIER = "speaker", "sentence", "about_denier"
# How far back "X denied any involvement" reaches, in sentences.
RECENT = 2


@dataclass
class Denial:
    denier: str
    scope: str
    rule: str
    anchor: object = None
    owner: str | None = None                  # SPEAKER: whose claims
    predicates: frozenset = field(default_factory=frozenset)  # SENTENCE: only these, if any
    spare_author: bool = False                # SENTENCE: only what others say, not the author's narrative
    own_only: bool = False                    # SENTENCE: only claims about the denier ("denied that it armed Y")
    own_part: bool = False                    # ABOUT_DENIER: "X denied any involvement": X's own, its parts' included


def covers(denial: Denial, claim, sentence_index: int, claim_sentence: int, parts_of) -> bool:
    """Whether the denial rejects the claim (an affirmation, not PART_OF, not the denier's own)."""
    if claim.polarity != "affirms" or claim.predicate == "PART_OF" or claim.said_by == denial.denier:
        return False
    if denial.scope == SPEAKER:
        return claim.said_by == denial.owner
    if denial.scope == SENTENCE:
        return claim_sentence == sentence_index and (not denial.predicates or claim.predicate in denial.predicates) \
            and not (denial.spare_author and claim.said_by == "author") \
            and not (denial.own_only and denial.denier != claim.subject and denial.denier not in parts_of(claim.subject))
    if denial.scope == ABOUT_DENIER:
        # (in the denial's own sentence, the author's aside is no accusation: "Iran, which arms X, denied it")
        return sentence_index - RECENT <= claim_sentence <= sentence_index and (
            claim.subject == denial.denier or denial.denier in parts_of(claim.subject)) and \
            not (claim_sentence == sentence_index and claim.said_by == "author")
    return False


def sponsored(denial: Denial, history, sentence_index: int, sentence_of, parts_of) -> list:
    """"Both Iran and Hezbollah have denied any involvement", nothing claimed of Iran before: the recent
    attacks of others (affirmed OPPOSED claims), whose backing the denier denies (one claim per attacker)."""
    if denial.scope != ABOUT_DENIER:
        return []
    recent = [c for c in history if sentence_index - RECENT <= sentence_of(c) <= sentence_index
              and c.polarity == "affirms"]
    if any(c.subject == denial.denier or denial.denier in parts_of(c.subject) for c in recent):
        return []
    attacks = [c for c in recent if c.predicate == "OPPOSED" and c.subject != denial.denier
               and denial.denier not in parts_of(c.subject) and c.object != denial.denier]
    return list({c.subject: c for c in attacks}.values())


def find_denials(ctx) -> list[Denial]:
    """The denials of one parsed sentence (ctx: frames._Context)."""
    rules = ctx.rules
    found = []
    for t in ctx.doc:
        lemma = t.lemma_.lower()
        if lemma in rules.denial_verbs and t.pos_ == "VERB":
            found += _denial_verb(ctx, t)
        elif lemma in rules.falsity_words and t.dep_ not in ("amod", "compound"):
            found += _called_false(ctx, t)  # "called it baseless", not "false travel documents"
    return found


def _deniers(ctx, verb) -> list[str]:
    subjects = ctx.subjects(verb)
    if ctx.passive(verb) and not subjects:  # "such allegations are strongly denied by Hizbullah"
        subjects = [p for a in verb.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
    deniers = [a for s in subjects for a in ctx.actors(s)]
    if not deniers and verb.dep_ == "relcl":
        # "an allegation it denied": the relative clause's subject pronoun
        deniers = [ctx.token_actor[c.i] for c in verb.children if c.dep_ == "nsubj" and c.i in ctx.token_actor]
    return list(dict.fromkeys(deniers))


def _denial_verb(ctx, verb) -> list[Denial]:
    rules = ctx.rules
    deniers = _deniers(ctx, verb)
    if not deniers:
        return []
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ == "relcl":
        objects.append(verb.head)  # "an allegation it denied"
    out = []
    for obj in objects:
        lemma = obj.lemma_.lower()
        owners = [ctx.actor(c) for c in obj.children if c.dep_ == "poss" and ctx.actor(c)]
        triggers = _trigger_predicates(ctx, obj)
        if lemma in rules.statement_nouns and owners:
            out += [Denial(d, SPEAKER, "DENIAL.reported_claims", verb, owner=o) for d in deniers for o in owners]
        elif triggers:
            # "denying the scale of assistance": the sentence's claims of that kind
            out += [Denial(d, SENTENCE, "DENIAL.of_relation", verb, predicates=frozenset(triggers)) for d in deniers]
        elif lemma in rules.claim_nouns and _has_clause_or_named_claim(obj):
            out += [Denial(d, SENTENCE, "DENIAL.reported_claims", verb) for d in deniers]
        elif lemma in rules.claim_nouns and not owners:
            # "Putin downplayed the idea": what others were just reported to claim
            out += [Denial(d, SENTENCE, "DENIAL.reported_claims", verb, spare_author=True) for d in deniers]
            # ... or, "such allegations are denied by X", what was just said about X
            out += [Denial(d, ABOUT_DENIER, "DENIAL.involvement", verb) for d in deniers]
        elif lemma in rules.involvement_nouns or lemma in rules.claim_nouns or lemma in rules.statement_nouns \
                or obj.pos_ == "PRON":
            out += [Denial(d, ABOUT_DENIER, "DENIAL.involvement", verb, own_part=lemma in rules.role_nouns)
                    for d in deniers]
    if not objects and any(c.dep_ == "ccomp" for c in verb.children):
        # "X denied that it had armed Y": the claims of the clause, in this sentence
        out += [Denial(d, SENTENCE, "DENIAL.clause", verb, own_only=True) for d in deniers]
    return out


def _called_false(ctx, word) -> list[Denial]:
    """"X called the allegation that ... baseless", "Claim X backs Y is false, Z say": the claims
    of the sentence, denied by who calls them false (the verb's subject, or the one who says so)."""
    verb = word
    while verb.head.i != verb.i and verb.pos_ not in ("VERB",) and not (verb.pos_ == "AUX" and verb.dep_ == "ROOT"):
        verb = verb.head
    deniers = [a for s in ctx.subjects(verb) for a in ctx.actors(s)] if verb.lemma_.lower() != "be" else []
    if not deniers:
        # "... is false, Pakistani secret services say": the reporting verb over it
        reporters = [h for h in [verb.head, *verb.children] if h.lemma_.lower() in ctx.rules.reporting_verbs]
        deniers = [a for r in reporters for s in ctx.subjects(r) for a in ctx.actors(s)]
    return [Denial(d, SENTENCE, "DENIAL.called_false", word) for d in dict.fromkeys(deniers)]


def _trigger_predicates(ctx, noun) -> set[str]:
    """Predicates of a trigger noun, or of its "of" phrase ("the scale of assistance")."""
    nouns = [noun] + [p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "of"
                      for p in prep.children if p.dep_ == "pobj"]
    return {p for n in nouns for p in ctx.rules.noun_triggers.get(n.lemma_.lower(), ()) if p != "PART_OF"}


def _has_clause_or_named_claim(noun) -> bool:
    """"the allegation that ...", "a report alleging that ...": the claim is spelt out here."""
    return any(c.dep_ in ("acl", "ccomp", "relcl") for c in noun.children)


__all__ = ["ABOUT_DENIER", "Denial", "SENTENCE", "SPEAKER", "covers", "find_denials"]

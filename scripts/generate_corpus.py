#!/usr/bin/env python3
"""Write N synthetic but news-like articles for benchmarks.

    python scripts/generate_corpus.py N OUT_DIR [--seed S] [--registry seeds/actors.yaml]

Each article is a headline, a dateline and 25-45 sentences in short paragraphs.
Most sentences are ordinary news with no relation in them (markets, weather,
sport, transport, quotes from people the registry does not know, sentences that
name one actor); about one in nine names two actors of the registry with a
relation wording (trained, was trained by, funded, hosted, designated,
sanctioned, fought, cooperated with, ...), in many voices: hedged ("allegedly"),
attributed ("according to X", "X said"), denied ("X denied that ..."), dated
("in the 1990s"), with pronouns pointing back.

Deterministic: article i depends only on (seed, i), so the same N and seed give
byte-identical files, and a larger N extends a smaller one. Importable:

    from generate_corpus import generate_corpus, article_text
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REGISTRY = ROOT / "seeds" / "actors.yaml"

# ---------------------------------------------------------------- vocabulary (no registry alias in any of it)

PLACES = ["Lisbon", "Oslo", "Nairobi", "Lagos", "Jakarta", "Manila", "Lima", "Quito", "Hanoi", "Dhaka", "Accra",
          "Montevideo", "Tallinn", "Riga", "Vilnius", "Helsinki", "Dublin", "Porto", "Valencia", "Marseille",
          "Antwerp", "Rotterdam", "Hamburg", "Gdansk", "Brno", "Graz", "Zagreb", "Split", "Thessaloniki", "Izmir",
          "Tbilisi", "Yerevan", "Baku", "Almaty", "Tashkent", "Colombo", "Kathmandu", "Perth", "Auckland",
          "Vancouver", "Calgary", "Denver", "Phoenix", "Atlanta", "Boston", "Seattle", "Osaka", "Busan", "Cebu"]
PEOPLE = ["Maria Lindqvist", "Tomas Berg", "Aisha Okafor", "Daniel Moreau", "Kenji Watanabe", "Lucia Ferreira",
          "Peter Novak", "Hannah Keller", "Samuel Adeyemi", "Elena Petrova", "Jonas Weber", "Priya Raman",
          "Carlos Mendes", "Sofia Rossi", "Marek Kowalski", "Ingrid Solberg", "Rafael Ortega", "Nadia Haddad",
          "Oliver Grant", "Yuki Tanaka", "Amara Diallo", "Lars Nilsson", "Fatima Zahra", "Georg Bauer"]
ROLES = ["an economist at a regional bank", "a local shop owner", "a commuter", "the city's mayor",
         "a professor of climate science", "the head coach", "a spokeswoman for the port authority",
         "a fisherman", "a nurse at the central hospital", "a union representative", "a real-estate agent",
         "the festival director", "a farmer", "a teacher", "a traffic engineer", "a retired judge"]
COMPANIES = ["Nordhavn Shipping", "Calder Energy", "Brightwater Foods", "Meridian Telecom", "Altona Steel",
             "Kestrel Airlines", "Harbor Point Bank", "Silvergate Pharma", "Orchard Retail", "Bluepeak Mining"]
TEAMS = ["City", "United", "Rovers", "Athletic", "Wanderers", "the home side", "the visitors"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GOODS = ["wheat", "copper", "crude oil", "natural gas", "coffee", "cocoa", "soybeans", "aluminium", "gold", "rice"]
TOPICS = ["pension reform", "the housing shortage", "rail fares", "school funding", "the new stadium",
          "water rates", "a bridge repair", "the harbour expansion", "digital services", "hospital waiting lists"]

FILLER = [
    "Shares in {company} rose {pct} percent on {day} after the firm reported stronger than expected earnings.",
    "{good} prices fell to a {n}-week low as traders weighed weaker demand against tight supplies.",
    "The benchmark index closed {pct} percent higher, led by technology and consumer stocks.",
    "Forecasters expect heavy rain across the north on {day}, with temperatures dropping to {temp} degrees.",
    "A heat wave is set to continue through the weekend in {place}, where officials opened cooling centres.",
    "Flights out of {place} were delayed for several hours on {day} because of fog.",
    "Traffic on the ring road was backed up for {n} kilometres after a lorry overturned near the exit.",
    "{team} won {a}-{b} on {day} night, their {ordinal} victory in a row.",
    "The match in {place} was postponed after the pitch was flooded.",
    "Inflation eased to {pct} percent in {month}, the lowest reading in {n} months.",
    "The central bank left interest rates unchanged and said it would watch wage growth closely.",
    "“We have never seen queues like this before, and the staff are doing what they can,” said {person}, {role}.",
    "“It is going to be a difficult winter for many families,” {person}, {role}, told reporters.",
    "“Nobody expected the numbers to move this fast,” said {person}.",
    "The council will vote on {topic} at its meeting in {month}.",
    "Residents of {place} have complained for years about {topic}.",
    "{company} said it would cut {n} jobs as part of a restructuring plan.",
    "The museum reopened on {day} after a renovation that cost {n} million.",
    "Unemployment was steady at {pct} percent, according to figures published on {day}.",
    "The festival drew more than {n},000 visitors over three days.",
    "Police said no one was injured in the fire, which broke out shortly before midnight.",
    "Talks between the unions and employers are expected to resume next week.",
    "The report, which runs to {n} pages, was published late on {day}.",
    "Analysts said the figures pointed to a slow but steady recovery.",
    "The ministry of transport said repairs to the bridge would take until {month}.",
    "Ticket sales for the concert in {place} sold out within minutes.",
    "Local elections are due in {month}, and turnout is expected to be low.",
    "The storm knocked out power to about {n},000 homes.",
    "Diplomats from several countries met in {place} to discuss shipping routes and fishing quotas.",
    "The talks ended without a joint statement, and officials said they would meet again later in the year.",
    "Officials declined to comment on the timing of the announcement.",
    "The document has not been made public.",
    "It was not immediately clear how many people had been affected.",
    "Critics say the plan does too little, too late.",
    "The agreement still needs to be approved by parliament.",
    "Prices for {good} have nearly doubled since {month}.",
    "The company's chief executive, {person}, is expected to step down next year.",
    "Schools in {place} will remain closed until {day}.",
    "Researchers found that the number of cyclists in {place} had grown by {pct} percent in a decade.",
    "The court adjourned the case until {month}.",
]
ONE = [
    "{A} announced new measures on {topic} on {day}.",
    "Officials in {A} declined to comment on the report.",
    "{A} said it would hold further talks in {month}.",
    "The statement from {A} did not mention the shipping dispute.",
    "{A} has faced growing pressure over {topic} in recent months.",
    "A delegation from {A} arrived in {place} on {day}.",
    "Observers expect {A} to respond in the coming weeks.",
    "{A} has repeatedly called for calm.",
    "“The situation remains serious, and we are following it closely,” a spokesman for {A} said.",
    "The decision by {A} surprised many observers in {place}.",
    "Little is known about the internal workings of {A}.",
    "{A} rejected the criticism as politically motivated.",
    "Markets reacted calmly to the news from {A}.",
    "{A} is expected to publish its annual budget in {month}.",
    "Reporters were not allowed to visit the sites controlled by {A}.",
]
# Two actors: {A} acts on {B}; {C} is a third actor who speaks.
RELATION = [
    # TRAINED
    ("{A} trained {B} fighters{when}.", ("state", "government_body", "armed_group"), ("armed_group",)),
    ("{B} militants were trained by {A}{when}.", ("state", "government_body", "armed_group"), ("armed_group",)),
    ("{A} allegedly trained members of {B} in camps near the border{when}.", ("state", "government_body", "armed_group"), ("armed_group",)),
    ("According to {C}, {A} trained {B} operatives{when}.", ("state", "government_body", "armed_group"), ("armed_group",)),
    ("{A} provided training to {B}{when}, {C} said.", ("state", "government_body", "armed_group"), ("armed_group",)),
    ("{A} denied that it had trained {B} fighters.", ("state", "government_body", "armed_group"), ("armed_group",)),
    # HOSTED
    ("{A} hosted {B} leaders{when}.", ("state",), ("armed_group", "organization")),
    ("{B} was hosted by {A}{when}, according to {C}.", ("state",), ("armed_group", "organization")),
    ("{A} reportedly gave shelter to {B} commanders{when}.", ("state",), ("armed_group", "organization")),
    ("{A} has never hosted {B}, officials said.", ("state",), ("armed_group", "organization")),
    # SUPPORTED
    ("{A} funded {B}{when}.", ("state", "government_body"), ("armed_group", "organization")),
    ("{A} armed and financed {B}{when}, {C} alleged.", ("state", "government_body"), ("armed_group", "organization")),
    ("{B} received weapons and money from {A}{when}.", ("state", "government_body"), ("armed_group", "organization")),
    ("{A} backed {B} during the war{when}.", ("state", "government_body"), ("armed_group", "organization")),
    ("{A} denied funding {B}.", ("state", "government_body"), ("armed_group", "organization")),
    ("{C} said {A} supported {B} with money and weapons{when}.", ("state", "government_body"), ("armed_group", "organization")),
    # COOPERATED_WITH
    ("{A} cooperated with {B}{when}.", ("state", "government_body", "armed_group", "organization"), ("state", "government_body", "armed_group", "organization")),
    ("{A} worked closely with {B}{when}, according to {C}.", ("state", "government_body", "armed_group", "organization"), ("state", "government_body", "armed_group", "organization")),
    ("{A} and {B} formed an alliance{when}.", ("state", "government_body", "armed_group", "organization"), ("state", "government_body", "armed_group", "organization")),
    ("{A} has repeatedly denied any cooperation with {B}.", ("state", "government_body", "armed_group", "organization"), ("state", "government_body", "armed_group", "organization")),
    ("{A} may have cooperated with {B}{when}.", ("state", "government_body", "armed_group", "organization"), ("state", "government_body", "armed_group", "organization")),
    # OPPOSED
    ("{A} fought {B}{when}.", ("state", "government_body", "armed_group"), ("state", "armed_group")),
    ("{A} attacked {B} positions{when}.", ("state", "government_body", "armed_group"), ("state", "armed_group")),
    ("{B} forces clashed with {A}{when}.", ("state", "government_body", "armed_group"), ("state", "armed_group")),
    ("{A} condemned {B} in a statement on {day}.", ("state", "government_body", "armed_group"), ("state", "armed_group")),
    # DESIGNATED
    ("{A} designated {B} as a terrorist organization{when}.", ("state", "government_body"), ("armed_group", "organization", "government_body")),
    ("{A} sanctioned {B}{when}.", ("state", "government_body"), ("armed_group", "organization", "government_body")),
    ("{B} was designated a terrorist group by {A}{when}.", ("state", "government_body"), ("armed_group", "organization", "government_body")),
    ("{A} blacklisted several {B} financiers{when}.", ("state", "government_body"), ("armed_group", "organization", "government_body")),
]
PART_OF = [
    "{P}, a spokesman for {B}, said the talks were over.",
    "{B} commander {P} was seen in {place} last week.",
    "{P}, who leads {B}, gave a speech on {day}.",
]
PRONOUN = [
    "It also said it had no plans to change course.",
    "They did not give details.",
    "He later said the remarks had been misunderstood.",
    "It trained them for years, the report said.",
    "They were funded by it for most of the decade.",
]
HEADLINES = [
    "Markets steady as investors weigh rate outlook", "Storm brings flooding to coastal towns",
    "Council approves budget after long debate", "New report revisits militant networks",
    "Officials trade accusations over alleged support", "Talks stall as sides dig in",
    "Sanctions list expanded", "Analysts question claims of secret cooperation",
    "Rail strike disrupts commuters", "Harvest outlook improves after rains",
]
WHEN = ["", "", "", "", " in the 1990s", " in the 1980s", " in 2014", " in 2019", " since 2001", " for years",
        " between 2003 and 2008", " after 2001", " in March 2011"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]

# Weights of the sentence kinds: about 11% relation sentences, the rest has fewer than two actors.
KINDS = (("filler", 58), ("one", 27), ("relation", 10), ("part_of", 2), ("pronoun", 3))

_SUBJECT_KINDS = {"state", "government_body", "armed_group", "organization"}


def _usable(alias: str) -> bool:
    """Aliases that read as a noun phrase in any slot (no bare adjectives, no brackets)."""
    if alias.startswith("[") or not (alias[0].isupper() or alias.startswith(("the ", "al-", "al "))):
        return False
    if " " not in alias and re.search(r"(?:ian|ish|eli|ese)$", alias) and not alias.endswith("stan"):
        return False
    return alias not in {"Saudi", "Boris", "Clarion", "Duran", "Porter", "Supreme Leader", "Jordan", "Turkey"}


def load_actors(registry_path: Path | str = DEFAULT_REGISTRY) -> dict[str, list[tuple[str, list[str]]]]:
    """{kind: [(actor id, usable surface forms)]} from a registry file, in file order."""
    sys.path.insert(0, str(ROOT))
    from graph.actors import Registry

    registry = Registry.from_yaml(Path(registry_path))
    by_kind: dict[str, list[tuple[str, list[str]]]] = {}
    for actor in registry.actors.values():
        forms = [actor.name] + [a for a in actor.aliases if a != actor.name and _usable(a)][:5]
        forms = [f for f in dict.fromkeys(forms) if _usable(f)] or [actor.name]
        by_kind.setdefault(actor.kind, []).append((actor.id, forms))
    return by_kind


def _pick(rng: random.Random, actors, kinds, exclude=()) -> str:
    pool = [a for kind in kinds for a in actors.get(kind, []) if a[0] not in exclude]
    actor_id, forms = rng.choice(pool)
    # the canonical name half the time, another alias (variant) otherwise
    return actor_id, (forms[0] if rng.random() < 0.5 else rng.choice(forms))


def _fill(rng: random.Random, template, actors) -> str:
    subject_kinds, object_kinds = _SUBJECT_KINDS, ("armed_group", "organization", "government_body", "state")
    if isinstance(template, tuple):
        template, subject_kinds, object_kinds = template
    values = {
        "company": rng.choice(COMPANIES), "pct": f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
        "day": rng.choice(DAYS), "good": rng.choice(GOODS), "n": rng.randint(2, 90),
        "temp": rng.randint(-8, 38), "place": rng.choice(PLACES), "team": rng.choice(TEAMS),
        "a": rng.randint(0, 5), "b": rng.randint(0, 5), "ordinal": rng.choice(ORDINALS),
        "month": rng.choice(MONTHS), "person": rng.choice(PEOPLE), "role": rng.choice(ROLES),
        "topic": rng.choice(TOPICS), "when": rng.choice(WHEN),
    }
    used: set[str] = set()
    if "{A}" in template:
        a_id, values["A"] = _pick(rng, actors, sorted(subject_kinds))
        used.add(a_id)
    if "{B}" in template:
        kinds = object_kinds if "{P}" not in template else ("armed_group", "organization", "government_body")
        b_id, values["B"] = _pick(rng, actors, sorted(kinds), used)
        used.add(b_id)
    if "{C}" in template:
        _, values["C"] = _pick(rng, actors, ("person", "organization", "government_body"), used)
    if "{P}" in template:
        _, values["P"] = _pick(rng, actors, ("person",), used)
    sentence = template.format(**values)
    return sentence[0].upper() + sentence[1:]


def article_text(seed: int, index: int, actors) -> str:
    """The text of article `index` of the corpus of `seed`."""
    rng = random.Random(f"graphctl-corpus:{seed}:{index}")
    kinds, weights = zip(*KINDS)
    templates = {"filler": FILLER, "one": ONE, "relation": RELATION, "part_of": PART_OF, "pronoun": PRONOUN}
    place, month = rng.choice(PLACES), rng.choice(MONTHS)
    lines = [rng.choice(HEADLINES), f"{place.upper()}, {month} {rng.randint(1, 28)} — "]
    paragraph: list[str] = []
    paragraphs: list[str] = []
    previous = "filler"
    for _ in range(rng.randint(25, 45)):
        kind = rng.choices(kinds, weights)[0]
        if kind == "pronoun" and previous not in ("one", "relation"):
            kind = "filler"
        paragraph.append(_fill(rng, rng.choice(templates[kind]), actors))
        previous = kind
        if len(paragraph) >= rng.randint(1, 4):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    lines[1] += paragraphs[0]
    lines += paragraphs[1:]
    return "\n".join(lines) + "\n"


def article_name(index: int) -> str:
    return f"article_{index:07d}.txt"


def iter_articles(n: int, seed: int = 0, registry_path: Path | str = DEFAULT_REGISTRY,
                  start: int = 0) -> Iterator[tuple[str, str]]:
    """(file name, text) of articles start .. start+n-1."""
    actors = load_actors(registry_path)
    for index in range(start, start + n):
        yield article_name(index), article_text(seed, index, actors)


def generate_corpus(n: int, out_dir: Path | str, seed: int = 0,
                    registry_path: Path | str = DEFAULT_REGISTRY) -> list[Path]:
    """Write n articles into out_dir (created); returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in iter_articles(n, seed, registry_path):
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY)
    args = parser.parse_args(argv)
    paths = generate_corpus(args.n, args.out_dir, args.seed, args.registry)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} articles, {size / 1e6:.2f} MB, to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

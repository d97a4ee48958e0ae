from graph.model import Claim
from graph.store import year_range


def claim(**fields):
    base = dict(doc="a.txt", subject="iran", predicate="SUPPORTED", object="al-qaeda")
    base.update(fields)
    return Claim(**base)


def test_cooperation_is_one_link_in_either_direction():
    forward = claim(predicate="COOPERATED_WITH")
    backward = claim(predicate="COOPERATED_WITH", subject="al-qaeda", object="iran")
    assert forward.link_key == backward.link_key == "al-qaeda|COOPERATED_WITH|iran"


def test_directed_predicates_keep_their_direction():
    assert claim().link_key == "iran|SUPPORTED|al-qaeda"
    assert claim(subject="al-qaeda", object="iran").link_key == "al-qaeda|SUPPORTED|iran"


def test_the_author_of_each_document_is_a_different_speaker():
    assert claim(doc="a.txt").speaker_key != claim(doc="b.txt").speaker_key
    assert claim(doc="a.txt", said_by="irgc").speaker_key == claim(doc="b.txt", said_by="irgc").speaker_key


def test_claim_id_is_a_content_hash():
    assert claim().id == claim().id
    assert claim().id != claim(polarity="denies").id
    assert claim().id != claim(origin="curated:x.jsonl").id


def test_guide_keys_come_first_and_in_order():
    keys = list(claim().to_guide_dict())
    assert keys[:9] == ["doc", "subject", "predicate", "object", "polarity", "said_by", "certainty", "when", "evidence"]
    assert list(claim().to_guide_dict(extras=False)) == keys[:9]


def test_year_ranges():
    assert year_range("1990s") == (1990, 1999)
    assert year_range("1992-1995") == (1992, 1995)
    assert year_range("after 2001") == (2001, None)
    assert year_range("since at least 2009") == (2009, None)
    assert year_range("2000s and 2010s") == (2000, 2019)
    assert year_range("for decades") == (None, None)
    assert year_range(None) == (None, None)

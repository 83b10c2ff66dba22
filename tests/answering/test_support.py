"""The support check on literal claims and sources, with the bundled e5 embedder (real vectors, tiny inputs)."""

from __future__ import annotations

import numpy as np
import pytest

from rag.answering.support import SUPPORTED, UNRESOLVED, UNSUPPORTED, SupportCheck, negated
from rag.embeddings import make_embedder

SOURCE = (
    "ونقلت الصحيفة عن مصادرها، أن ميليشيات لواء “الباقر” العراقي ولواء “فاطميون” الأفغاني جلبت، خلال اليومين الماضيين، "
    "تعزيزات عسكرية ضخمة من دير الزور إلى مواقعها في منطقة السخنة ومحيطها شرقي حمص. "
    "وتضم التعزيزات أكثر من 400 عنصر وآليات عسكرية مصفحة وسيارات مزودة برشاشات ثقيلة ومتوسطة. "
    "بدورها، عززت القوات الروسية مواقعها بمحيط مدينة تدمر بعدد من الآليات."
)
OTHER = "شن تنظيم داعش هجمات متفرقة استهدفت مواقع النظام في البادية السورية قرب أثريا بريف حماة الشرقي."


@pytest.fixture(scope="module")
def check():
    return SupportCheck(make_embedder("e5-small-q4"))


@pytest.mark.parametrize("claim", [
    "The reinforcements included more than 400 fighters and armoured vehicles.",
    "ضمت التعزيزات ما يزيد على 400 مقاتل وآليات مصفحة.",
    "Liwa al-Baqir and the Fatemiyoun brought large reinforcements from Deir ez-Zor to Sukhnah.",
])
def test_faithful_paraphrases_in_either_language_are_supported(check, claim):
    got = check.check(claim, SOURCE)
    assert got.status == SUPPORTED, got
    assert got.similarity >= check.floor
    assert SOURCE[got.start:got.end].strip()


def test_a_changed_number_is_caught_with_both_figures(check):
    got = check.check("The reinforcements included more than 600 fighters and armoured vehicles.", SOURCE)
    assert got.status == UNSUPPORTED
    assert got.why == "number more than 600 vs more than 400"


def test_a_swapped_place_is_caught_by_gazetteer_id(check):
    got = check.check("Liwa al-Baqir and the Fatemiyoun brought large reinforcements from Deir ez-Zor to Palmyra.",
                      SOURCE.split(". ")[0])
    assert got.status == UNSUPPORTED and "Palmyra" in got.why and "not named" in got.why


def test_a_swapped_actor_is_caught(check):
    got = check.check("Wagner brought large reinforcements from Deir ez-Zor to Sukhnah.", SOURCE.split(". ")[0])
    assert got.status == UNSUPPORTED and "Wagner" in got.why


def test_negation_in_the_claim_only_is_caught(check):
    got = check.check("The militias did not bring any reinforcements to Sukhnah.", SOURCE.split(". ")[0])
    assert got.status == UNSUPPORTED and got.why.startswith("negation")


def test_the_right_fact_cited_to_the_wrong_source_is_caught(check):
    got = check.check("The reinforcements included more than 400 fighters and armoured vehicles.", OTHER)
    assert got.status == UNSUPPORTED


def test_adjacent_sentences_together_support_a_joined_claim(check):
    claim = "Liwa al-Baqir and the Fatemiyoun brought more than 400 fighters to Sukhnah."
    two = SOURCE.rsplit(" بدورها", 1)[0]
    assert check.check(claim, two.split(". ")[0] + ".").status == UNSUPPORTED  # the first sentence lacks the 400
    got = check.check(claim, two)
    assert got.status == SUPPORTED
    assert "السخنة" in two[got.start:got.end] and "400" in two[got.start:got.end]


def test_a_verbatim_sentence_is_supported_by_construction(check):
    sentence = "وتضم التعزيزات أكثر من 400 عنصر وآليات عسكرية مصفحة وسيارات مزودة برشاشات ثقيلة ومتوسطة."
    got = check.check("- " + sentence + " [2]", SOURCE)
    assert (got.status, got.why) == (SUPPORTED, "quoted verbatim")
    assert SOURCE[got.start:got.end] == sentence


def test_nothing_to_check_is_unresolved(check):
    assert check.check("[1] .", SOURCE).status == UNRESOLVED


def test_an_embedder_failure_is_unresolved_not_supported():
    class Broken:
        def embed_batch(self, texts, *, is_query=False):
            raise ConnectionError("down")

    got = SupportCheck(Broken()).check("More than 400 fighters arrived.", SOURCE)
    assert got.status == UNRESOLVED and "ConnectionError" in got.why


def test_floor_is_applied():
    class Orthogonal:  # every claim is unlike every sentence
        def embed_batch(self, texts, *, is_query=False):
            v = np.zeros((len(texts), 2), dtype=np.float32)
            v[:, 0 if is_query else 1] = 1
            return v

    got = SupportCheck(Orthogonal()).check("The reinforcements arrived.", SOURCE)
    assert got.status == UNSUPPORTED and "similarity 0.00" in got.why


@pytest.mark.parametrize("text, neg", [
    ("لم تعزز القوات الروسية مواقعها", True),
    ("The convoy did not reach Deir ez-Zor", True),
    ("Nobody was killed", True),
    ("ما لا يقل عن 30 عنصراً", False),      # "at least", not a negation
    ("لا يزال التنظيم ينشط في البادية", False),  # "still"
    ("The convoy reached Deir ez-Zor", False),
])
def test_negation_words(text, neg):
    assert negated(text) is neg

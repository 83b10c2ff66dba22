"""Follow-ups made standalone without an LLM: literal conversations over the real gazetteer and key terms."""

from __future__ import annotations

import pytest

from rag.answering.followup import Topic, answer_names, history_text, own_topic, resolve, standalone
from rag.gazetteer import Gazetteer
from rag.terms import Terms

# The first line of the extractive answer to "Which militias reinforced Sukhnah?" over the sample corpus.
SUKHNAH_ANSWER = """Extractive answer (no LLM): the sentences below are quoted verbatim from the sources.

Radio Alkul · date unknown · «قوات النظام وروسيا والميليشيات يجهّزون حملة عسكرية ضد “داعش”»
- ونقلت الصحيفة عن مصادرها، أن ميليشيات لواء “الباقر” العراقي ولواء “فاطميون” الأفغاني جلبت، خلال اليومين الماضيين، تعزيزات عسكرية ضخمة من دير الزور إلى مواقعها في منطقة السخنة ومحيطها شرقي حمص. [1]
- بدورها، عززت القوات الروسية مواقعها بمحيط مدينة تدمر ومنطقة السخنة بعدد من الآليات، بالإضافة إلى عدد كبير من عناصر ميليشيا “فاغنر”. [1]
"""
Q1 = "Which militias reinforced Sukhnah?"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


@pytest.fixture(scope="module")
def terms():
    return Terms.load()


def test_when_did_that_happen_carries_the_militias_the_answer_named_and_the_place(gaz, terms):
    s = standalone("When did that happen?", [(Q1, SUKHNAH_ANSWER)], gaz, terms)
    assert s.search == "When did Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, reinforcement happen?"
    assert s.note == "about: Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, deployment or reinforcement"
    assert s.carried.actors == ("group:liwa-al-baqir", "group:fatemiyoun") and s.carried.places == ("place:sukhnah",)


def test_which_militias_keeps_militias_only_and_skips_the_heading_line(gaz):
    got = answer_names(Q1, SUKHNAH_ANSWER, gaz)
    # the heading names regime forces, Russia and ISIS; the first cited line names the two militias
    assert got == Topic(actors=("group:liwa-al-baqir", "group:fatemiyoun"))


def test_an_answer_supplies_nothing_for_a_question_that_asks_no_who_or_where(gaz):
    assert answer_names("How many fighters reinforced Sukhnah?", SUKHNAH_ANSWER, gaz) == Topic()


def test_arabic_follow_up_gets_arabic_names_in_place_of_the_pointer(gaz, terms):
    s = standalone("متى حدث ذلك؟", [("ما هي الميليشيات التي عززت السخنة؟", SUKHNAH_ANSWER)], gaz, terms)
    assert s.search == "متى حدث لواء الباقر، لواء فاطميون، السخنة، تعزيزات؟"
    assert s.note == "about: Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, deployment or reinforcement"


def test_a_question_naming_its_own_place_and_actor_is_new(gaz, terms):
    s = standalone("Where did ISIS attack in Deir ez-Zor?", [(Q1, SUKHNAH_ANSWER)], gaz, terms)
    assert s.search == "Where did ISIS attack in Deir ez-Zor?" and s.note == "" and not s.carried


def test_elliptical_follow_up_replaces_the_place_and_keeps_actors_and_type(gaz, terms):
    s = standalone("And what about Palmyra?", [(Q1, SUKHNAH_ANSWER)], gaz, terms)
    assert s.carried.places == () and s.topic.places == ("place:palmyra",)
    assert s.carried.actors == ("group:liwa-al-baqir", "group:fatemiyoun") and s.carried.types == ("reinforcement",)
    assert s.search == "And what about Palmyra Liwa al-Baqir, Liwa Fatemiyoun, reinforcement?"


def test_third_turn_carries_what_the_second_carried(gaz, terms):
    history = [(Q1, SUKHNAH_ANSWER), ("When did that happen?", "- خلال اليومين الماضيين [1]")]
    s = standalone("How many fighters did they send?", history, gaz, terms)
    assert s.search == "How many fighters did Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, reinforcements send?"
    assert s.carried.actors == ("group:liwa-al-baqir", "group:fatemiyoun") and s.carried.places == ("place:sukhnah",)


def test_period_and_key_term_are_carried(gaz, terms):
    first = "How many drones were shot down over Hama in February 2021?"
    t = own_topic(first, gaz, terms)
    assert t.terms == ("drones",) and t.period == "in February 2021" and t.places == ("place:hama",)
    s = resolve("Who launched them?", t, gaz, terms)
    assert s.search == "Who launched Hama, airstrikes, drones, in February 2021?"  # "drones" also reads as a strike
    assert s.note == "about: Hama, air or drone strike, drones, in February 2021"


def test_no_history_means_no_change(gaz, terms):
    s = standalone("When did that happen?", [], gaz, terms)
    assert s.search == "When did that happen?" and s.note == ""


def test_history_text_drops_citation_marks_and_keeps_the_last_turns():
    text = history_text([("q0", "a0"), ("q1", "a1 [1]"), ("q2", "a2 [2, 3]"), ("q3", "a3 [no source]")], max_turns=3)
    assert text == "User: q1\nAssistant: a1\nUser: q2\nAssistant: a2\nUser: q3\nAssistant: a3"

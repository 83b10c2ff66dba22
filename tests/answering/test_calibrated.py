"""Calibrated selection and abstention: features, scoring, the neighbour rule and the data file (pure)."""

import json

import pytest

from rag.answering import calibrated as cal
from rag.answering.citations import Source
from rag.answering.extractive import Evidence, Named
from rag.gazetteer import Gazetteer

SUKHNAH = Named("Sukhnah", ("السخنة", "Sukhnah"), "place:sukhnah")
TEXT = ("وصلت تعزيزات عسكرية إلى البادية السورية. "
        "وقال مصدر إن الرتل وصل يوم الأربعاء 12 شباط إلى مدينة السخنة. "
        "وضم الرتل أكثر من 400 عنصر من لواء الباقر.")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def _evidence(sims):
    src = Source(1, "a:0", "a", "عنوان", "SY24", "", TEXT, 0)
    spans, start = [], 0
    for part in TEXT.split(". "):
        end = start + len(part) + (1 if not part.endswith(".") else 0)
        spans.append((start, min(end, len(TEXT))))
        start = end + 1
    return [Evidence(src, s, e, sim, sim) for (s, e), sim in zip(spans, sims)]


def test_shipped_calibration_loads_and_scores_between_0_and_1():
    c = cal.Calibration.load()
    x = {f: 0.5 for f in cal.QUESTION_FEATURES}
    assert 0.0 < c.answerable.score(x) < 1.0
    assert set(c.answerable.contributions(x)) == set(cal.QUESTION_FEATURES)


def test_a_calibration_with_other_features_is_refused_naming_the_file(tmp_path):
    bad = {"select": {"features": ["similarity"], "weights": [1.0], "bias": 0, "threshold": 0.5},
           "answerable": {"features": list(cal.QUESTION_FEATURES), "weights": [0.0] * 8, "bias": 0, "threshold": 0.5}}
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="calibration.json.*refit"):
        cal.Calibration.load(path)


def test_answer_kinds_find_numbers_dates_places_and_actors(gazetteer):
    kinds = cal.answer_kinds("وضم الرتل أكثر من 400 عنصر من لواء الباقر في السخنة يوم الأربعاء", gazetteer)
    assert {"number", "date", "place", "actor"} <= kinds
    # a place the question already names is not an answer to "where"
    only = cal.answer_kinds("وصل الرتل إلى السخنة", gazetteer, frozenset({"place:sukhnah"}))
    assert "place" not in only


def test_question_info_reads_what_is_asked():
    info = cal.question_info("When did the convoy reach Sukhnah?", [SUKHNAH], frozenset({"when"}))
    assert info.kinds == {"date"} and info.english and info.named_ids == {"place:sukhnah"}


def test_the_neighbour_holding_the_asked_date_is_quoted(gazetteer):
    info = cal.question_info("متى وصلت التعزيزات العسكرية إلى البادية؟", [], frozenset({"when"}))
    evidence = _evidence([0.90, 0.80, 0.70])
    model = cal.Logistic(cal.SENTENCE_FEATURES, (10.0, 0, 0, 0, 0, 0, 0), -8.5, 0.99)  # similarity only, high bar
    scored = cal.rescore(info, evidence, model, gazetteer)
    assert scored.evidence[0].text.startswith("وصلت تعزيزات")
    chosen = cal.choose(scored, model, info, 6)
    assert [ev.text for ev in chosen][:2] == [scored.evidence[0].text, evidence[1].text], "the dated sentence next to it"


def test_no_neighbour_when_the_best_sentence_already_answers(gazetteer):
    info = cal.question_info("كم عنصرا ضم الرتل؟", [], frozenset({"count"}))
    evidence = _evidence([0.70, 0.75, 0.90])
    model = cal.Logistic(cal.SENTENCE_FEATURES, (10.0, 0, 0, 0, 0, 0, 0), -8.5, 0.99)
    chosen = cal.choose(cal.rescore(info, evidence, model, gazetteer), model, info, 6)
    assert len(chosen) == 1 and "400" in chosen[0].text


def test_why_not_names_the_weakest_feature_in_words():
    model = cal.Logistic(cal.QUESTION_FEATURES, (1, 1, 1, 1, 3, 1, 0, 0), 0.0, 0.5, (0.8, 0.02, 1, 0.5, 1, 0.5, 0.5, 0.5), (0.05,) * 8)
    x = {"best_similarity": 0.8, "peak": 0.02, "named_coverage": 1, "word_coverage": 0.5, "kind_found": 0.0, "select": 0.5, "english": 0, "named_count": 0.5}
    reason = cal.why_not(model, x, model.score(x))
    assert "kind of answer" in reason and "< 0.50" in reason


def test_topic_features_measure_lift_known_words_and_entries():
    info = cal.question_info("Which militias reinforced Sukhnah?", [SUKHNAH], frozenset({"who"}))
    f = cal.topic_features(info, 0.86, 0.78, 0.5)
    assert f == {"lift": pytest.approx(0.08), "vocab": 0.5, "entities": 0.5}
    nothing = cal.question_info("asdfghjkl", [], frozenset())
    assert cal.topic_features(nothing, float("nan"), 0.7, 0.0)["lift"] == 0.0  # no evidence: no lift


def test_shipped_calibration_has_a_topic_model_over_its_features():
    model = cal.Calibration.load().topic
    assert model is not None and model.features == cal.TOPIC_FEATURES
    on = {"lift": 0.10, "vocab": 1.0, "entities": 1.0, "named_count": 1.0, "english": 0.0, "word_coverage": 0.9}
    off = {"lift": 0.03, "vocab": 0.0, "entities": 0.0, "named_count": 0.0, "english": 1.0, "word_coverage": 0.0}
    assert model.score(on) >= model.threshold > model.score(off)


def test_a_calibration_file_without_a_topic_model_loads_with_no_topic_check(tmp_path):
    raw = json.loads(cal.data_file("calibration.json").read_text(encoding="utf-8"))
    raw.pop("topic")
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert cal.Calibration.load(path).topic is None

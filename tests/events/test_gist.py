"""English gist: figures rendered in English, one line per event, every line cited and saying no more than its sentence."""

from __future__ import annotations

import re

import pytest

from rag.events import extract_events
from rag.events.gist import english_figure, gist_line
from rag.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize("kind, text, english", [
    ("fighters", "أكثر من 400 عنصر", "more than 400 fighters"),
    ("killed", "ما لا يقل عن 30 عنصراً", "at least 30 fighters killed"),
    ("killed", "12 مدنيا", "12 civilians killed"),
    ("wounded", "نحو 50 آخرين", "about 50 people wounded"),
    ("strikes", "نحو 290 غارة", "about 290 strikes"),
    ("vehicles", "٦ آليات", "6 vehicles"),
    ("fighters", "آلاف المسلحين", "thousands of gunmen"),
    ("killed", "نحو 30 قتيلا", "about 30 dead"),
])
def test_figures_in_english(kind, text, english):
    assert english_figure(kind, text) == english


def _names_in(line: str, gaz: Gazetteer) -> set[str]:
    """Gazetteer ids whose English name (or alias) the line spells out."""
    return {e.id for e in gaz.entries if e.type != "operation" and any(
        re.search(rf"(?<!\w){re.escape(n)}(?!\w)", line) for n in (e.en,))}


def check_line(line: str, quote: str, gaz: Gazetteer) -> None:
    """Every actor or place the line names is named in its quote, every number in it is one of the quote's."""
    in_quote = {m.entry.id for m in gaz.find_arabic(quote)}
    for eid in _names_in(line, gaz):
        entry = gaz.get(eid)
        governorate = entry.type == "place" and any(p.admin == entry.en for p in map(gaz.get, in_quote) if p)
        assert eid in in_quote or governorate or _generic(eid, quote), f"{entry.en!r} is not in the quote: {quote[:80]}"
    digits = set(re.findall(r"\d+", quote.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))))
    numbers = re.findall(r"\d+", re.sub(r"\b\d{1,2} \w+ \d{4}\b|\b\w+ \d{4}\b", "", line))  # dates come from the event
    assert set(numbers) <= digits, f"{numbers} not all in the quote"


def _generic(eid: str, quote: str) -> bool:
    """Actors the rules name from a generic word (روسية, النظام, التنظيم) rather than a gazetteer name."""
    words = {"force:russian-forces": "روس", "force:regime-forces": "نظام", "group:isis": "تنظيم",
             "force:iranian-forces": "يران", "force:us-forces": "مريك", "force:turkish-forces": "ترك",
             "force:israeli-forces": "سرائيل"}
    return eid in words and words[eid] in quote


def test_a_gist_line_says_what_its_sentence_says(gaz):
    text = "جلبت ميليشيا لواء فاطميون تعزيزات عسكرية إلى منطقة السخنة شرقي حمص تضم أكثر من 400 عنصر."
    (event,) = extract_events(text, gaz)
    line = gist_line(event)
    assert line == "Deployment or reinforcement by Liwa Fatemiyoun in Sukhnah (Homs): more than 400 fighters."
    check_line(line, event.citation.quote, gaz)
    assert gist_line(event.to_dict()) == line


def test_a_line_names_targets_and_the_act_not_a_separate_killing(gaz):
    (event,) = extract_events("أسفرت غارة جوية إسرائيلية على مواقع لحزب الله قرب مدينة القصير عن مقتل 9 مسلحين.", gaz)
    line = gist_line(event)
    assert line.startswith("Air or drone strike by Israeli army against Hezbollah in Qusayr (Homs)")
    assert line.endswith(": 9 gunmen killed.")
    check_line(line, event.citation.quote, gaz)


@pytest.mark.parametrize("question", [
    "Who sent reinforcements to Sukhnah?",
    "Where did Russian aircraft strike ISIS?",
])
def test_english_answers_open_with_cited_gist_lines(seed_agent, gaz, question):
    answer = seed_agent.ask(question)
    gist = answer.to_dict()["gist"]
    assert gist, answer.text
    by_n = {c.n: c for c in answer.citations}
    lines = [ln for ln in answer.text.splitlines() if ln.startswith("In brief: ")]
    assert answer.text.startswith("In brief: ") and len(lines) == len(gist)
    for g, shown in zip(gist, lines):
        assert shown.endswith(f"[{g['n']}]") and g["n"] in by_n  # cited, to a numbered citation of the answer
        text = seed_agent.article_text(g["article_id"])
        assert text[g["start"]:g["end"]] == g["quote"]  # the cited sentence, verbatim at its offsets
        check_line(g["text"], g["quote"], gaz)


def test_the_gist_of_the_sample_question_names_the_militias_that_reinforced_sukhnah(seed_agent):
    """The acts the question leads to are glossed before the names of other quotes, whatever those quotes' rank:
    "Which militias reinforced Sukhnah?" gets the line of Liwa al-Baqir and Liwa Fatemiyoun's reinforcement."""
    answer = seed_agent.ask("Which militias reinforced Sukhnah?")
    lines = [g["text"] for g in answer.to_dict()["gist"]]
    assert any("Liwa al-Baqir" in line and "Liwa Fatemiyoun" in line and "Sukhnah" in line for line in lines), lines
    assert all(not line.startswith(("Named", "Place")) for line in lines[:2]), lines  # the acts first


def test_arabic_questions_get_no_gist(seed_agent):
    answer = seed_agent.ask("من أرسل تعزيزات إلى السخنة؟")
    assert answer.to_dict()["gist"] == [] and "In brief: " not in answer.text


def test_the_gist_glosses_each_quote_best_first(gaz):
    """glossed(): the acts matched to the question that quotes tell, best match first, one per quote; then the other
    quotes' acts of a type the question names, in the order given; then names; then the rest."""
    from dataclasses import replace

    from rag.events.gist import Names, glossed

    text = ("شنت طائرات روسية غارات على مدينة إدلب. وأعلن التلفزيون سيطرة القوات على تل الحارة. "
            "وانسحبت الفصائل من درعا.")
    strike, seizure, withdrawal = extract_events(text, gaz)
    quoted = replace(seizure.citation, start=seizure.citation.start + 3, end=seizure.citation.end - 3)  # inside it
    first, last = strike.citation, withdrawal.citation
    assert glossed([quoted], [strike, seizure, withdrawal], [strike], {"seizure"}) == [seizure, strike]
    assert glossed([quoted], [strike, seizure, withdrawal], [strike]) == [strike]  # a type the question does not name
    assert glossed([quoted, first], [strike, seizure], [strike], {"seizure"}) == [strike, seizure]  # matched first
    assert glossed([quoted, first, last], [strike, seizure, withdrawal], [withdrawal, strike]) == \
        [withdrawal, strike]  # the best match first, whatever the quotes' order
    assert glossed([last, quoted], [strike, seizure, withdrawal], [], {"seizure", "withdrawal"}) == \
        [withdrawal, seizure]  # typed acts in the quotes' order
    assert glossed([], [strike, seizure], [withdrawal]) == [withdrawal]
    both = replace(first, end=seizure.citation.end)  # one quote telling two events: the matched one first
    assert glossed([both], [strike, seizure], [seizure], {"airstrike"}) == [seizure, strike]
    unmatched = glossed([quoted], [strike, seizure], [], (), gaz)  # an act the question did not lead to: its names
    assert len(unmatched) == 1 and isinstance(unmatched[0], Names) and unmatched[0].line() == \
        "Place named in this passage: Tal al-Hara (Daraa)."
    elsewhere = replace(quoted, article_id="another")
    assert glossed([elsewhere], [strike, seizure], [], {"seizure"}) == []


def test_a_quote_with_no_event_is_glossed_by_its_names(gaz):
    """A quoted sentence that tells no act still gets an English line: the actors and places it names (gazetteer
    names; a site it does not know as written), and nothing else."""
    from rag.citation import Citation
    from rag.events.gist import glossed, names_in

    def cite(q: str) -> Citation:
        return Citation(1, "a#000", "a", "t", "s", "2018-03-12", q, 0, len(q))

    quote = cite("ووقع الهجوم على الطريق الرئيسي قرب بلدة داقوق، الواقعة إلى الجنوب من كركوك، وفقا لضابط الشرطة.")
    names = names_in(quote, gaz)
    assert names is not None and names.line() == "Places named in this passage: Daquq (Kirkuk), Kirkuk."
    check_line(names.line(), quote.quote, gaz)
    assert glossed([quote], [], [], (), gaz) == [names] and glossed([quote], []) == []  # no gazetteer, no names
    convoy = cite("وطوقت عناصر الميليشيات الإيرانية، الأحد، قافلة المهجرين قرب قرية كمروك.")
    line = names_in(convoy, gaz).line()
    # as written, and the likely Latin spelling beside it (rag.romanise), never in its place
    assert line == "Named in this passage: Iranian-backed militias; place: «قرية كمروك» (romanised: Kamrouk)."
    check_line(line, convoy.quote, gaz)
    assert names_in(cite("وقال المتحدث إن الاجتماع سيعقد الأسبوع المقبل."), gaz) is None
    # a state named alone is the state, not its army; named both ways, once
    deal = cite("وتم التوصل إلى الاتفاق مع روسيا على الحدود مع إسرائيل.")
    assert names_in(deal, gaz).line() == "Named in this passage: Russia and Israel."
    strikes = cite("وشنت الطائرات الروسية غارات على ريف إدلب بعد اتفاق تركيا وروسيا.")
    assert names_in(strikes, gaz).line() == "Named in this passage: Russian forces and Turkey; place: Idlib."

    # only what is new: the names the question or an earlier line gives are left out, and a line with none left goes
    assert names_in(quote, gaz, {"place:kirkuk"}).line() == "Place named in this passage: Daquq (Kirkuk)."
    assert names_in(quote, gaz, names.ids) is None
    later = cite("وأضاف أن الهجوم على داقوق تبنته جماعة داعش.")
    assert [x.line() for x in glossed([quote, later], [], [], (), gaz)] == [names.line(), "Named in this passage: Islamic State."]
    assert [x.line() for x in glossed([quote], [], [], (), gaz, asked={"place:kirkuk"})] == \
        ["Place named in this passage: Daquq (Kirkuk)."]


def test_citations_are_glossed_best_evidence_first():
    from rag.citation import Citation
    from rag.events.gist import best_first

    a, b, c = (Citation(n, f"x#{n}", "x", "t", "s", "", "q", 10 * n, 10 * n + 5) for n in (1, 2, 3))
    assert best_first([a, b, c], [("x", 30, 35), ("x", 10, 15)]) == [c, a, b]  # an unranked one last

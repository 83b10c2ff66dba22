"""Extractive answering rules as pure functions on literal strings: answer types and the count rule."""

from __future__ import annotations

import pytest

from rag.answering.citations import Source
from rag.answering.extractive import Evidence, Named, answer_type, answer_type_missing, has_type
from rag.settings import AnswerSettings

SUKHNAH = Named("Sukhnah", ("السخنة", "Sukhnah"), "place:sukhnah")
WAGNER = Named("Wagner Group", ("فاغنر", "Wagner"), "group:wagner")
REINFORCEMENTS = Named("reinforcements", ("تعزيز", "تعزيزات"))


def _evidence(sentence: str, similarity: float = 0.85, title: str = "") -> Evidence:
    src = Source(n=1, chunk_id="c1", article_id="a1", title=title, source="SY24", date="", text=sentence, start=0)
    return Evidence(src, 0, len(sentence), similarity, similarity)


@pytest.mark.parametrize(
    "question, kind",
    [
        ("How many Turkish drones struck Sukhnah?", "number"),
        ("كم غارة جوية شنتها المقاتلات الروسية؟", "number"),
        ("ما عدد القتلى في الهجوم؟", "number"),
        ("Which militias reinforced Sukhnah?", None),
        ("متى انسحبت القوات الإيرانية؟", None),
    ],
)
def test_answer_type(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("قتل 35 شخصا بينهم 9 من الجنود", True),
        ("قتل تسعة مسلحين من الميليشيا", True),
        ("وأصيب ثلاثة آخرون بجروح", True),
        ("شن التنظيم عشرات الهجمات", True),
        ("قتل ٣٥ شخصاً", True),
        ("في آذار 2019 فقد التنظيم معقله الأخير", False),  # a year is not a count
        ("وصلت عناصر “الفرقة 25” المدعومة من روسيا", False),  # a unit's name is not a count
        ("عززت القوات الروسية مواقعها بعدد من الآليات", False),  # «عدد من» gives no number
        ("انسحبت القوات في 22 تشرين الأول 2020", False),  # a date is not a count
    ],
)
def test_has_number(sentence, expected):
    assert has_type(sentence, "number") is expected


def test_a_count_about_what_the_question_names_answers():
    ev = [_evidence("وتضم التعزيزات أكثر من 400 عنصر وآليات عسكرية مصفحة")]
    q = "How many fighters were in the reinforcements brought to al-Sukhna?"
    assert answer_type_missing(q, ev, [SUKHNAH, REINFORCEMENTS], AnswerSettings()) == ""


def test_the_title_carries_what_the_sentence_leaves_out():
    ev = [_evidence("وقتل في الهجوم 12 عنصراً", title="هجوم لداعش قرب السخنة")]
    assert answer_type_missing("How many were killed near al-Sukhna?", ev, [SUKHNAH], AnswerSettings()) == ""


def test_a_toll_question_needs_a_number_of_dead_not_any_number():
    ev = [
        _evidence("بالإضافة إلى عدد كبير من عناصر ميليشيا “فاغنر” في محيط السخنة، وعدد من عناصر “الفرقة 25”"),
        _evidence("ووصلت 40 آلية لميليشيا فاغنر إلى السخنة"),
    ]
    why = answer_type_missing("How many Wagner fighters were killed near al-Sukhna?", ev, [WAGNER, SUKHNAH], AnswerSettings())
    assert "toll" in why and "Wagner Group" in why
    ev.append(_evidence("وقتل 7 من عناصر فاغنر بانفجار لغم قرب السخنة"))
    assert answer_type_missing("How many Wagner fighters were killed near al-Sukhna?", ev, [WAGNER, SUKHNAH], AnswerSettings()) == ""


def test_a_number_about_something_else_does_not_answer():
    ev = [_evidence("قتل 35 شخصا في دير الزور")]
    why = answer_type_missing("How many Wagner fighters were killed near al-Sukhna?", ev, [WAGNER, SUKHNAH], AnswerSettings())
    assert why.startswith("no source sentence about Wagner Group, Sukhnah")


HUMAYMAH = Named("Humaymah", ("حميمة", "Humaymah"), "place:humaymah", place=True)


def _in_chunk(sentences: list[str], i: int, title: str = "") -> Evidence:
    """Evidence for sentence i of a chunk made of these sentences."""
    text = " ".join(sentences)
    start = text.index(sentences[i])
    src = Source(n=1, chunk_id="c1", article_id="a1", title=title, source="SY24", date="", text=text, start=0)
    return Evidence(src, start, start + len(sentences[i]), 0.85, 0.85)


def test_a_count_must_be_about_the_place_asked_about_or_its_neighbour_sentence():
    q = "كم جندياً قتلوا في هجوم داعش قرب حميمة؟"
    toll = "وأسفر الهجوم عن مقتل 12 عنصرا من قوات النظام."
    elsewhere = ["هاجم مسلحو داعش موقعا في حي القدم بدمشق.", toll]
    why = answer_type_missing(q, [_in_chunk(elsewhere, 1)], [WAGNER, HUMAYMAH], AnswerSettings())
    assert why == "no source sentence about Humaymah gives the toll asked for"  # a group alone no longer vouches
    next_to = ["هاجم مسلحو داعش موقعا لقوات النظام قرب حميمة.", toll]
    assert answer_type_missing(q, [_in_chunk(next_to, 1)], [HUMAYMAH], AnswerSettings()) == ""
    two_away = ["هاجم مسلحو داعش موقعا لقوات النظام قرب حميمة.", "واندلعت اشتباكات عنيفة استمرت ساعات.", toll]
    assert answer_type_missing(q, [_in_chunk(two_away, 2)], [HUMAYMAH], AnswerSettings())
    assert answer_type_missing(q, [_in_chunk(two_away, 2, title="داعش يهاجم حميمة")], [HUMAYMAH], AnswerSettings()) == ""


def test_a_count_of_another_kind_does_not_answer():
    ev = [_evidence("هجوم كيماوي قتل ما لا يقل عن 70 شخصا قرب السخنة")]
    why = answer_type_missing("How many missiles struck al-Sukhna?", ev, [SUKHNAH], AnswerSettings())
    assert why == "no source sentence about Sukhnah gives the number of missiles or shells asked for"
    ev.append(_evidence("أطلقت سبعة صواريخ على السخنة"))
    assert answer_type_missing("How many missiles struck al-Sukhna?", ev, [SUKHNAH], AnswerSettings()) == ""


def test_weak_sentences_do_not_count_and_other_questions_pass():
    weak = [_evidence("قتل 7 من عناصر فاغنر قرب السخنة", similarity=0.5)]
    assert answer_type_missing("How many Wagner fighters were killed?", weak, [WAGNER], AnswerSettings(min_support=0.75))
    assert answer_type_missing("Which militias reinforced Sukhnah?", [], [SUKHNAH], AnswerSettings()) == ""


@pytest.mark.parametrize(
    "sentence, toll",
    [
        ("ما أدى إلى مقتل ثلاثة عناصر", True),
        ("لقي 5 أشخاص حتفهم", True),
        ("كان لجفاف سنة 2010 ثلاثة مراكز سطحية حيث ماتت النباتات", True),
        ("وجرى توفير المعلومات لـ 300 من السكان", False),  # «توفير» is not «توفي»
        ("شن التنظيم 12 هجمات متكررة", False),  # «هجمات» does not hold «مات» as a word
    ],
)
def test_words_of_killing_and_dying_are_words_not_substrings(sentence, toll):
    assert has_type(sentence, "number")  # only the toll word decides
    ev = [_evidence(sentence)]
    why = answer_type_missing("How many died?", ev, [], AnswerSettings())
    assert (why == "") is toll


def test_a_death_that_is_not_of_people_is_still_a_death():
    ev = [_evidence("كان لجفاف سنة 2010 ثلاثة مراكز سطحية حيث ماتت النباتات")]
    q = "How many areas were impacted by the the death of vegetation in the 2010 drought?"
    assert answer_type_missing(q, ev, [], AnswerSettings()) == ""


def test_the_literal_pre_check_never_changes_a_match():
    """Named.in_text skips the regex when no form's literal is in the text; over every gazetteer entry's forms, with
    clitics and endings attached and the feminine ending changed, the answer is the regex's alone."""
    from rag.answering.extractive import Named, _needles, _words
    from rag.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    checked = 0
    for e in gaz.entries[:400]:
        forms = tuple(f for f in (e.ar, *e.aliases_ar, e.en, *e.aliases_en) if len(f) >= 3)
        if not forms:
            continue
        fast = Named(e.en, forms, e.id, _words(forms), _needles(forms))
        slow = Named(e.en, forms, e.id, _words(forms))
        slow = Named(e.en, forms, e.id, slow.pattern, None)
        for f in forms:
            stem = f[:-1] if f.endswith(("ة", "ه")) else f
            for text in (f"قال إن {f} اليوم", f"وبال{f} أمس", f"لل{stem}ات هناك", f"و{stem}تين", f"in {f}, said", "نص آخر تماما"):
                assert fast.in_text(text) == slow.in_text(text), (e.id, f, text)
                checked += 1
    assert checked > 1000


def _ev(text: str, similarity: float, n: int = 1) -> Evidence:
    src = Source(n=n, chunk_id=f"c{n}", article_id=f"a{n}", title="", source="SY24", date="", text=text, start=0)
    return Evidence(src, 0, len(text), similarity, similarity)


@pytest.mark.parametrize("question, sentence, kind", [
    ("من هو المسؤول الذي قال إن القوات ستنسحب؟", "وقال مسؤول كردي فضل عدم الكشف عن اسمه إن القوات ستنسحب.", "name"),
    ("ما اسم القائد الذي قتل في الغارة؟", "وقتل قائد ميداني لم تعرف هويته بعد في الغارة على الموقع.", "name"),
    ("ما هوية القتلى في القصف؟", "قتل ثلاثة أشخاص مجهولي الهوية في القصف على البلدة.", "name"),
    ("Who was the official who said the troops would leave?", "وقال مصدر طلب عدم ذكر اسمه إن القوات ستغادر خلال أيام.", "name"),
    ("What was the name of the commander killed?", "A commander who asked not to be named was killed near the town.", "name"),
    ("When will the faction launch the operation?", "وقال إن الفصيل يستعد لتنفيذ عملية لم يحدد موعدها بعد في الجنوب.", "date"),
    ("متى ستبدأ المفاوضات بين الطرفين؟", "واتفق الطرفان على بدء المفاوضات دون تحديد موعد لانطلاقها.", "date"),
    ("لماذا استهدف المسلحون العائلة؟", "ولم تعرف حتى الآن دوافع الهجوم الذي استهدف العائلة في القرية.", "reason"),
    ("Why did the gunmen attack the checkpoint?", "It was not clear why the gunmen attacked the checkpoint on Sunday.", "reason"),
    ("كم عنصراً قتلوا في الهجوم؟", "قتل عدد من العناصر في الهجوم ولم تتضح حتى الآن حصيلة القتلى.", "number"),
    ("How many soldiers were killed?", "Several soldiers were killed; it was unclear how many.", "number"),
])
def test_a_detail_the_sources_withhold_is_not_answered(question, sentence, kind):
    from rag.answering.extractive import detail_withheld

    evidence = [_ev("وصلت تعزيزات عسكرية جديدة إلى البلدة صباح اليوم.", 0.80, 2), _ev(sentence, 0.85)]
    assert detail_withheld(question, evidence) == (kind, evidence[1])


@pytest.mark.parametrize("question, sentence, why", [
    ("كم عنصراً قتلوا في الهجوم؟", "وقال مسؤول فضل عدم الكشف عن اسمه إن عشرة عناصر قتلوا.", "a withheld name does not withhold a number"),
    ("من هو المتحدث باسم الجيش؟", "وقال المتحدث باسم الجيش العميد يحيى رسول إن الضربات نفذت بالتنسيق.", "the name is given"),
    ("من هو المسؤول؟", "لم يسمح للصحفيين بدخول المنطقة وقال المسؤول إن الوضع هادئ.", "«لم يسمح» is not «لم يسمه»"),
    ("What happened in Deir ez-Zor?", "قتل ثلاثة أشخاص مجهولي الهوية في القصف على البلدة.", "the question asks for no detail"),
    ("How many were killed?", "The number of dead was given as 12 by the observatory.", "a number that was given"),
    ("متى بدأت العملية؟", "وبدأت العملية في 20 يناير الماضي بحسب الجيش.", "the date is given"),
])
def test_no_withheld_detail_is_read_where_there_is_none(question, sentence, why):
    from rag.answering.extractive import detail_withheld

    assert detail_withheld(question, [_ev(sentence, 0.9)]) is None, why


def test_only_the_closest_sentences_count():
    from rag.answering.extractive import detail_withheld

    far = _ev("وقال مسؤول فضل عدم الكشف عن اسمه إن الوضع هادئ.", 0.70, 9)
    close = [_ev(f"وصلت تعزيزات عسكرية جديدة إلى البلدة رقم {i}.", 0.9 - i / 100, i) for i in range(1, 4)]
    assert detail_withheld("من هو المسؤول؟", close + [far]) is None
    assert detail_withheld("من هو المسؤول؟", close + [far], top=4) == ("name", far)

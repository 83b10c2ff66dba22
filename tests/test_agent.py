"""The Python API on the real seed index, extractive mode (no LLM configured)."""

import pytest

from rag import NOT_IN_SOURCES, Agent

SUKHNAH = "Which militias reinforced Sukhnah?"


def _resolves(agent, answer):
    ids = {s.chunk_id for s in answer.sources}
    for c in answer.citations:
        assert c.chunk_id in ids, "a citation points at a retrieved chunk"
        assert agent.article_text(c.article_id)[c.start : c.end] == c.quote, "the quote is the exact span"
        assert f"[{c.n}]" in answer.text


def test_sukhnah_question_names_both_militias_in_verbatim_quotes(store_mode, seed_agent):
    answer = seed_agent.ask(SUKHNAH)
    assert answer.mode == "extractive" and not answer.abstained
    assert "Extractive answer" in answer.text
    quotes = " ".join(c.quote for c in answer.citations if c.article_id == "000_81d095f2c667699f")
    assert "الباقر" in quotes and "فاطميون" in quotes
    _resolves(seed_agent, answer)
    assert answer.removed_citations == 0 and not answer.uncited


def test_arabic_question_gets_an_arabic_header(seed_agent):
    answer = seed_agent.ask("ما هي الميليشيات التي عززت منطقة السخنة؟")
    assert answer.text.startswith("إجابة استخلاصية")
    assert any("فاطميون" in c.quote for c in answer.citations)
    _resolves(seed_agent, answer)


@pytest.mark.parametrize("question", ["What is the recipe for chocolate cake?", "ما هي طريقة تحضير كعكة الشوكولاتة؟",
                                      "Who won the 2018 World Cup?", "asdfghjkl", "'; DROP TABLE articles;--"])
def test_off_topic_questions_are_refused_before_any_citation(seed_agent, question):
    answer = seed_agent.ask(question)
    assert answer.abstained and not answer.citations and answer.text in NOT_IN_SOURCES.values()
    assert "not about anything the indexed reports cover" in answer.abstain_reason


@pytest.mark.parametrize(
    "question",
    ["How many Turkish drones struck Sukhnah?", "Which Hezbollah commander was killed in Palmyra?", "كم عدد الطائرات المسيرة التركية التي قصفت السخنة؟"],
)
def test_absent_answers_abstain_with_the_shared_sentence(seed_agent, question):
    answer = seed_agent.ask(question)
    assert answer.abstained and answer.text in NOT_IN_SOURCES.values() and not answer.citations
    assert answer.abstain_reason


def test_explicit_date_filter_excludes_undated_and_says_how_many(store_mode, seed_agent):
    answer = seed_agent.ask("Where did the Fifth Corps convoys go?", since="2021-02-01", until="2021-02-28")
    assert {c.article_id for c in answer.citations} == {"004_5d361efb3b7ab3f6"}
    assert answer.excluded_undated == 3 and any("unknown dates" in w for w in answer.warnings)


def test_recency_period_read_from_the_question_filters(seed_agent):
    answer = seed_agent.ask("What did ISIS do between September and November 2020?")
    assert answer.period and answer.citations
    assert "001_cd46ce12425e3a53" in {c.article_id for c in answer.citations}
    # the period filters the dated reports; undated ones are searched too, ranked after them (issue 12)
    assert answer.sources[0].article_id == "001_cd46ce12425e3a53"
    assert {s.date for s in answer.sources if s.date} == {"2020-10-22"}
    assert answer.excluded_undated == 0


def test_a_date_named_in_the_question_ranks_reports_of_that_time_first(seed_agent):
    answer = seed_agent.ask("What did ISIS do in October 2020?")
    assert "not a filter" in answer.period and not answer.excluded_undated
    assert answer.sources[0].article_id == "001_cd46ce12425e3a53"


def test_source_filter(store_mode, seed_agent):
    answer = seed_agent.ask("Russian airstrikes in the Badia", sources=["SY24"])
    assert answer.citations and {c.source for c in answer.citations} == {"SY24"}


def test_stream_yields_text_then_the_answer(seed_agent):
    items = list(seed_agent.stream(SUKHNAH))
    assert all(isinstance(i, str) for i in items[:-1]) and items[-1].citations
    assert "".join(items[:-1]).strip() == items[-1].text


def test_empty_question_is_an_error(seed_agent):
    with pytest.raises(ValueError, match="empty question"):
        seed_agent.ask("   ")


def test_open_by_folder(seed_index_dir):
    agent = Agent.open(seed_index_dir)
    assert len(agent.articles()) == 5


def test_the_off_topic_check_is_left_out_on_an_index_the_gazetteer_does_not_know(tmp_path):
    """Recipes in Arabic: no chunk names a gazetteer place or group, so a recipe question is not refused as off-topic."""
    from rag.settings import Settings

    docs = tmp_path / "recipes"
    docs.mkdir()
    (docs / "kunafa.txt").write_text(
        "طريقة تحضير الكنافة النابلسية\n\nتُحضّر الكنافة من عجينة الكنافة والجبنة النابلسية والسمن والقطر. "
        "تُفرد نصف العجينة في الصينية ثم توضع الجبنة وتُغطّى بباقي العجينة وتُخبز في الفرن حتى يحمرّ الوجه.\n", encoding="utf-8")
    (docs / "maqluba.txt").write_text(
        "طريقة عمل المقلوبة بالدجاج والباذنجان\n\nيُقلى الباذنجان ويُسلق الدجاج مع البهارات، ثم يُرصّ الباذنجان والدجاج "
        "والأرز في القدر ويُغمر بمرق الدجاج ويُطهى على نار هادئة ثم يُقلب في طبق كبير.\n", encoding="utf-8")
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = tmp_path / "index"
    agent = Agent(settings, llm=None)
    agent.ingest([docs], progress=False)
    assert agent.retriever.domain_share() < settings.answer.calibration_min_domain
    answer = agent.ask("ما هي مكونات الكنافة النابلسية؟")
    assert "not about anything the indexed reports cover" not in (answer.abstain_reason or "")


def test_a_report_chunk_naming_what_the_question_names_joins_the_sources(tmp_path):
    """A report cut into chunks: when the retrieved chunk does not name the place the question gives and another chunk
    of the same report does, that chunk joins the sources (no "the sources never mention" refusal)."""
    from rag.answering import extractive as ex
    from rag.retrieval import Hit
    from rag.settings import Settings

    docs = tmp_path / "news"
    docs.mkdir()
    lede = ("قتل 27 عنصرا من الحشد الشعبي في كمين نصبه مسلحون من تنظيم داعش في منطقة السعدونية التابعة لقضاء الحويجة "
            "جنوب غربي كركوك مساء الأحد بحسب بيان للحشد.")
    filler = " ".join(["وقال مصدر أمني إن قوات إضافية أرسلت إلى المنطقة لتعقب المهاجمين وتمشيط القرى المجاورة."] * 3)
    fight = "وأضاف البيان أن اشتباكات وقعت بين الطرفين استمرت لأكثر من ساعتين، قبل أن تتدخل قوة أخرى لتطارد المهاجمين."
    (docs / "ambush.txt").write_text(f"كمين لداعش قرب كركوك\n\n{lede}\n\n{filler}\n\n{fight}\n", encoding="utf-8")
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = tmp_path / "index"
    settings.chunk.size, settings.chunk.overlap = 30, 0
    agent = Agent(settings, llm=None)
    agent.ingest([docs], progress=False)
    chunks = agent.store.chunks_of([a["id"] for a in agent.articles()])
    assert len(chunks) >= 2
    question = "How long did the fighting last after ISIS gunmen ambushed a Hashd force in Saadouniya near Hawija?"
    named = ex.named_in_question(question, agent.gazetteer, agent.terms)
    assert {"Saadouniya", "Hawija"} <= {n.label for n in named}
    without = [c for c in chunks if "السعدونية" not in c.text]
    with_names = [c for c in chunks if "السعدونية" in c.text]
    assert without and with_names
    added = agent.naming_chunks([Hit(without[-1], 0.5)], named)
    assert [h.chunk.id for h in added] == [with_names[0].id]
    assert agent.naming_chunks([Hit(with_names[0], 0.5)], named) == []  # nothing missing: nothing fetched

"""Structured events: trigger patterns on literal Arabic, extraction on the seeds against the hand annotation, filters, LLM mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from rag.events import (
    Event, evaluate, extract_events, find_figures, find_triggers, fold, parse_llm_reply, EventsLLMError, to_csv,
)
from rag.gazetteer import Gazetteer
from rag.resources import data_path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "events_seeds.jsonl"
SUKHNAH_ARTICLE = "000_81d095f2c667699f"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def types_of(sentence: str) -> list[str]:
    return sorted({t.type for t in find_triggers(sentence)})


# -- pure patterns on literal sentences ------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("عززت القوات الروسية مواقعها في تدمر", ["reinforcement"]),  # feminine past
    ("وصلت تعزيزات عسكرية إلى المنطقة", ["reinforcement"]),  # plural noun
    ("ووصل رتل عسكري إلى السخنة", ["reinforcement"]),
    ("وتوجهت أرتال من درعا نحو البادية", ["reinforcement"]),  # broken plural with و
    ("بعد استقدامها تعزيزاتها", ["reinforcement"]),  # attached pronouns
    ("اندلعت اشتباكات عنيفة بين الطرفين", ["clash"]),
    ("وشن التنظيم هجوماً على نقطة عسكرية", ["clash"]),  # tanween
    ("نفذت المقاتلات الروسية 20 غارة جوية", ["airstrike"]),
    ("بالغارات الجوية", ["airstrike"]),  # بال prefix
    ("وقصف الطيران الحربي مواقع التنظيم", ["airstrike"]),  # shelling with an air word
    ("قصفت المدفعية مواقع المعارضة", ["clash"]),  # shelling without one
    ("استهدفت طائرة مسيرة سيارة", ["airstrike"]),
    ("قتل عنصران بانفجار عبوة ناسفة", ["explosive", "killing"]),
    ("دخلوا حقل ألغام", ["explosive"]),
    ("وانسحبت الميليشيات من البلدة", ["withdrawal"]),
    ("رصدت انسحاباً جزئياً للقوات", ["withdrawal"]),
    ("تم سحب آليات عسكرية", ["withdrawal"]),
    ("أطلقت روسيا حملة عسكرية جديدة", ["campaign"]),
    ("وبدأت عملية تمشيط واسعة", ["campaign"]),
    ("استولى التنظيم على شاحنات", ["seizure"]),
    ("وسيطرت القوات على القرية", ["seizure"]),
    ("أسفر الهجوم عن مقتل 30 عنصراً", ["clash", "killing"]),
    ("اغتيال قيادي في الفرقة", ["killing"]),
    ("فشـ.ـل هجـ.ـوم التنظيم", ["clash"]),  # filter-dodging tatweel and dot
])
def test_triggers_know_prefixes_and_forms(sentence, expected):
    assert types_of(sentence) == expected


@pytest.mark.parametrize("sentence, absent", [
    ("ولم يعد تنظيم داعش يسيطر على أي منطقة", "seizure"),  # negated
    ("في مناطق سيطرة النظام جنوب الرقة", "seizure"),  # "areas held by", not a seizure
    ("ولا يزال التنظيم يشن هجمات بشكل مستمر", "clash"),  # habitual, undated
    ("بينما قلل محلل عسكري من أهمية الحملات", "campaign"),  # played down
    ("وتهدف روسيا إلى تمشيط البادية", "campaign"),  # an aim
    ("استهدفت مواقع وأرتال النظام", "reinforcement"),  # convoys as targets, not arriving
    ("وصل لمنصة SY24", "reinforcement"),  # وصل alone is not a convoy
])
def test_non_events_are_left_out(sentence, absent):
    assert absent not in types_of(sentence)


def test_trigger_offsets_point_into_the_original_text():
    sentence = "وقد أسفر الهجـ.ـوم عن مقتل عناصر"
    for t in find_triggers(sentence):
        assert sentence[t.start:t.end] == t.text
    assert any(t.text == "الهجـ.ـوم" for t in find_triggers(sentence))


def test_fold_drops_marks_and_maps_back():
    text = "مقـ.ـاتلي ٤٠٠ عنصرٍ"
    folded, index = fold(text)
    assert folded == "مقاتلي 400 عنصر"
    assert len(index) == len(folded) and text[index[0]] == "م" and text[index[-1]] == "ر"


@pytest.mark.parametrize("sentence, expected", [
    ("وتضم التعزيزات أكثر من 400 عنصر وآليات", {"fighters": "أكثر من 400 عنصر"}),
    ("شن الطيران نحو 290 غارة على المنطقة", {"strikes": "نحو 290 غارة"}),
    ("أسفر عن مقتل ما لا يقل عن 30 عنصراً للنظام", {"killed": "ما لا يقل عن 30 عنصراً"}),
    ("وإعطاب ٦ آليات عسكرية", {"vehicles": "٦ آليات"}),  # Arabic-Indic digits kept verbatim
    ("استهدف بأكثر من 12 غارة مواقع التنظيم", {"strikes": "أكثر من 12 غارة"}),
    ("وقتل 5 مدنيين وأصيب 7 أشخاص", {"killed": "5 مدنيين", "wounded": "7 أشخاص"}),
])
def test_figures_are_verbatim(sentence, expected):
    assert find_figures(sentence) == expected


# -- extraction on literal text -----------------------------------------------------------------

def test_a_continuing_sentence_adds_its_figures_and_widens_the_quote(gaz):
    text = ("جلبت ميليشيا لواء فاطميون تعزيزات عسكرية إلى منطقة السخنة شرقي حمص.\n"
            "وتضم التعزيزات أكثر من 400 عنصر.\n"
            "وشن الطيران الروسي 12 غارة على مواقع داعش في البادية.")
    events = extract_events(text, gaz)
    assert [e.type for e in events] == ["reinforcement", "airstrike"]
    rein, air = events
    assert rein.location["id"] == "place:sukhnah"
    assert rein.figures == {"fighters": "أكثر من 400 عنصر"}
    assert [a["id"] for a in rein.actors] == ["group:fatemiyoun"]
    assert text[rein.citation.start:rein.citation.end] == rein.citation.quote
    assert rein.citation.quote.endswith("400 عنصر.")
    assert {a["id"]: a["role"] for a in air.actors} == {"force:russian-forces": "actor", "group:isis": "target"}
    assert air.figures == {"strikes": "12 غارة"} and air.location["id"] == "place:badia"


def test_roles_and_the_most_specific_place(gaz):
    text = "توجهت أرتال من محافظة درعا تضم مقاتلين من الفيلق الخامس التابع لروسيا نحو مناطق البادية السورية."
    (event,) = extract_events(text, gaz)
    assert event.location["id"] == "place:badia"  # the destination, not the origin
    assert {a["id"]: a["role"] for a in event.actors} == {"group:fifth-corps": "actor", "force:russian-forces": "supporter"}


def test_dates_come_from_the_sentence_or_the_article_date():
    from rag.documents import Article
    from rag.dates import DateInfo
    from datetime import date

    text = ("شن الطيران الروسي غارات على البادية يوم أمس الأربعاء.\n"
            "وفي شهر آب 2020 قتل ضابط روسي بانفجار لغم.\n"
            "واندلعت اشتباكات في أثريا.")
    art = Article("a1", "t", text, date=DateInfo(date(2021, 2, 25), "day", "text"))
    by_type = {e.type: e for e in extract_events(art)}
    assert (by_type["airstrike"].date, by_type["airstrike"].date_source) == ("2021-02-24", "relative")
    assert (by_type["explosive"].date, by_type["explosive"].date_precision) == ("2020-08", "month")
    assert (by_type["clash"].date, by_type["clash"].date_source) == ("2021-02-25", "article")
    undated = extract_events("جلبت ميليشيا فاطميون تعزيزات إلى السخنة خلال اليومين الماضيين.")
    assert undated[0].date is None and undated[0].date_precision == "unknown"


# -- the seeds ------------------------------------------------------------------------------------

def test_seeds_hold_the_sukhnah_reinforcement(seed_agent):
    events = seed_agent.events()
    found = [e for e in events if e.type == "reinforcement" and e.citation.article_id == SUKHNAH_ARTICLE
             and {"group:liwa-al-baqir", "group:fatemiyoun"} <= {a["id"] for a in e.actors}]
    assert len(found) == 1
    e = found[0]
    assert e.location["id"] == "place:sukhnah" and e.location["lat"] and e.location["admin"] == "Homs"
    assert "400" in e.figures["fighters"]
    c = e.citation
    assert seed_agent.article_text(c.article_id)[c.start:c.end] == c.quote
    assert "الباقر" in c.quote and "400" in c.quote
    assert c.chunk_id in {ch.id for ch in seed_agent.store.get_chunks([c.chunk_id])}
    d = e.to_dict()
    assert d["type"] == "reinforcement" and d["citation"]["quote"] == c.quote
    assert {a["name_en"] for a in d["actors"]} == {"Liwa al-Baqir", "Liwa Fatemiyoun"}
    json.dumps(d, ensure_ascii=False)


def test_every_seed_event_quote_is_exact_and_in_its_chunk(seed_agent):
    events = seed_agent.events()
    assert len(events) > 30
    texts = {}
    for e in events:
        c = e.citation
        text = texts.setdefault(c.article_id, seed_agent.article_text(c.article_id))
        assert text[c.start:c.end] == c.quote
        (chunk,) = seed_agent.store.get_chunks([c.chunk_id])
        assert chunk.start <= c.start and c.end <= chunk.end
        for value in e.figures.values():
            assert value in c.quote
        assert e.type in {"reinforcement", "clash", "airstrike", "explosive", "withdrawal", "campaign", "seizure", "killing"}


def test_precision_and_recall_against_the_annotation(seed_agent):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {a["id"]: seed_agent.article_text(a["id"]) for a in seed_agent.articles()}
    r = evaluate(seed_agent.events(), gold, texts)
    print("\nevents on the seeds: " + ", ".join(f"{k}={r[k]}" for k in (
        "gold", "predicted", "matched", "precision", "recall", "f1", "actor_precision", "actor_recall",
        "role_accuracy", "location_accuracy", "figure_recall", "date_accuracy")))
    assert r["gold"] == len(gold) >= 40
    assert r["precision"] >= 0.75 and r["recall"] >= 0.9
    assert r["actor_precision"] >= 0.75 and r["actor_recall"] >= 0.8
    assert r["location_accuracy"] >= 0.75 and r["figure_recall"] >= 0.9 and r["date_accuracy"] >= 0.85


def test_annotation_rows_are_well_formed(gaz):
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        assert r["type"] in {"reinforcement", "clash", "airstrike", "explosive", "withdrawal", "campaign", "seizure", "killing"}
        assert all(gaz.get(a) for a in r["actors"]) and set(r["roles"]) == set(r["actors"])
        assert r["location"] is None or gaz.get(r["location"]).type == "place"
        sample = (data_path("sample", f"{r['article_id']}.txt")).read_text(encoding="utf-8")
        assert fold(r["sentence"])[0] in fold(sample)[0]
        for v in r["figures"].values():
            assert v in r["sentence"] + " ".join(r.get("context", []))


# -- filters and output ------------------------------------------------------------------------

def test_filters(seed_agent):
    every = seed_agent.events()
    assert [e.type for e in seed_agent.events(actor="Fatemiyoun")] == ["reinforcement"]
    assert seed_agent.events(actor="فاطميون") and seed_agent.events(actor="group:fatemiyoun")
    sokhne = seed_agent.events(place="Sokhne")
    assert sokhne and all("place:sukhnah" in e.places for e in sokhne)
    homs = seed_agent.events(place="Homs")  # the governorate holds Sukhnah and Palmyra
    assert {(e.location or {}).get("id") for e in homs} >= {"place:sukhnah", "place:palmyra"}
    strikes = seed_agent.events(type="air strike")
    assert strikes and all(e.type == "airstrike" for e in strikes)
    assert seed_agent.events(type="غارات") == strikes
    dated = seed_agent.events(since="2021-01-01")
    assert dated and all(e.start_date and e.end_date.year >= 2021 for e in dated)
    window = seed_agent.events(since="2020-10-01", until="2020-10-31")
    assert window and all(e.date == "2020-10-22" for e in window)
    both = seed_agent.events(actor="ISIS", type="airstrike")
    assert both and all(any(a["id"] == "group:isis" for a in e.actors) for e in both)
    assert len(every) == len(seed_agent.events())
    keys = [(e.start_date is None, e.start_date) for e in every]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    with pytest.raises(ValueError, match="unknown event type"):
        seed_agent.events(type="picnic")


def test_events_are_cached_per_store_state(seed_agent, monkeypatch):
    seed_agent.events()
    calls = []
    real = seed_agent.store.all_chunks
    monkeypatch.setattr(seed_agent.store, "all_chunks", lambda: calls.append(1) or real())
    seed_agent.events(type="clash")
    assert not calls


def test_csv_has_a_row_per_event(seed_agent):
    events = seed_agent.events(actor="Liwa al-Baqir")
    text = to_csv([e.to_dict() for e in events])
    import csv
    import io

    assert text.startswith("date,date_precision,type,actors")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["actors"] == "Liwa al-Baqir; Liwa Fatemiyoun"
    assert rows[0]["figures"] == "fighters: أكثر من 400 عنصر" and rows[0]["location"] == "Sukhnah"
    assert rows[0]["quote"] == events[0].citation.quote  # quotes keep their line breaks
    assert to_csv(events) == text


def test_cli_events_json_and_csv(seed_agent, capsys):
    from rag.cli import main

    index = str(seed_agent.settings.store.index_dir)
    assert main(["--index", index, "events", "--json", "--actor", "Fatemiyoun"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["figures"]["fighters"] == "أكثر من 400 عنصر"
    assert rows[0]["citation"]["article_id"] == SUKHNAH_ARTICLE
    assert main(["--index", index, "events", "--csv", "--type", "airstrike"]) == 0
    assert capsys.readouterr().out.startswith("date,")
    assert main(["--index", index, "events", "--type", "picnic"]) == 2


# -- LLM mode --------------------------------------------------------------------------------

class ScriptedChat(BaseChatModel):
    """A chat model that answers from a function of the prompt (no network)."""

    script: object

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        reply = self.script("\n".join(str(m.content) for m in messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])

    @property
    def _llm_type(self) -> str:
        return "scripted"


def _source_number(prompt: str, needle: str) -> int | None:
    import re

    for n, body in re.findall(r'<source n="(\d+)"[^>]*>(.*?)</source>', prompt, re.S):
        if needle in body:
            return int(n)
    return None


def test_parse_llm_reply_takes_fenced_json_and_rejects_junk():
    parsed = parse_llm_reply('Here:\n```json\n{"events": [{"source": 1, "quote": "x", "type": "clash"}]}\n```')
    assert parsed.events[0].type == "clash" and parsed.events[0].actors == []
    with pytest.raises(EventsLLMError):
        parse_llm_reply("no json at all")
    with pytest.raises(EventsLLMError):
        parse_llm_reply('{"events": [{"quote": "missing source"}]}')


def test_llm_events_are_checked_against_their_quotes(seed_agent):
    quote = ("أن ميليشيات لواء “الباقر” العراقي ولواء “فاطميون” الأفغاني جلبت، خلال اليومين الماضيين، "
             "تعزيزات عسكرية ضخمة من دير الزور إلى مواقعها في منطقة السخنة ومحيطها شرقي حمص")

    def script(prompt: str) -> str:
        n = _source_number(prompt, "الباقر")
        if n is None:
            return "the model is confused"  # not JSON: these articles fall back to extractive events
        return json.dumps({"events": [
            {"source": n, "quote": quote, "type": "deployment", "location": "السخنة",
             "actors": [{"name": "لواء الباقر", "role": "actor"}, {"name": "Fatemiyoun", "role": "actor"},
                        {"name": "Wagner", "role": "actor"}],  # Wagner is not in the quote: dropped
             "figures": {"fighters": "أكثر من 400 عنصر"}},  # not in the quote: dropped
            {"source": n, "quote": "جلبت تعزيزات إلى تدمر", "type": "reinforcement",
             "actors": [{"name": "لواء الباقر"}]},  # not a verbatim span: dropped
            {"source": n, "quote": quote, "type": "picnic", "actors": [{"name": "لواء الباقر"}]},  # unknown type
        ]}, ensure_ascii=False)

    seed_agent.llm = ScriptedChat(script=script)
    seed_agent.settings.llm.model = "fake-model"
    events = seed_agent.events()
    llm_made = [e for e in events if e.mode == "llm:fake-model"]
    assert len(llm_made) == 1
    e = llm_made[0]
    assert e.type == "reinforcement" and e.location["id"] == "place:sukhnah"
    assert [a["id"] for a in e.actors] == ["group:liwa-al-baqir", "group:fatemiyoun"] and e.figures == {}
    assert seed_agent.article_text(e.citation.article_id)[e.citation.start:e.citation.end] == quote
    assert all(ev.citation.article_id == SUKHNAH_ARTICLE for ev in llm_made)
    others = [ev for ev in events if ev.citation.article_id != SUKHNAH_ARTICLE]
    assert others and all(ev.mode == "extractive" for ev in others)  # the LLM failed there: fallback
    from rag.events import all_events, query_events

    _, warnings = all_events(seed_agent)
    assert len(warnings) == 4 and all("extractive events used" in w for w in warnings)
    assert all(ev.mode == "extractive" for ev in query_events(seed_agent, mode="extractive"))


def test_event_dates_and_spans():
    from rag.answering.citations import Citation

    c = Citation(1, "a#0", "a", "t", "s", "", "q", 0, 1)
    assert Event("2021-02", "month", "clash", [], None, {}, c).end_date.isoformat() == "2021-02-28"
    assert Event(None, "unknown", "clash", [], None, {}, c).start_date is None

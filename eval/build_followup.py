"""Write eval/sets/followup.jsonl: two- and three-turn conversations whose last turn is scored like a single question.

    python eval/build_followup.py          # writes the set, after checking every key fact against its article

Each conversation was written by hand from a dev pair of eval/sets/dev.jsonl (dev articles of
eval/corpus/news.jsonl only; eval/corpus/news-split.json): the earlier turns set the topic, the scored
turn points back at it ("that ambush", «ذلك», "there", "he") and asks for the pair's key fact. The
scored turn takes the pair's gold article and key facts; the script checks that the article is a dev
article and that one form of every key fact is in its text, and refuses to write the set otherwise.
A row: the dev pair's fields, `question` = the scored turn, `history` = the earlier questions in
order (their answers are made by the system under test when the set runs), `from` = the dev pair's id.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parent
sys.path.insert(0, str(EVAL.parent))

from rag.evaluation import match_key  # noqa: E402  (the evaluator's own matching of key facts)

# (dev pair, earlier turns, scored follow-up)
CONVERSATIONS: list[tuple[str, list[str], str]] = [
    ("dev-01", ["ماذا حدث لمقاتلي الحشد الشعبي قرب كركوك في فبراير 2018؟"], "في أي منطقة وقع ذلك الكمين؟"),
    ("dev-02", ["What did Turkey threaten in February 2018 about anyone helping the YPG in Afrin?"], "Who made that warning?"),
    ("dev-03", ["كم مدنياً قتل في القصف الحكومي على الغوطة الشرقية حتى 24 فبراير 2018؟"], "وكم طفلاً بينهم؟"),
    ("dev-04", ["What happened on the Hosh al-Dawahira front in Eastern Ghouta in late February 2018?"],
     "Which rebel faction said it killed 25 government soldiers there?"),
    ("dev-06", ["Were Russian mercenaries killed by US air strikes in Deir ez-Zor in February 2018?"],
     "On what date did those strikes happen?"),
    ("dev-07", ["Did Russian contractors attack the SDF in Deir ez-Zor in February 2018?"],
     "Which businessman called Putin's chef contacted Syrian officials before that?"),
    ("dev-08", ["What was happening in Eastern Ghouta on 23 February 2018?"],
     "What did Trump say at the White House about what Russia, Iran and Syria had done there?"),
    ("dev-09", ["هل ستدخل قوات الجيش السوري منطقة عفرين في فبراير 2018؟"], "من هو المسؤول الكردي الذي قال ذلك لرويترز؟"),
    ("dev-10", ["How deadly was the bombardment of Eastern Ghouta in February 2018?"],
     "How many civilians were killed there on Monday 19 February, the deadliest day in three years?"),
    ("dev-11", ["ما هو مشروع القرار الكويتي السويدي بشأن هدنة الثلاثين يوماً في سوريا في فبراير 2018؟"],
     "من هو السفير الروسي الذي تقدم بتعديلات عليه؟"),
    ("dev-13", ["Did a pro-government Shia militia convoy head to Afrin in February 2018?"],
     "According to Erdogan, what forced it to turn back?"),
    ("dev-15", ["ما هي العملية العسكرية التركية في عفرين؟"], "كم إرهابياً أعلنت تركيا أنها حيدتهم منذ بدئها، بحسب ما أعلن في 13 مارس 2018؟"),
    ("dev-16", ["What was happening in Afrin city in mid-March 2018?"],
     "How many civilians did Turkish artillery shelling kill there on 16 March, according to the Syrian Observatory?"),
    ("dev-17", ["Did Russian jets strike Kafr Batna in Eastern Ghouta in March 2018?"],
     "How many civilians were killed there on 16 March, according to the Syrian Observatory?"),
    ("dev-19", ["Was Afrin's only hospital hit in March 2018?"],
     "How many people were killed in those strikes, according to the Syrian Observatory?"),
    ("dev-20", ["ماذا فعل مسلحو داعش عند حاجز أمني وهمي في العراق في مارس 2018؟"], "قرب أي قضاء أقاموا ذلك الحاجز؟"),
    ("dev-21", ["Were residents of Yarmouk camp in southern Damascus offered a deal to leave for Idlib in March 2018?"],
     "Which district next to the camp did ISIS attack after that?"),
    ("dev-24", ["ما هي حصيلة القتلى المدنيين في الغوطة الشرقية بحسب المرصد السوري في مارس 2018؟"],
     "كم مدنياً قتلوا هناك منذ 18 فبراير بحسب حصيلة 13 مارس؟"),
    ("dev-27", ["Did the OPCW team reach Douma in April 2018?"], "How many members made up that team, according to the BBC?"),
    ("dev-28", ["ماذا قال أردوغان عن عملية عفرين في مقابلته مع قناة إن تي في في أبريل 2018؟"],
     "كم جندياً تركياً قال إنهم قتلوا فيها؟"),
    ("dev-29", ["Did Iraq carry out air strikes on ISIS in Syria in April 2018?"],
     "Who is the military spokesman who said they were coordinated with the Syrian government?"),
    ("dev-30", ["ما هي المواقع التي استهدفت بالصواريخ في سوريا ليلة 16-17 أبريل 2018؟"],
     "وأي قاعدة جوية شمال شرقي دمشق استهدفت إلى جانب الشعيرات بحسب حزب الله؟"),
    ("dev-31", ["Who is the OPCW Director-General who spoke about the Douma fact-finding mission in April 2018?"],
     "How many experts did he say the mission comprised?"),
    ("dev-33", ["Did Israel strike the T4 (Tiyas) air base in Syria in April 2018?"],
     "To which New York Times journalist did a senior Israeli officer admit it?"),
    ("dev-35", ["Who is Mohammed Haydar Zammar, detained by Kurdish forces in April 2018?"],
     "In what year did he move from Syria to Germany?"),
    ("dev-75", ["من هو محمد حيدر زمار الذي اعتقلته القوات الكردية في أبريل 2018؟", "متى انتقل من سوريا إلى ألمانيا؟"],
     "أي صحيفة ألمانية نشرت أولاً خبر اعتقاله؟"),
    ("dev-37", ["What is the US-Turkish roadmap for Manbij announced in May 2018?"],
     "Who is the Manbij Military Council spokesman who said it lacked credibility?"),
    ("dev-38", ["ما هي خريطة الطريق التركية الأمريكية بشأن منبج المعلنة في مايو 2018؟", "من هو المتحدث باسم مجلس منبج العسكري الذي انتقدها؟"],
     "كم يوماً ستستمر السيطرة أو الإشراف المشترك بعد توقيعها؟"),
    ("dev-39", ["Were Hezbollah positions in the Homs countryside struck on 29 May 2018?"], "Near which town did those strikes hit?"),
    ("dev-40", ["هل قتل مدنيون من عائلة واحدة بقصف للتحالف الدولي في ريف الحسكة الجنوبي مطلع يونيو 2018؟"],
     "ما اسم القرية التي حدث فيها ذلك؟"),
    ("dev-41", ["Were rebel factions in Daraa preparing for a government offensive in May 2018?"], "Under what name did they unite?"),
    ("dev-45", ["Did ISIS gunmen kill members of one family in Salahuddin province on 2 June 2018?"], "In which village did that happen?"),
    ("dev-47", ["Did an Iraqi court sentence a French woman to life in prison for belonging to ISIS in June 2018?"], "What is her name?"),
    ("dev-53", ["What did the Syrian Democratic Council decide at its July 2018 conference about negotiations with Damascus?"],
     "In which town was that conference held?"),
    ("dev-54", ["هل شنت إسرائيل غارات على منطقة معامل الدفاع غرب حماة في 22 يوليو 2018؟"], "أي بلدة استهدفت تلك الغارات؟"),
    ("dev-55", ["Were White Helmets evacuated from southern Syria via the occupied Golan to Jordan in July 2018?"],
     "About how many members and relatives were evacuated?"),
    ("dev-56", ["هل تم إجلاء أعضاء من الخوذ البيضاء عبر الجولان المحتل في يوليو 2018؟", "كم عدد الذين أجلوا؟"],
     "من هو المتحدث باسم الخارجية الإسرائيلية الذي أكد ذلك؟"),
    ("dev-57", ["Were Syrian government forces advancing near the occupied Golan in July 2018?"],
     "Which strategic hill did they capture on 16 July, according to Syrian state TV?"),
    ("dev-58", ["ماذا حدث في مدينة القامشلي في 8 سبتمبر 2018؟"], "كم عنصراً من قوات النظام قتلوا في تلك المواجهات؟"),
    ("dev-60", ["ماذا حدث في مدينة القامشلي في 8 سبتمبر 2018؟", "كم عنصراً من قوات النظام قتلوا في تلك المواجهات؟"],
     "ما اسم قوات الأمن الكردية التي مرت دورية النظام على حاجز لها قبل ذلك؟"),
    ("dev-62", ["How many people were killed in air strikes on Idlib in early September 2018?"],
     "Who is the White Helmets official who told CNN that?"),
    ("dev-66", ["Did Russian jets strike HTS and Ahrar al-Sham headquarters in Idlib on 7 September 2018, before the Tehran summit?"],
     "Near which town in south-western rural Idlib were those strikes?"),
]


def main() -> int:
    """Check every conversation's gold article and key facts, then write the set."""
    dev = {r["id"]: r for r in map(json.loads, (EVAL / "sets" / "dev.jsonl").read_text(encoding="utf-8").splitlines())}
    split = json.loads((EVAL / "corpus" / "news-split.json").read_text(encoding="utf-8"))
    texts = {}
    for line in (EVAL / "corpus" / "news.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts[r["id"]] = r["title"] + "\n" + r["text"]
    dev_ids = set(split.get("dev_ids") or split.get("dev") or [])
    problems, rows = [], []
    for k, (pair, history, question) in enumerate(CONVERSATIONS, 1):
        base = dev[pair]
        for gold in base["gold_article_ids"]:
            if dev_ids and gold not in dev_ids:
                problems.append(f"{pair}: gold article {gold} is not a dev article")
            text = match_key(texts.get(gold, ""))
            for fact in base["key_facts"]:
                if not any(match_key(form) in text for form in fact):
                    problems.append(f"{pair}: no form of key fact {fact} in {gold}")
        lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in question) else "en"
        rows.append({"id": f"fu-{k:02d}", "question": question, "lang": lang, "qtype": base["qtype"], "split": "dev",
                     "answerable": True, "gold_article_ids": base["gold_article_ids"], "key_facts": base["key_facts"],
                     "history": history, "turns": len(history) + 1, "from": pair})
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    out = EVAL / "sets" / "followup.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {out}: {len(rows)} conversations ({sum(r['turns'] == 3 for r in rows)} of three turns), key facts checked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

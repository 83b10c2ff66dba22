"""Hand annotation of events in real ANT news (eval/corpus/news.jsonl), compiled into eval/events_news.jsonl.

Written by reading each article sentence by sentence (sentence numbers are those of
rag.ingest.chunking.sentence_spans over the article text); see eval/README.md, "Events on real news".
A row: (sentence, type, actors, place, figures, date, refers_to).
  actors:  "A1,A2>T1,T2+S1" (doers > targets + supporters), short names from SHORT or full gazetteer ids;
  place:   gazetteer id without "place:" ("a|b" = b also acceptable), "" when the sentence (and its
           referent) names none;
  figures: {kind: verbatim text of the sentence};
  date:    "a" = the article's date (the sentence gives none), else ISO (day, "YYYY-Www", month, year);
  refers_to: the row number (in this article's list) of the event this sentence refers back to, else None.
"""

SHORT = {
    "R": "force:regime-forces", "RU": "force:russian-forces", "TR": "force:turkish-forces", "US": "force:us-forces",
    "IL": "force:israeli-forces", "IRF": "force:iranian-forces", "IQ": "force:iraqi-forces", "UK": "force:uk-forces",
    "FRA": "force:french-forces", "ISIS": "group:isis", "PMF": "group:pmf", "OPP": "group:syrian-opposition",
    "PRM": "group:pro-regime-militias", "IBM": "group:iran-backed-militias", "COAL": "group:coalition",
    "YPG": "group:ypg", "SDF": "group:sdf", "FAR": "group:faylaq-al-rahman", "HTS": "group:hts",
    "JAI": "group:jaysh-al-islam", "IRGC": "group:irgc", "PESH": "group:peshmerga", "HEZ": "group:hezbollah",
    "FSA": "group:fsa", "NLF": "group:nlf", "AAS": "group:ahrar-al-sham",
}

DEV = {
    "ant-BB-middleEast-382-20180421": [
        (1, "airstrike", "R", "douma", {}, "2018-04-07", None),
        (3, "airstrike", "US,UK,FRA>R", "", {}, "2018-W15", None),
        (3, "airstrike", "", "douma", {"killed": "أكثر من 40 شخصا"}, "2018-04-07", 0),
        (5, "clash", "", "douma", {}, "2018-04-17", None),
        (7, "withdrawal", "OPP", "qalamoun", {}, "a", None),
        (8, "withdrawal", "OPP", "", {}, "a", 4),
        (11, "withdrawal", "", "rahiba", {}, "a", 4),
        (13, "withdrawal", "", "rahiba", {"fighters": "قرابة 3200 من المسلحين"}, "a", 4),
    ],
    "ant-SK-middleEast-2988-20180719": [
        (2, "clash", "R>OPP+RU", "quneitra", {}, "2018-06", None),
    ],
    "ant-SK-middleEast-2921-20180716": [
        (0, "airstrike", "IL>PRM", "aleppo", {"killed": "9 مسلحين"}, "2018-07-15", None),
        (1, "airstrike", "IL>IRGC", "aleppo", {}, "a", 0),
        (3, "airstrike", "IL", "aleppo", {}, "2018-07-15", 0),
        (4, "airstrike", "", "aleppo", {"killed": "ما لا يقل عن 9"}, "a", 0),
        (7, "airstrike", "IL>IRF", "syria", {}, "2018-05", None),
    ],
    "ant-SK-middleEast-2967-20180718": [
        (0, "airstrike", "", "nawa", {"killed": "12 مدنيا"}, "a", None),
        (1, "airstrike", "R,RU", "nawa", {}, "2018-07-17", 0),
        (2, "campaign", "R", "daraa", {}, "2018-06-19", None),
        (2, "seizure", "R", "daraa", {}, "a", None),
        (4, "withdrawal", "", "daraa", {"fighters": "مئات المقاتلين"}, "2018-07-15", None),
    ],
    "ant-SK-middleEast-1141-20180420": [
        (0, "airstrike", "US,FRA,UK", "syria", {}, "a", None),
        (1, "airstrike", "US", "syria", {}, "a", 0),
        (2, "airstrike", "US", "syria", {}, "a", 0),
    ],
    "ant-SK-middleEast-2937-20180717": [],
    "ant-BB-middleEast-62-20180220": [
        (0, "reinforcement", "PRM", "afrin", {}, "a", None),
        (2, "clash", "TR+OPP", "afrin", {}, "a", None),
        (4, "reinforcement", "PRM", "afrin", {}, "a", 0),
        (5, "reinforcement", "PRM", "afrin", {}, "a", 0),
        (6, "reinforcement", "", "afrin", {}, "a", 0),
        (10, "withdrawal", "R", "afrin", {}, "2012", None),
        (11, "clash", "TR", "afrin", {}, "a", 1),
    ],
    "ant-SK-middleEast-2048-20180530": [
        (0, "clash", "ISIS>R", "homs", {}, "a", None),
        (1, "clash", "ISIS>R", "humaymah|homs", {}, "a", 0),
        (3, "airstrike", "COAL>ISIS", "hajin", {}, "a", None),
    ],
    "ant-BB-middleEast-43-20180219": [
        (0, "clash", "ISIS>PMF", "kirkuk", {"killed": "27 شخصا"}, "a", None),
        (1, "clash", "", "saadouniya|hawija", {}, "2018-02-18", 0),
        (2, "clash", "", "", {}, "a", 0),
        (3, "clash", "PMF", "", {}, "a", 0),
        (5, "clash", "ISIS", "", {}, "a", 0),
        (6, "campaign", "PMF,IQ", "kirkuk", {}, "2018-02", None),
        (7, "campaign", "ISIS", "", {}, "a", 5),
        (9, "seizure", "IQ>PESH+PMF", "kirkuk", {}, "a", None),
        (13, "seizure", "ISIS", "mosul", {}, "2014", None),
    ],
    "ant-SK-middleEast-3484-20180903": [
        (0, "airstrike", ">PRM", "tanf", {"killed": "8 مسلحين"}, "2018-W35", None),
        (2, "airstrike", ">IRF,IBM", "tanf", {}, "2018-09-01", 0),
        (3, "airstrike", "COAL", "", {}, "a", 0),
        (6, "airstrike", "COAL>R", "tanf", {"wounded": "7 آخرون"}, "2018-06", None),
    ],
    "ant-CN-middleEast-28-20180219": [
        (0, "airstrike", "US>RU", "", {}, "a", None),
        (5, "airstrike", "US>RU", "", {}, "2018-02", 0),
    ],
    "ant-SK-middleEast-3007-20180720": [
        (6, "clash", "R>OPP", "quneitra", {}, "2018-07-15", None),
        (6, "seizure", "R", "daraa", {}, "a", None),
    ],
    "ant-SK-middleEast-298-20180314": [
        (0, "seizure", "R>FAR", "hamouriyah", {}, "2018-03-14", None),
        (1, "seizure", "R", "hamouriyah", {}, "a", 0),
        (2, "clash", "R+IBM", "jisrin|arbin|hamouriyah|saqba", {}, "a", None),
        (3, "shelling", "R", "hamouriyah", {"wounded": "ما لا يقل عن 20 حالة اختناق"}, "a", None),
        (4, "airstrike", "RU,R", "eastern-ghouta", {"killed": "35 مدني"}, "2018-03-14", None),
        (5, "airstrike", "R", "harasta", {}, "a", None),
        (5, "airstrike", "RU", "ein-tarma|hamouriyah|hazza", {"wounded": "عشرات الجرحى"}, "a", None),
        (6, "airstrike", "RU,R", "", {}, "2018-03-14", 4),
    ],
    "ant-SK-middleEast-300-20180315": [
        (0, "shelling", "TR", "afrin", {}, "a", None),
        (0, "reinforcement", "TR", "hatay", {}, "a", None),
        (1, "reinforcement", "", "reyhanli|hatay", {}, "a", 1),
        (2, "shelling", "TR", "afrin", {"shells": "ما يزيد عن 20 قذيفة"}, "a", 0),
        (3, "shelling", "", "afrin", {"wounded": "25 شخصا"}, "a", 0),
    ],
    "ant-SK-middleEast-327-20180316": [
        (0, "shelling", "TR", "afrin", {"killed": "18 مدنيا"}, "a", None),
        (0, "clash", "", "afrin", {}, "a", None),
        (1, "shelling", "TR", "afrin", {}, "a", 0),
        (3, "reinforcement", "group:republican-guard", "afrin", {}, "2018-03-12", None),
        (4, "campaign", "TR>YPG", "afrin", {}, "2018-01", None),
    ],
    "ant-SK-middleEast-3527-20180907": [
        (8, "reinforcement", "R", "", {}, "a", None),
        (8, "airstrike", "RU", "", {}, "a", None),
    ],
    "ant-SK-middleEast-2073-20180601": [],
    "ant-SK-middleEast-1130-20180419": [
        (1, "reinforcement", "HTS", "idlib", {"fighters": "آلاف المسلحين"}, "a", None),
        (3, "reinforcement", "group:nusra", "idlib", {}, "a", 0),
        (4, "clash", "HTS>OPP", "idlib", {}, "a", None),
        (5, "clash", "HTS,ISIS", "idlib", {}, "a", None),
        (6, "reinforcement", "HTS", "idlib", {}, "a", None),
    ],
    "ant-SK-middleEast-3519-20180907": [
        (0, "airstrike", "RU>OPP", "idlib", {"killed": "قتيلين"}, "2018-09-07", None),
        (1, "airstrike", "RU>HTS,AAS", "hbeit|idlib", {}, "a", 0),
        (2, "airstrike", "", "", {"wounded": "14 مقاتل"}, "a", 0),
        (3, "airstrike", "", "", {}, "a", 0),
        (4, "airstrike", "RU", "", {}, "a", None),
        (6, "airstrike", "", "", {}, "a", 0),
    ],
    "ant-SK-middleEast-3597-20180909": [
        (0, "shelling", "R", "qalaat-al-madiq|hama", {"shells": "أكثر من 100 صاروخ", "wounded": "عشرات الجرحى"}, "2018-09-03", None),
        (1, "shelling", "", "", {}, "a", 0),
        (2, "shelling", "OPP>R", "suqaylabiyah|new:sheikh-hadid|hama", {}, "a", None),
        (3, "airstrike", "RU", "latamneh|hama", {}, "a", None),
    ],
    "ant-SK-middleEast-32-20180223": [
        (0, "airstrike", "R>OPP", "eastern-ghouta", {}, "a", None),
        (3, "airstrike", "", "eastern-ghouta", {}, "2018-02-23", None),
        (4, "airstrike", "R", "", {}, "a", 0),
        (5, "airstrike", "R", "eastern-ghouta|damascus", {}, "a", 0),
        (6, "seizure", "R>OPP", "aleppo", {}, "2016", None),
        (7, "airstrike", "", "", {"killed": "ما لا يقل عن 462 شخصا"}, "a", 0),
        (8, "airstrike", "", "", {"killed": "99 طفلا"}, "a", 0),
    ],
    "ant-BB-middleEast-553-20180530": [
        (6, "campaign", "TR>YPG", "syria", {}, "a", None),
        (7, "seizure", "YPG>ISIS", "manbij", {}, "2016", None),
    ],
    "ant-SK-middleEast-273-20180314": [
        (8, "campaign", "R", "eastern-ghouta", {"killed": "أكثر من 1100 مدني"}, "a", None),
        (13, "campaign", "R", "eastern-ghouta", {}, "a", 0),
    ],
    "ant-SK-middleEast-2953-20180717": [
        (0, "airstrike", "R", "nawa", {}, "a", None),
        (1, "airstrike", "", "", {"killed": "أكثر من عشرة"}, "a", 0),
        (2, "shelling", "R", "qusaybah|qurqus|quneitra", {}, "a", None),
    ],
    "ant-SK-middleEast-2960-20180718": [
        (8, "seizure", "HEZ", "madaya|zabadani", {"people": "34 سجينا"}, "a", None),
    ],
    "ant-SK-middleEast-2043-20180530": [
        (3, "reinforcement", "R", "daraa", {}, "a", None),
    ],
    "ant-SK-middleEast-270-20180313": [
        (8, "seizure", "", "aftris|eastern-ghouta", {}, "a", None),
    ],
    "ant-SK-middleEast-2104-20180602": [],
    "ant-SK-middleEast-2103-20180602": [
        (0, "killing", "ISIS", "farhatiya|salahuddin|iraq", {"killed": "12 فردا"}, "a", None),
        (1, "killing", "", "farhatiya|salahuddin", {}, "2018-06-02", 0),
        (2, "seizure", "IQ>ISIS", "iraq", {}, "a", None),
    ],
    "ant-BB-middleEast-361-20180417": [
        (0, "shelling", "", "homs", {}, "a", None),
        (1, "shelling", "", "shayrat", {}, "a", 0),
        (2, "shelling", "", "dumayr|damascus", {"shells": "ثلاثة صواريخ"}, "a", 0),
        (5, "airstrike", "IL", "t4", {}, "a", None),
        (6, "airstrike", "IL", "t4", {}, "2018-W15", 3),
        (10, "airstrike", "US,UK,FRA>R", "", {}, "2018-04-14", None),
    ],
    "ant-BB-middleEast-981-20180909": [
        (0, "shelling", "IRGC>group:kdpi", "koya|erbil", {}, "a", None),
        (1, "shelling", "IRGC", "", {"shells": "سبعة صواريخ"}, "a", 0),
        (2, "shelling", "IRF", "", {"killed": "9", "wounded": "نحو 50 آخرين"}, "a", 0),
        (3, "shelling", "", "", {}, "a", 0),
        (4, "shelling", "", "", {}, "a", 0),
        (5, "shelling", "", "", {}, "a", 0),
        (6, "shelling", "IRF", "", {}, "a", 0),
    ],
    "ant-SK-middleEast-3047-20180722": [
        (0, "withdrawal", "group:nusra", "quneitra", {}, "2018-07-22", None),
        (1, "withdrawal", "", "quneitra", {}, "2018-07-20", None),
        (4, "withdrawal", "OPP", "golan", {}, "a", 1),
    ],
    "ant-CN-middleEast-1295-20180906": [
        (6, "airstrike", "", "idlib", {"wounded": "6 مدنيين"}, "2018-09-06", None),
    ],
    "ant-SK-middleEast-2020-20180529": [
        (0, "airstrike", ">HEZ", "homs", {}, "a", None),
        (1, "airstrike", "IL>HEZ", "qusayr|homs", {}, "a", 0),
        (2, "airstrike", "", "", {}, "a", 0),
    ],
    "ant-SK-middleEast-2977-20180719": [
        (0, "withdrawal", "", "foua|kafraya|idlib", {}, "a", None),
        (1, "withdrawal", "", "foua|kafraya|idlib", {}, "a", 0),
        (2, "withdrawal", "", "aleppo", {}, "a", 0),
        (3, "withdrawal", "", "", {}, "a", 0),
        (4, "withdrawal", "", "al-eis|aleppo", {}, "a", 0),
        (16, "withdrawal", "", "foua|kafraya|idlib", {}, "a", 0),
        (17, "seizure", "OPP", "idlib", {}, "2015", None),
    ],
    "ant-CN-middleEast-651-20180417": [
        (0, "shelling", "R", "douma", {}, "a", None),
        (0, "withdrawal", "JAI", "douma", {}, "a", None),
        (1, "shelling", "R", "douma", {}, "a", 0),
        (3, "shelling", "", "douma", {}, "a", 0),
    ],
}

TEST = {
    "ant-SK-middleEast-76-20180226": [
        (1, "airstrike", "R", "eastern-ghouta", {"killed": "نحو 30 قتيلا"}, "2018-02-25", None),
        (2, "clash", "R,OPP", "eastern-ghouta", {"killed": "19"}, "a", None),
    ],
    "ant-SK-middleEast-3717-20181003": [
        (0, "reinforcement", "TR", "idlib", {}, "2018-10-02", None),
        (1, "reinforcement", "", "idlib", {"vehicles": "أكثر من أربعين عربة"}, "2018-10-02", 0),
        (2, "reinforcement", "TR", "jisr-al-shughur", {}, "a", 0),
        (4, "reinforcement", "TR", "syria", {}, "a", 0),
    ],
    "ant-SK-middleEast-1727-20180515": [],
    "ant-BB-middleEast-272-20180401": [
        (4, "seizure", "R", "eastern-ghouta", {}, "a", None),
        (5, "campaign", "", "eastern-ghouta", {"killed": "أكثر من 1600 شخص"}, "a", None),
    ],
    "ant-SK-middleEast-1739-20180516": [
        (0, "airstrike", "", "new:saraqib|idlib", {}, "2018-02", None),
        (1, "airstrike", "", "new:saraqib|idlib", {}, "2018-02-04", 0),
        (5, "airstrike", "R", "new:saraqib|idlib", {"wounded": "11 شخصا"}, "2018-02-04", 0),
        (7, "shelling", "", "douma", {"killed": "40 شخصا"}, "2018-04-07", None),
    ],
    "ant-SK-middleEast-3425-20180816": [
        (0, "airstrike", "IQ>ISIS", "syria", {}, "a", None),
        (1, "airstrike", "IQ", "iraq", {}, "a", 0),
    ],
    "ant-SK-middleEast-148-20180301": [
        (0, "clash", "R>OPP", "eastern-ghouta", {}, "a", None),
        (1, "airstrike", "", "eastern-ghouta|damascus", {}, "a", None),
        (2, "airstrike", "", "", {}, "a", 1),
        (3, "shelling", "", "", {}, "a", None),
        (7, "seizure", "R", "new:hosh-al-dawahira|eastern-ghouta", {}, "a", None),
        (8, "seizure", "R", "", {}, "a", 4),
        (9, "clash", "OPP>R", "", {}, "a", 0),
        (10, "clash", "", "", {}, "a", 0),
        (11, "clash", "new:tiger-forces", "", {}, "a", 0),
    ],
    "ant-SK-middleEast-1771-20180517": [
        (0, "withdrawal", "new:danish-forces", "iraq", {}, "a", None),
        (4, "seizure", ">ISIS", "iraq", {}, "a", None),
    ],
    "ant-CN-middleEast-1236-20180816": [
        (0, "airstrike", "IQ>ISIS", "syria", {}, "2018-08-16", None),
        (1, "airstrike", "IQ>ISIS", "syria", {}, "a", 0),
        (2, "airstrike", "", "", {}, "a", 0),
    ],
    "ant-SK-middleEast-1815-20180519": [
        (2, "clash", "", "damascus", {}, "a", None),
        (2, "seizure", "R,PRM", "hajar-al-aswad|yarmouk-camp|new:qadam|damascus", {}, "a", None),
        (3, "clash", "R,ISIS", "yarmouk-camp|hajar-al-aswad|damascus", {}, "a", 0),
    ],
    "ant-SK-middleEast-3721-20181002": [
        (0, "killing", "ISIS", "suwayda", {}, "a", None),
        (1, "clash", "ISIS", "suwayda", {"killed": "أكثر من 260 شخصاً"}, "2018-07-25", None),
        (2, "seizure", "ISIS", "suwayda", {"people": "ثلاثين شخصاً"}, "a", None),
        (3, "killing", "ISIS", "", {}, "2018-10-02", 0),
        (4, "killing", "ISIS", "", {}, "a", 0),
        (5, "seizure", "ISIS", "new:shabki|suwayda", {}, "a", 2),
        (6, "killing", "ISIS", "new:shabki|suwayda", {}, "a", 1),
        (7, "killing", "ISIS", "", {}, "2018-08-05", None),
        (12, "clash", "R>ISIS", "badia|suwayda", {}, "a", None),
        (13, "clash", "", "new:tulul-al-safa|suwayda", {}, "a", None),
    ],
    "ant-SK-middleEast-1750-20180516": [
        (6, "explosive", "ISIS", "kirkuk", {"killed": "3 أشخاص"}, "a", None),
    ],
    "ant-SK-middleEast-2765-20180705": [
        (0, "airstrike", "R,RU", "daraa", {"strikes": "مئات الضربات"}, "a", None),
        (1, "airstrike", "", "", {"strikes": "أكثر من 600 ضربة"}, "2018-07-04", 0),
        (2, "airstrike", "R,RU", "daraa", {}, "a", 0),
    ],
    "ant-BB-middleEast-264-20180330": [
        (2, "campaign", "TR", "manbij|syria", {}, "a", None),
        (7, "campaign", "TR>YPG", "afrin", {}, "2018-01-20", 0),
        (10, "seizure", "+TR", "afrin", {}, "2018-03", None),
        (10, "withdrawal", "YPG", "afrin", {}, "2018-03", None),
    ],
    "ant-SK-middleEast-2784-20180706": [
        (0, "airstrike", "", "douma", {"killed": "عشرات المدنيين"}, "2018-04", None),
        (2, "airstrike", "", "douma", {}, "2018-04-07", 0),
        (3, "airstrike", "US,UK,FRA>R", "", {}, "a", None),
        (4, "airstrike", "", "douma", {"killed": "أكثر من 150 مدنيا"}, "a", 0),
    ],
    "ant-SK-middleEast-1797-20180518": [
        (0, "explosive", ">IRGC", "new:hama-airport|hama", {"killed": "57 عنصرا"}, "2018-05-18", None),
        (1, "explosive", "R", "new:hama-airport|hama", {}, "a", 0),
        (2, "explosive", "IBM", "new:hama-airport|hama", {}, "a", None),
        (3, "explosive", "IRGC", "", {"killed": "57 عنصرا"}, "a", 0),
        (4, "explosive", "", "new:hama-airport|hama", {}, "a", 0),
        (5, "airstrike", "IL>IRF", "syria", {}, "2018-05-09", None),
        (5, "shelling", "IRF", "golan", {}, "a", None),
    ],
    "ant-SK-middleEast-2718-20180702": [
        (2, "seizure", "R", "daraa", {}, "a", None),
        (2, "campaign", "R", "daraa", {}, "2018-06-09", None),
    ],
    "ant-FR-middleEast-747-20180707": [
        (8, "reinforcement", "", "", {}, "a", None),
        (11, "seizure", "R", "nasib", {}, "2018-07-06", None),
        (11, "seizure", "OPP", "nasib", {}, "2015-04", None),
        (12, "reinforcement", "R", "nasib", {}, "2018-07-07", 0),
    ],
    "ant-BB-middleEast-127-20180303": [
        (0, "airstrike", "TR>PRM", "afrin", {"killed": "36 شخصا"}, "2018-03-03", None),
        (1, "airstrike", ">PRM", "new:kafr-jannah|afrin", {}, "a", 0),
        (2, "reinforcement", "PRM", "afrin", {}, "2018-02", None),
        (2, "clash", "TR,OPP", "afrin", {}, "a", None),
        (3, "airstrike", "TR>PRM", "", {}, "a", 0),
        (4, "airstrike", "TR>PRM", "afrin", {}, "a", 0),
        (5, "airstrike", ">PRM", "afrin", {"killed": "24"}, "2018-03-01", None),
        (5, "airstrike", ">PRM", "afrin", {"killed": "أربعة آخرون"}, "2018-03-02", None),
        (6, "clash", "TR,OPP,YPG", "afrin", {}, "a", None),
        (7, "seizure", "TR", "new:rajo|afrin", {}, "a", None),
        (7, "clash", "", "new:rajo|afrin", {}, "a", 8),
        (8, "campaign", "TR+OPP", "afrin", {}, "2018-01", None),
        (12, "withdrawal", "R", "afrin", {}, "2012", None),
        (12, "seizure", "YPG>ISIS", "afrin", {}, "2012", None),
        (13, "clash", "TR", "afrin", {}, "a", 3),
    ],
}


def _actors(spec: str) -> tuple[list[str], dict[str, str]]:
    """"A,B>C+D" -> ids and roles (A, B actors; C target; D supporter)."""
    roles: dict[str, str] = {}
    doers, _, rest = spec.partition(">") if ">" in spec else (spec.split("+")[0], "", "+".join(spec.split("+")[1:]))
    if ">" in spec:
        targets, _, supporters = rest.partition("+")
    else:
        targets, supporters = "", rest
    for names, role in ((doers, "actor"), (targets, "target"), (supporters, "supporter")):
        for n in filter(None, (x.strip() for x in names.split(","))):
            roles.setdefault(SHORT.get(n, n), role)
    return list(roles), roles


def build() -> list[dict]:
    """The annotation rows with verbatim sentences; raises naming the row when a quoted string is not in its text."""
    import json
    from pathlib import Path

    from rag.ingest.chunking import sentence_spans

    here = Path(__file__).resolve().parent
    articles = {a["id"]: a for a in map(json.loads, (here / "corpus" / "news.jsonl").open(encoding="utf-8"))}
    split = json.loads((here / "corpus" / "news-split.json").read_text(encoding="utf-8"))
    rows = []
    for name, table in (("dev", DEV), ("test", TEST)):
        for article_id, events in table.items():
            if article_id not in split[name]:
                raise ValueError(f"{article_id}: annotated as {name} but news-split.json puts it elsewhere")
            a = articles[article_id]
            spans = sentence_spans(a["text"])
            for k, (n, etype, actors, place, figures, when, ref) in enumerate(events):
                s, e = spans[n]
                sentence = a["text"][s:e]
                for kind, value in figures.items():
                    if value not in sentence:
                        raise ValueError(f"{article_id} row {k}: figure {kind}={value!r} is not in sentence {n}")
                ids, roles = _actors(actors)
                places = [p if p.startswith("new:") else f"place:{p}" for p in place.split("|") if p]
                date = a["date"][:10] if when == "a" else when
                precision = {10: "day", 7: "month", 4: "year"}.get(len(date), "week")
                rows.append({
                    "id": f"{article_id}#{k}", "article_id": article_id, "split": name, "sentence_index": n,
                    "start": s, "end": e, "sentence": sentence, "type": etype, "actors": ids, "roles": roles,
                    "location": places[0] if places else None, "location_alt": places[1:], "figures": figures,
                    "date": date, "date_precision": precision, "date_source": "article" if when == "a" else "sentence",
                    "refers_to": None if ref is None else f"{article_id}#{ref}",
                })
    return rows


if __name__ == "__main__":
    import json
    from pathlib import Path

    out = Path(__file__).resolve().parent / "events_news.jsonl"
    rows = build()
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    by = {s: [r for r in rows if r["split"] == s] for s in ("dev", "test")}
    for s, rs in by.items():
        print(f"{s}: {len({r['article_id'] for r in rs})} articles, {len(rs)} mentions "
              f"({sum(r['refers_to'] is None for r in rs)} events, {sum(r['refers_to'] is not None for r in rs)} back-references)")
    listing = {name: sorted(table) for name, table in (("dev", DEV), ("test", TEST))}
    (out.parent / "events_news_articles.json").write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} and events_news_articles.json ({len(listing['dev'])} dev, {len(listing['test'])} test articles)")

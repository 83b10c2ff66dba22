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


# Added 2026-12-05 (session 7): 24 more dev articles from ISO weeks neither the Q/A corpus nor `ant` uses
# (eval/build_events_extra.py, text in eval/corpus/events_extra.jsonl), annotated by two helper sessions under the
# rules above without seeing the extractor's output; 8 of them re-read by a third (agreement in eval/README.md),
# whose clear points were taken (marked "second reader"). Scored as `dev_extra` first, before any rule was
# changed on them, then tuned on as dev.
DEV_EXTRA = {
    # --- annotator A (helper, 2026-12-05) ---
    # Russia offers the Eastern Ghouta rebels a safe exit while the Syrian army keeps shelling; the rest is
    # the Russian statement and an 8th humanitarian truce (not annotated).
    "ant-CN-middleEast-199-20180306": [
        # hesitated: "continues shelling" is ongoing, not habitual (cf. DEV 32 s3 "continuing targeting");
        # bare قصف, no aircraft in the article -> shelling; place = the Ghouta of the same sentence
        (0, "shelling", "R", "eastern-ghouta", {}, "a", None),
    ],
    # HTS fighters leave Eastern Ghouta under a deal with Jaysh al-Islam; a bus of 13 fighters on TV;
    # background: JAI's April 2017 operation and arrests, retaking of east Aleppo, the government's
    # shelling/air campaign and its recapture of the Ghouta countryside. S0 (agreement) not annotated.
    "ant-BB-middleEast-169-20180310": [
        # 0: fighters left "the area"; no group named in the sentence (HTS only in S0) -> no actor
        (1, "withdrawal", "", "eastern-ghouta", {}, "a", None),
        # 1-2 hesitated: arrests and the "security operation launched by JAI on 28 April 2017" are told as
        # background inside the JAI statement; arrest = seizure, operation launched = campaign; the
        # arrested are "their members" (HTS by pronoun only) -> no target named
        (3, "seizure", "JAI", "eastern-ghouta", {}, "2017-04-28", None),
        (3, "campaign", "JAI", "eastern-ghouta", {}, "2017-04-28", None),
        # 3: retaking of east Aleppo; the sentence gives no year -> article date by the rule (really 2016).
        # The past evacuations to Idlib "under previous agreements" are aggregate -> not annotated
        (5, "seizure", "R", "aleppo", {}, "a", None),
        # 4: the bus through al-Wafideen checkpoint = the departure of S1 (Wafideen not in the gazetteer)
        (6, "withdrawal", "", "new:al-wafideen-checkpoint|eastern-ghouta",
         {"vehicles": "حافلة واحدة", "fighters": "13 مقاتلا"}, "a", 0),
        # second reader: the related-link headline of S8 ("despite continuing fighting and shelling") names no act:
        # not annotated (habitual/ongoing), so S17's shelling is an event of its own
        # S16 "so that the government continues shelling" is subjunctive -> not annotated
        # 7: recapture of all the Ghouta countryside "in the last two weeks" (a range) -> article date
        (17, "seizure", "R", "eastern-ghouta", {}, "a", None),
        (17, "shelling", "R", "eastern-ghouta", {}, "a", None),
        (17, "airstrike", "R", "eastern-ghouta", {}, "a", None),
    ],
    # Russia offers the Ghouta rebels a safe exit; Faylaq al-Rahman accuses Russia of escalation; doctors
    # treat breathing difficulties after a government air strike (chlorine accusations); government forces
    # make rapid gains in the offensive.
    "ant-BB-middleEast-141-20180306": [
        # 0: "عددا من الأشخاص" is no number -> no figure
        (3, "airstrike", "R", "eastern-ghouta", {}, "a", None),
        # 1 hesitated: the accusation of chlorine use is the same incident as S3 (accusations reported
        # as acts are annotated, cf. DEV 382 s1) -> back-reference
        (4, "airstrike", "R", "eastern-ghouta", {}, "a", 0),
        # 2: "making rapid gains in a violent offensive" -> seizure (the offensive is its manner)
        (5, "seizure", "R+RU", "eastern-ghouta", {}, "a", None),
    ],
    # Turkish spokesman: Turkey will not stay in Afrin; a day after Turkey announced full control of Afrin
    # centre (Sunday 18 March); Olive Branch launched 20 January; FSA video entering the city; a hospital
    # under shelling in Afrin.
    "ant-CN-middleEast-301-20180319": [
        # 0: "one day after" a Monday report + "Sunday" -> 2018-03-18; Turkish and FSA flags -> TR, FSA
        (2, "seizure", "TR,FSA", "afrin", {}, "2018-03-18", None),
        # 1: PYD named as a target beside the YPG, not in the gazetteer
        (3, "campaign", "TR>YPG,new:pyd", "afrin", {}, "2018-01-20", None),
        # 2: the FSA entering the residential areas = the taking of the city of S2
        (4, "seizure", "FSA", "afrin", {}, "a", 0),
        # 3 hesitated: "a hospital under shelling" in a video teaser; told as fact -> shelling, no actor
        (5, "shelling", "", "afrin", {}, "a", None),
    ],
    # Video: pro-regime forces keep advancing in Eastern Ghouta; destruction in Ein Tarma, retaken by the
    # regime, from the battles there.
    "ant-CN-middleEast-364-20180325": [
        # 0 hesitated: "continue advancing towards" -> seizure (cf. TEST 148 s7-8, advances = seizure)
        (0, "seizure", "PRM", "eastern-ghouta|damascus", {}, "a", None),
        (1, "seizure", "R", "ein-tarma", {}, "a", None),
        # 2: "the battles the area witnessed" (the area = Ein Tarma); a clash of its own (no cross-type link)
        (2, "clash", "", "ein-tarma", {}, "a", None),
    ],
    # Kurds in Qamishli turn Nowruz into solidarity with Afrin, taken by Turkish forces on Sunday after the
    # Kurdish fighters withdrew; pictures of YPG fighters killed in two months of battles. Gatherings and the
    # Kurds' vow to strike Turkish forces not annotated.
    "ant-SK-middleEast-456-20180321": [
        (0, "seizure", "TR", "afrin", {}, "a", None),
        # 1: YPG fighters killed during the battles (~two months, no date given) -> clash, no number
        (2, "clash", "YPG", "afrin", {}, "a", None),
        # 2: "Turkish forces and Syrian factions loyal to it" -> TR, OPP (hesitated: OPP for the pro-Turkish
        # factions, cf. TEST 127 "فصائل معارضة سورية موالية لها"); Sunday in a Wednesday report -> 03-18
        (3, "seizure", "TR,OPP", "afrin", {}, "2018-03-18", 0),
        # 3: "Kurdish fighters" -> YPG (hesitated: not a gazetteer alias); date of the sentence as in DEV 264
        (3, "withdrawal", "YPG", "afrin", {}, "2018-03-18", None),
        # S4: Kurds "who deployed around the city" vow to strike -> threat sentence, not annotated
        # 4: "after their loss of Afrin" = the taking of Afrin
        (6, "seizure", "", "afrin", {}, "a", 0),
    ],
    # Buses with Jaysh al-Islam fighters and civilians leave Douma (Eastern Ghouta) for Jarabulus, Monday
    # evening, under a deal announced by Russia: 1146 fighters and families.
    "ant-SK-middleEast-745-20180402": [
        (0, "withdrawal", "JAI", "eastern-ghouta", {}, "2018-04-02", None),
        # figure as DEV 382 s13 ("قرابة 3200 من المسلحين" without "وأسرهم")
        (1, "withdrawal", "JAI", "douma|jarabulus|eastern-ghouta", {"fighters": "1146 من جيش الإسلام"}, "a", 0),
    ],
    # Chemical attack on Douma: at least 150 killed after toxic gas was dropped; >1000 affected; barrel bomb
    # with sarin dropped by a helicopter. Government denial, US "possible attack", history of chemical use:
    # not annotated.
    "ant-BB-middleEast-308-20180408": [
        # 0: gas "dropped" (and S9: from a helicopter) -> airstrike; no doer named
        (0, "airstrike", "", "douma|eastern-ghouta", {"killed": "150 شخصا على الأقل"}, "a", None),
        # 1: toll expected to rise (cf. DEV 3519 s3)
        (2, "airstrike", "", "", {}, "a", 0),
        # "affected" (تضرروا) is not wounded: people (second reader)
        (8, "airstrike", "", "", {"people": "أكثر من ألف شخص"}, "a", 0),
        (9, "airstrike", "", "", {}, "a", 0),
    ],
    # AP: US forces keep setting up new positions in Syria; a new post in Manbij set up about a week ago,
    # ringed by at least six armoured vehicles. Trump's withdrawal talk, expectations, troop count: not
    # annotated.
    "ant-SK-middleEast-780-20180404": [
        (0, "reinforcement", "US", "syria", {}, "a", None),
        # 1 hesitated: the Manbij post is the instance of S0's "new positions" -> back-reference (cf. TEST
        # 3717); "about a week ago" in a Wednesday 4 April report -> ISO week 13
        (1, "reinforcement", "US", "manbij", {}, "2018-W13", 0),
        (3, "reinforcement", "", "manbij", {}, "2018-W13", 0),
        # "the new position" = the Manbij post
        (5, "reinforcement", "", "manbij", {"vehicles": "ما لا يقل عن ست عربات مدرعة"}, "a", 0),
    ],
    # A US Tomahawk that failed to explode in the 14 April strike on regime sites handed to Russia; the
    # strike by US destroyers and British and French jets, over 100 missiles. Typed airstrike as the
    # 14 April strike is in DEV (382, 361).
    "ant-SK-middleEast-1250-20180425": [
        # 0: "an American Tomahawk" names the doer
        (0, "airstrike", "US>R", "", {}, "a", None),
        (1, "airstrike", "", "", {}, "a", 0),
        (7, "airstrike", "US,UK,FRA>R", "", {}, "2018-04-14", 0),
        # missiles counted as shells (DEV 3597 "أكثر من 100 صاروخ"); duration 50 minutes no figure kind
        (8, "airstrike", "US,UK", "syria", {"shells": "أكثر من 100 صاروخ"}, "a", 0),
        # hesitated: the claims "all missiles hit their targets" / "the army shot most down" tell the strike again
        (9, "airstrike", ">R", "", {}, "a", 0),
    ],
    # Russia to send new air-defence systems to Syria after a study of the Syrian interception of the US,
    # French and British missiles (the 14 April strike) fired over the Douma chemical accusation.
    "ant-CN-middleEast-722-20180425": [
        # 0 hesitated: the interception of the missiles tells the strike (cf. DEV 361 s0)
        (0, "airstrike", "US,FRA,UK", "", {}, "a", None),
        (3, "airstrike", "US,UK,FRA>R", "", {}, "a", 0),
        # 2 hesitated: the regime "accused of bombarding Douma with chemical weapons" (accusation reported as
        # act, cf. DEV 382 s1); no aircraft named -> shelling (README rule); date not given -> article's
        (3, "shelling", "R", "douma|eastern-ghouta", {}, "a", None),
    ],
    # Russian MP: Russia can "blind" US aircraft in Syria by electronic warfare. Statements only.
    "ant-CN-middleEast-734-20180426": [],
    # --- annotator B (helper, 2026-12-05) ---
    # Muntadhar al-Zaidi (the shoe thrower) runs for the Iraqi parliament. No event: the US occupation of
    # 2003 (s2 "احتل بلدي", s4, s7) is background inside his statements and outside the 2018 Syria/Iraq
    # conflict; the shoe throwing (s4) is a protest.
    "ant-CN-middleEast-792-20180503": [],
    # The US returns 3,800 smuggled antiquities to Iraq. No event (s12 "الغزو الأمريكي" of 2003 is background).
    "ant-FR-middleEast-396-20180503": [],
    # The Iraqi air force strikes an ISIS leadership site south of al-Dashisha inside Syria.
    "ant-CN-middleEast-819-20180506": [
        (0, "airstrike", "IQ>ISIS", "syria", {}, "a", None),
        # s1 only introduces Abadi's post (its quote goes on in s2): no act named, no row.
        (2, "airstrike", "IQ>ISIS", "new:dashisha|syria", {}, "a", 0),
        # s3 ("not the first time ... F-16s struck ... areas such as Albu Kamal") is a habitual series with
        # no date: not annotated, as in TEST ant-SK-3425 s4 and ant-CN-1236 s3.
    ],
    # Russian MoD: four Russian soldiers killed when armed groups attacked a Syrian artillery unit in Deir
    # ez-Zor; Syrian and Russian troops killed 43 attackers and destroyed 6 vehicles in an hour-long battle.
    "ant-CN-middleEast-1031-20180527": [
        # hesitated: s0 gives two tolls (four Russians, "43 مسلحا" attackers); a figures dict holds one
        # "killed", kept the act's headline toll (the Russians). Attackers unnamed ("مسلحين"): no actor.
        (0, "clash", ">RU", "syria", {"killed": "أربعة جنود روس"}, "a", None),
        (1, "clash", ">R,RU", "deir-ez-zor", {"killed": "اثنان من المستشارين الروس", "wounded": "5 آخرون"}, "a", 0),
        # s2 also tells two wounded soldiers died; "killed" kept for the 43 attackers the sentence counts.
        (2, "clash", "R,RU", "", {"killed": "43 إرهابيا", "vehicles": "6 عربات"}, "a", 0),
    ],
    # Hariri criticises Syria's Law No. 10 on refugees' property. No event.
    "ant-CN-middleEast-1005-20180523": [],
    # Syrian regime: missile attack on al-Dabaa military airport (Homs), intercepted by air defence.
    "ant-CN-middleEast-1016-20180524": [
        # missile attack, no aircraft named -> shelling (as DEV ant-BB-361, the Shayrat/Dumayr missiles).
        (0, "shelling", ">R", "new:dabaa-airport|homs", {}, "a", None),
        # hesitated on the place: "one of our military airports in the central region" = the Dabaa
        # airport of s0 (the referent's place, as for "the town").
        (1, "shelling", ">R", "new:dabaa-airport|homs", {}, "a", 0),
        # hesitated on the type: "explosions heard around the Dabaa airport" are the same missile attack
        # (told before the official statement), not a separate explosive event.
        (2, "shelling", "", "new:dabaa-airport|homs", {}, "a", 0),
    ],
    # SOHR: an explosion hit a military vehicle on the road from Ain Issa to a coalition base in northern
    # Syria, killing at least one (coalition or SDF, unknown); an earlier attack on a coalition base near
    # Ain Issa on 2 April; SDF took Raqqa and now fights ISIS's last pockets in Deir ez-Zor and Hasakah.
    "ant-SK-middleEast-2133-20180604": [
        # target unknown (a military vehicle, coalition or SDF per s2): no actor.
        (0, "explosive", "", "new:ain-issa|syria", {}, "a", None),
        (1, "explosive", "", "", {"killed": "شخص على الأقل"}, "a", 0),
        (2, "explosive", "", "", {}, "a", 0),
        # hesitated on the type: "استهداف قاعدة للتحالف" gives no means; typed explosive, the article
        # telling it as the precedent of this explosion (shelling would be the other reading).
        (3, "explosive", ">COAL", "new:ain-issa|raqqa", {}, "2018-04-02", None),
        # a seizure in a relative clause, no date given (as DEV ant-BB-553 s7, ant-BB-43 s9).
        (4, "seizure", "SDF>ISIS+COAL", "raqqa", {}, "a", None),
        # ongoing fighting "currently" (as TEST ant-SK-3721 s13).
        (5, "clash", "SDF>ISIS", "deir-ez-zor|hasakah", {}, "a", None),
    ],
    # Amnesty International accuses the US-led coalition of disregard for civilians in the 2017 Raqqa
    # campaign (SDF, June-October 2017, coalition air support); four documented cases of air strikes on
    # buildings full of civilians.
    "ant-SK-middleEast-2158-20180605": [
        # hesitated: the attack on Raqqa ("the Syrian city that was ISIS's capital") is the premise of
        # the accusation, a real event, so annotated; typed campaign like "the government forces'
        # offensive on Ghouta" in DEV ant-SK-273. No date in the sentence -> article's date.
        (0, "campaign", "COAL>ISIS", "raqqa", {}, "a", None),
        (1, "campaign", "COAL", "raqqa", {}, "a", 0),
        # s2 ("the coalition's numerous attacks"), s5 ("the fighting and air strikes caused destruction")
        # and s7 ("42 air, artillery and mortar strikes" visited) are aggregates: not annotated.
        # launched June 2017 ("من يونيو إلى أكتوبر من العام الماضي"): the launch month.
        (4, "campaign", "SDF+COAL", "raqqa", {}, "2017-06", 0),
        # "during the battle of Raqqa" = the same campaign.
        (6, "campaign", "ISIS,COAL", "raqqa", {}, "a", 0),
        # hesitated: the four documented cases, specific strikes but with no place or date in the sentence;
        # one row for the four, as "hundreds of strikes" is one row in TEST ant-SK-2765.
        (8, "airstrike", "", "", {}, "a", None),
        (9, "airstrike", "", "", {}, "a", 4),
        # hesitated: "such attacks are either ..." is generic, but "these attacks amount to war crimes"
        # names the four cases again: kept as a back-reference.
        (10, "airstrike", "", "", {}, "a", 4),
    ],
    # Canadian special forces stop assisting the Peshmerga; their help had contributed to the Iraqi
    # liberation of Mosul and Hawija; Canada tripled its special forces to 210 in February 2016.
    "ant-SK-middleEast-2254-20180609": [
        # s0 (halting training of the Peshmerga) is no act of the typology (no troops leave).
        # Mosul and Hawija are two seizures; "in October last year" dates Hawija only, Mosul's sentence
        # gives no date of its own -> the article's date (as DEV ant-BB-43 s9).
        (2, "seizure", "IQ>ISIS+new:canadian-forces", "mosul", {}, "a", None),
        (2, "seizure", "IQ>ISIS+new:canadian-forces", "hawija", {}, "2017-10", None),
        # hesitated: a build-up that happened (not a decision as in TEST ant-SK-1771 s2), kept as a
        # reinforcement; no place named in the sentence.
        (5, "reinforcement", "new:canadian-forces", "", {"fighters": "210"}, "2016-02", None),
    ],
    # Syrian state media: coalition aircraft struck a Syrian military position at al-Hari, south-east of
    # Albu Kamal, with dead and wounded; a pro-Assad commander says probably-American drones hit Iraqi
    # militias; the US military denies striking near Albu Kamal.
    "ant-SK-middleEast-2445-20180617": [
        # hesitated: the US denies being the doer, not that the strike happened (dead and wounded): an
        # event, with the doer the sentence names (the coalition, per the Syrian source).
        (0, "airstrike", "COAL>R", "syria", {}, "a", None),
        (1, "airstrike", "", "new:al-hari|bukamal", {}, "a", 0),
        # "unknown drones probably American": hedged doer left out; "الفصائل العراقية" -> Iran-backed
        # militias (PMF would be the other reading).
        (3, "airstrike", ">IBM,R", "bukamal|tanf", {}, "a", 0),
        # s4 is the denial: no row. s5 describes who the SDF are (fighting ISIS, backed by the coalition): habitual,
        # not annotated (second reader).
    ],
    # Fire at a Baghdad warehouse of ballot boxes of the May election. No conflict act (a fire, no attack).
    "ant-SK-middleEast-2310-20180611": [],
    # Regime air strikes on Idlib kill 30 civilians in 24 hours and put hospitals out of service; new strikes
    # on Taftanaz and Ram Hamdan; strikes said to answer an HTS attack on al-Fuah and Kafraya on Saturday;
    # Friday's raids the deadliest of the year.
    "ant-SK-middleEast-2307-20180611": [
        (0, "airstrike", "R", "idlib", {"killed": "30 قتيلا مدنيا"}, "a", None),
        (1, "airstrike", "R", "idlib", {"killed": "أكثر من 30 مدنيا"}, "a", 0),
        # "new strikes" -> a new event.
        (2, "airstrike", "", "new:taftanaz|new:ram-hamdan|idlib", {}, "a", None),
        # hesitated: the strike on al-Hikma hospital in Taftanaz may be one of s2's strikes on Taftanaz;
        # told apart ("in a related context", its own target and effect): a new event.
        (3, "airstrike", "", "new:taftanaz|idlib", {}, "a", None),
        # the earlier strikes on al-Nour children's hospital, "hours" before: place not given.
        (3, "airstrike", "", "", {}, "a", None),
        (4, "airstrike", "R", "", {}, "a", 0),
        # Saturday late (article Monday 11 June) -> 2018-06-09. "فصائل متحالفة معها" unnamed: no actor id.
        (4, "clash", "HTS", "foua|kafraya|idlib", {}, "2018-06-09", None),
        (5, "airstrike", "", "idlib", {}, "2018-06-08", None),
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
    extra = {a["id"]: a for a in map(json.loads, (here / "corpus" / "events_extra.jsonl").open(encoding="utf-8"))}
    split = json.loads((here / "corpus" / "news-split.json").read_text(encoding="utf-8"))
    split["dev_extra"] = list(extra)
    articles.update(extra)
    rows = []
    for name, table in (("dev", DEV), ("dev_extra", DEV_EXTRA), ("test", TEST)):
        for article_id, events in table.items():
            if article_id not in split[name]:
                raise ValueError(f"{article_id}: annotated as {name} but its corpus file puts it elsewhere")
            if any(r[6] is not None and (r[6] >= k or events[r[6]][6] is not None) for k, r in enumerate(events)):
                raise ValueError(f"{article_id}: a refers_to must name an earlier row that refers to nothing")
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
                    "id": f"{article_id}#{k}", "article_id": article_id, "split": "test" if name == "test" else "dev", "sentence_index": n,
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
    by["of which dev_extra"] = [r for r in rows if r["article_id"] in DEV_EXTRA]
    for s, rs in by.items():
        print(f"{s}: {len({r['article_id'] for r in rs})} articles, {len(rs)} mentions "
              f"({sum(r['refers_to'] is None for r in rs)} events, {sum(r['refers_to'] is not None for r in rs)} back-references)")
    listing = {name: sorted(table) for name, table in (("dev", DEV), ("dev_extra", DEV_EXTRA), ("test", TEST))}
    (out.parent / "events_news_articles.json").write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} and events_news_articles.json ({len(listing['dev'])} + {len(listing['dev_extra'])} dev, {len(listing['test'])} test articles)")

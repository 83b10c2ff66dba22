"""CSV and JSON output of events, through the API and `rag events`."""

from __future__ import annotations

import json

from rag.events import to_csv

SUKHNAH_ARTICLE = "000_81d095f2c667699f"


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

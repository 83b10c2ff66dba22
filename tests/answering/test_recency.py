"""A recency phrase never hides a report of unknown date (issue 12, item 4), on the real seed index.

The seed index's newest dated report is 2021-02-25 (004); the Sukhnah reinforcement report (000)
has no date. "Last week" is read against 2021-02-25 and keeps only reports of that week.
"""

from rag import NOT_IN_SOURCES

UNDATED = "000_81d095f2c667699f"


def test_recency_question_still_finds_the_undated_report(seed_agent):
    answer = seed_agent.ask("Which militias reinforced Sukhnah last week?")
    assert answer.text != NOT_IN_SOURCES["en"] and not answer.abstained
    assert UNDATED in {c.article_id for c in answer.citations}, "the undated report is cited"
    cited = [s for s in answer.sources if s.article_id == UNDATED]
    assert cited and all(not s.date for s in cited), "it is shown as of unknown date"
    dated = [i for i, s in enumerate(answer.sources) if s.date]
    undated = [i for i, s in enumerate(answer.sources) if not s.date]
    assert not dated or not undated or max(dated) < min(undated), "dated reports of the period rank first"
    assert "2021-02-25" in answer.period, "the period says what the phrase was read against"
    assert any("unknown date" in w for w in answer.warnings)


def test_explicit_dates_still_filter_undated_reports_out(seed_agent):
    answer = seed_agent.ask("Which militias reinforced Sukhnah?", since="2021-02-01", until="2021-02-28")
    assert UNDATED not in {s.article_id for s in answer.sources}
    assert answer.excluded_undated >= 1

"""Figures are quoted verbatim, with their kind."""

from __future__ import annotations

import pytest

from rag.events import find_figures


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

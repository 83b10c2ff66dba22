"""Romanising names the gazetteer does not know: the bundled offline romaniser, Syrian spellings."""

from __future__ import annotations

import pytest

from rag.romanise import romanise


@pytest.mark.parametrize("arabic, latin", [
    ("كمروك", "Kamrouk"),
    ("عين عيسى", "Ein Issa"),
    ("داقوق", "Daqouq"),  # the Syrian convention, not the Maghrebi "Dagoug"
])
def test_a_name_gets_its_likely_latin_spelling(arabic, latin):
    assert romanise(arabic) == latin


@pytest.mark.parametrize("text", ["", "Kamrouk", "قرية 12", "كمروك!"])
def test_only_arabic_letters_are_romanised(text):
    assert romanise(text) is None

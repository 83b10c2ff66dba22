"""Citations in answer text: the `[n]` format, parsing and verification (pure functions).

The `Citation` and `Source` records themselves live in rag/citation.py (one shape for answers,
briefings, events, the UI and the evaluation); this module reads and checks the marks that point at them.
`NOT_IN_SOURCES` is the one sentence that says the corpus has no answer; the
prompt, the parser, the tests and the evaluation all use these constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import arabic
from ..citation import Citation, Source, citation_from
from ..splitting import sentence_spans

NOT_IN_SOURCES = {"en": "Not in the sources.", "ar": "لا يوجد ذلك في المصادر."}
CITATION_FORMAT = "[n]"  # inline, after the sentence it supports; several as [1][3] or [1, 3]

CITE_MARK = re.compile(r"\[\s*([0-9٠-٩]+(?:\s*[,،]\s*[0-9٠-٩]+)*)\s*\]")  # [1], [1, 2], [١]: the one citation-mark pattern

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass
class Sentence:
    """An answer sentence, the citation numbers it carries, and whether it lacks one."""

    text: str
    cites: list[int]
    support: dict[int, dict] = field(default_factory=dict)  # citation n -> the support check's outcome

    @property
    def uncited(self) -> bool:
        return not self.cites

    @property
    def unsupported(self) -> bool:
        """True when the sentence has citations and none of them supports it."""
        return bool(self.cites) and bool(self.support) and not any(v["status"] == "supported" for v in self.support.values())


@dataclass
class Verified:
    """The outcome of checking an answer's citations against the numbered sources."""

    sentences: list[Sentence]
    citations: list[Citation]
    removed: int  # citation marks that pointed at no retrieved source
    uncited: list[str]  # answer sentences with no (valid) citation
    abstained: bool

    def support_counts(self) -> dict:
        """Per answer: citations by support outcome, and claims (cited sentences) supported by at least one citation."""
        return support_counts(self.sentences)


def support_counts(sentences: list[Sentence]) -> dict:
    """Counts of (claim, citation) outcomes and of claims supported, unsupported, uncited (pure)."""
    outcomes = [v["status"] for s in sentences for v in s.support.values()]
    cited = [s for s in sentences if s.cites]
    return {
        "checked": bool(outcomes),
        "supported": outcomes.count("supported"),
        "unsupported": outcomes.count("unsupported"),
        "unresolved": outcomes.count("unresolved"),
        "claims": len(sentences),
        "claims_supported": sum(1 for s in cited if any(v["status"] == "supported" for v in s.support.values())),
        "claims_unsupported": sum(1 for s in cited if s.unsupported),
        "claims_uncited": len(sentences) - len(cited),
    }


def parse_citations(text: str) -> list[Sentence]:
    """Split an answer into sentences and the [n] marks each carries (a mark opening a sentence belongs to the previous one)."""
    out: list[Sentence] = []
    for start, end in sentence_spans(text):
        piece = text[start:end]
        lead = re.match(r"^(\s*(?:\[[^\]]*\]\s*)+)", piece)
        if lead and out and CITE_MARK.search(lead.group(1)):
            out[-1].cites.extend(_numbers(lead.group(1)))
            piece = piece[lead.end():]
        nums = _numbers(piece)
        body = " ".join(CITE_MARK.sub("", piece).split())
        body = re.sub(r"\s+([.,،؛!?؟])", r"\1", body)
        if body and any(c.isalnum() for c in body):
            out.append(Sentence(body, nums))
        elif nums and out:
            out[-1].cites.extend(nums)
    for s in out:
        s.cites = list(dict.fromkeys(s.cites))
    return out


def is_not_in_sources(text: str) -> bool:
    """True when the answer is the shared 'not in the sources' sentence (in either language)."""
    key = arabic.normalize(" ".join(CITE_MARK.sub("", text).split())).strip(" .")
    return any(key.startswith(arabic.normalize(p).strip(" .")) for p in NOT_IN_SOURCES.values())


Scorer = Callable[[str, list[str]], list[float]]


def verify(text: str, sources: list[Source], scorer: Scorer | None = None, checker=None) -> Verified:
    """Keep citations that resolve to a numbered source, attach their quotes, count the rest.

    `scorer(claim, sentences)` ranks a source's sentences as support for a claim
    (the agent passes a cross-lingual embedding scorer); by default, token overlap.
    `checker` (a `rag.answering.support.SupportCheck`) checks that each cited source says the
    claim: the outcome goes on the sentence (per n) and the citation; a supported claim quotes
    the sentence(s) that support it, an unsupported one the closest sentence, so people see
    what the source does say. Citations shared by claims take the worst outcome.
    """
    if is_not_in_sources(text):
        return Verified([], [], 0, [], True)
    by_n = {s.n: s for s in sources}
    sentences = parse_citations(text)
    removed = 0
    citations: dict[tuple[int, str], Citation] = {}
    uncited: list[str] = []
    for sentence in sentences:
        valid = [n for n in sentence.cites if n in by_n]
        removed += len(sentence.cites) - len(valid)
        sentence.cites = valid
        if not valid:
            uncited.append(sentence.text)
        for n in valid:
            if checker is not None:
                found = checker.check(sentence.text, by_n[n].text, by_n[n].title)
                sentence.support[n] = found.to_dict()
                if found.start is not None and (found.status == "supported" or scorer is None):
                    cite = citation_from(by_n[n], found.start, found.end)
                else:
                    cite = quote_for(sentence.text, by_n[n], scorer)
                cite.support = found.to_dict()
            else:
                cite = quote_for(sentence.text, by_n[n], scorer)
            kept = citations.setdefault((n, cite.quote), cite)
            if kept is not cite and cite.support and _badness(cite.support) > _badness(kept.support):
                kept.support = cite.support
    return Verified(sentences, sorted(citations.values(), key=lambda c: c.n), removed, uncited, False)


_WORSE = {"supported": 1, "unresolved": 2, "unsupported": 3}


def _badness(support: dict[str, Any] | None) -> int:
    """How bad a support outcome is: unchecked 0, supported 1, unresolved 2, unsupported 3."""
    if not support:
        return 0
    return _WORSE.get(str(support.get("status", "")), 0)


def overlap_scores(claim: str, sentences: list[str]) -> list[float]:
    """Token overlap of a claim with each sentence, length-damped (pure)."""
    claim_tokens = set(arabic.tokens(claim))
    out = []
    for sentence in sentences:
        tokens = set(arabic.tokens(sentence))
        out.append(len(claim_tokens & tokens) / (1 + len(tokens) ** 0.5))
    return out


def quote_for(claim: str, source: Source, scorer: Scorer | None = None) -> Citation:
    """The sentence of a source that best supports a claim, with article offsets."""
    spans = sentence_spans(source.text) or [(0, len(source.text))]
    if len(spans) == 1:
        return citation_from(source, *spans[0])
    scores = (scorer or overlap_scores)(claim, [source.text[s:e] for s, e in spans])
    best = max(range(len(spans)), key=lambda i: scores[i])
    return citation_from(source, *spans[best])


UNSUPPORTED = "unsupported"  # the text mark of a claim its citations do not support: "[unsupported: why]"


def support_note(sentence: Sentence) -> str:
    """The mark put after a claim none of whose citations supports it ('[unsupported: why]'), else ''."""
    if not sentence.unsupported:
        return ""
    whys = [v["why"] for v in sentence.support.values() if v["status"] == "unsupported" and v.get("why")]
    return f"[{UNSUPPORTED}: {'; '.join(dict.fromkeys(whys)) or 'the cited source does not say this'}]"


def render(sentences: list[Sentence]) -> str:
    """Sentences back to text with their [n] marks."""
    return " ".join(s.text + "".join(f" [{n}]" for n in s.cites) for s in sentences).strip()


def _numbers(text: str) -> list[int]:
    nums: list[int] = []
    for group in CITE_MARK.findall(text):
        nums.extend(int(x.translate(_DIGITS)) for x in re.split(r"\s*[,،]\s*", group) if x.strip())
    return nums

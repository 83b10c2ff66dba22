"""Agent: the one public entry point. Wires settings, embedder, store, retriever and answerers.

    from rag import Agent
    agent = Agent.open("index", create=True)   # an existing index: Agent.open("index")
    agent.ingest(["reports/"])
    answer = agent.ask("Which militias reinforced Sukhnah?")
    answer.text, answer.mode, answer.abstained, answer.citations

Every part can be injected (`Agent(settings, store=..., llm=...)`); defaults come
from `Settings`. With no LLM configured, answers are extractive and say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from langchain_core.language_models.chat_models import BaseChatModel

from . import arabic
from . import llm as llm_mod
from .answering import calibrated as cal
from .answering import extractive as ex
from .answering import followup
from .answering.answer import EXTRACTIVE, Answer, number_sources
from .answering.chain import prompt_inputs
from .answering.citations import NOT_IN_SOURCES, render, support_note, verify
from .answering.events_hint import event_evidence
from .answering.numbering import in_order_of_use
from .answering.support import SupportCheck
from .corpus import Corpus
from .dates import parse_user_date, question_period
from .embeddings import Embedder, embed_query, make_embedder
from .events import EventIndex
from .events.gist import best_first, gist_of, glossed, sentence_claim, with_gist
from .events_store import all_stored, events_of, extract_acts
from .gazetteer import Gazetteer
from .prompts import load_prompt
from .retrieval import Filters, Hit, Retriever
from .sentences import StoredFirst, quote_closeness
from .settings import Settings
from .store import Store
from .terms import Terms

if TYPE_CHECKING:  # imported lazily at run time: `import rag` stays cheap
    from .briefing import Briefing
    from .citation import Source
    from .events import Event

DateLike = str | date | None  # an ISO date (or week/month forms parse_user_date reads), a date, or none

_UNSET = object()


@dataclass
class Gathered:
    """What one question retrieved and how its evidence scored (see Agent.gather)."""

    filters: Filters
    period: str | None
    hits: list[Hit]
    sources: list[Source]
    named: list[ex.Named]
    evidence: list[ex.Evidence]
    best_similarity: float | None
    missing_names: list[str]
    type_missing: str  # why a count question has no sentence giving the number, or ''
    reason: str  # why the answer abstains, or ''
    info: cal.QuestionInfo | None = None  # what the question asks for (calibrated selection)
    scored: cal.Scored | None = None  # the evidence re-scored by the select model, with features
    features: dict | None = None  # the answerable model's features of this question
    answerable: float | None = None  # the answerable model's probability
    asked: str = ""  # the question as typed, when a follow-up was made standalone (the searched one is `search`)
    search: str = ""  # the question retrieval and the answer used
    about: str = ""  # what a follow-up carried from earlier turns ("about: Liwa al-Baqir, Sukhnah"), or how it was read
    events: list = field(default_factory=list)  # the events matched to the question, best first (English gist)
    source_events: list = field(default_factory=list)  # every event of the sources' reports (the gist glosses the quotes)
    types: frozenset = frozenset()  # the event types the question names (rag.answering.events_hint.Facets.types)


# Question periods that ask for recency ("last week", "since May") filter on publication dates.
_RELATIVE = re.compile(
    r"\b(?:last|this|past|previous|recent|ago|since|before|after|until|till|between|yesterday|today)\b"
    r"|الماضي|الفائت|المنصرم|الحالي|الجاري|هذا|هذه|منذ|قبل|بعد|حتى|بين|أمس|الأخير",
    re.I,
)


class Agent(Corpus):
    """Ask questions, brief, list events, and (from rag/corpus.py) ingest and list what is indexed, over one index."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        store: Store | None = None,
        llm: BaseChatModel | None | object = _UNSET,
        gazetteer: Gazetteer | None = None,
        terms: Terms | None = None,
        calibration: cal.Calibration | None = None,
        create: bool = True,
    ):
        self.settings = settings or Settings.load()
        self.embedder = embedder or (store.embedder if store else make_embedder(self.settings.embed.embedder))
        self.store = store or Store(self.settings.store, self.embedder, create=create)
        self.gazetteer = gazetteer or Gazetteer.load()
        self.terms = terms or Terms.load()
        self.retriever = Retriever(self.store, self.settings.retrieval, self.gazetteer)
        self.calibration = calibration or cal.Calibration.load()
        self.llm: BaseChatModel | None = llm_mod.make_chat_model(self.settings.llm) if llm is _UNSET else cast("BaseChatModel | None", llm)
        self.event_index = EventIndex(self.store, all_stored, self.settings.events, extract_acts)  # every event of the index, cached on its version

    @classmethod
    def open(cls, index: str | Path | None = None, settings: Settings | None = None, *, create: bool = False, **parts) -> Agent:
        """An agent over an existing index folder (or RAG_CHROMA_URL server); a missing one raises StoreError unless `create`."""
        if index is not None and not isinstance(index, (str, Path)):
            raise TypeError(f"Agent.open: index must be a folder path (str or Path), not {type(index).__name__}")
        settings = settings or Settings.load()
        if index is not None:
            settings.store.index_dir = Path(index)
        return cls(settings, create=create, **parts)

    # -- corpus ----------------------------------------------------------------

    def stats(self) -> dict:
        """Index size, embedder, and the LLM in use."""
        info = self.store.info()
        rows = self.articles()
        info["undated_articles"] = sum(1 for r in rows if r["date"] is None)
        info["llm"] = llm_mod.label(self.settings.llm) if self.llm is not None else None
        info["llm_base_url"] = self.settings.llm.base_url
        return info

    # -- asking ----------------------------------------------------------------

    def filters(self, question: str, since: DateLike = None, until: DateLike = None, sources: Sequence[str] | None = None) -> tuple[Filters, str]:
        """Explicit filters, else the period a question names ('last week', 'since May'); see `preference`."""
        since_d = _as_date(since)
        until_d = _as_date(until, end=True)
        _check_period(since_d, until_d)
        sources = self.outlets(sources)
        period = ""
        if since_d is None and until_d is None:
            anchor = self.newest_date()
            found = question_period(question, anchor)
            if found and _RELATIVE.search(found.matched):
                since_d, until_d = found.since, found.until
                period = f"{found.description} (\"{found.matched}\", read against the newest report in the index, {anchor})"
            elif found:
                period = f"{found.description} (named in the question: preferred in ranking, not a filter; use since/until to filter)"
        elif since_d or until_d:
            period = f"{since_d or '…'} to {until_d or '…'}"
        return Filters(since_d, until_d, tuple(sources or ())), period

    def naming_chunks(self, hits: list[Hit], named: list[ex.Named]) -> list[Hit]:
        """Other chunks of the retrieved reports that name what the question names and no retrieved chunk does.

        A report is cut into chunks, and the one retrieval ranks first may be the one that does not name the
        place or group the question gives (dev-more, 2026-12-06: the Hashd ambush at «السعدونية» in Hawija was
        retrieved by its second chunk, the names sit in its first, and the question was refused as "the sources
        never mention Saadouniya, Hawija"). Such chunks join the sources after the retrieved ones, at most two,
        in report and text order, so the name check and the evidence read the report the retrieval chose.
        Nothing is fetched when every named thing is already in a retrieved chunk (most asks)."""
        missing = set(ex.missing_names(named, number_sources(hits), self.gazetteer)) if hits else set()
        if not missing:
            return []
        have = {h.chunk.id for h in hits}
        wanted = [n for n in named if n.label in missing]
        extra = [c for c in self.store.chunks_of(list(dict.fromkeys(h.chunk.article_id for h in hits)))
                 if c.id not in have and any(n.in_text(c.text) for n in wanted)]
        floor = min(h.score for h in hits)
        return [Hit(c, floor) for c in extra[:2]]

    def preference(self, question: str, filters: Filters) -> Filters | None:
        """A date a question names without asking for recency ("in May 2020", "on 7 February 2018").

        Reports of any later date may describe it, so it is not a filter: reports published in
        that period or up to two weeks after it are ranked first instead.
        """
        if filters.dated:
            return None
        found = question_period(question, self.newest_date())
        if not found or _RELATIVE.search(found.matched):
            return None
        until = found.until + timedelta(days=14) if found.until else None
        return Filters(found.since, until)

    def ask(self, question: str, since: DateLike = None, until: DateLike = None, sources: Sequence[str] | None = None, k: int | None = None, *,
            mode: str | None = None, history: Sequence[tuple[str, str]] | None = None) -> Answer:
        """Answer a question with verified citations; 'extractive' mode unless an LLM is configured.

        `history` is the conversation so far, [(question, answer text), ...] oldest first: a follow-up
        ("When did that happen?") is made standalone before retrieval (see `standalone`).
        """
        answer = None
        for item in self.stream(question, since=since, until=until, sources=sources, k=k, mode=mode, history=history):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def gather(self, question: str, since: DateLike = None, until: DateLike = None, sources: Sequence[str] | None = None, k: int | None = None) -> Gathered:
        """Everything an answer is made from: filters, numbered sources, scored evidence, and why to abstain.

        The answer path (`stream`) and the evaluator both read it, so calibration sees what answers see.
        """
        question = check_question(question)
        k = _check_k(k)
        filters, period = self.filters(question, since, until, sources)
        if not _has_words(question):  # punctuation or symbols alone ask nothing: refused before any search
            return Gathered(filters, period, [], [], [], [], None, [], "", "the question has no words to search for")
        query = embed_query(self.embedder, question)  # once: retrieval, sentence scores and event quotes share it
        hits = self.retriever.retrieve(question, k, filters, query_vector=query, prefer=self.preference(question, filters))
        if filters.dated and period and not (since or until):
            # a recency phrase ("since May", "last week") never hides a report of unknown date: undated
            # reports are searched too and ranked after the dated ones of the period ("date unknown")
            undated = replace(filters, since=None, until=None, undated_only=True)
            seen = {h.chunk.id for h in hits}
            extra = [h for h in self.retriever.retrieve(question, k, undated, query_vector=query) if h.chunk.id not in seen]
            hits = hits + extra[: max(2, (k or self.settings.retrieval.k) // 2)]
        named = ex.named_in_question(question, self.gazetteer, self.terms)
        hits = hits + self.naming_chunks(hits, named)
        srcs = number_sources(hits)
        evidence = ex.score_sentences(question, srcs, self.embedder, named, self.retriever.sentences, query_vector=query)
        # who/where/when: the events of the retrieved reports join the candidates with their quotes.
        # (Only those reports: extracting events over a whole large index would cost every one-shot ask.)
        # Events and sentence vectors were stored at ingest (rag/events_store.py, rag/sentences.py): read, not remade.
        events = events_of(self.store, (s.article_id for s in srcs), self.gazetteer, self.settings.events)
        closeness = quote_closeness(self.retriever.sentences, events, srcs, self.store.get_chunks, query)
        hint = event_evidence(question, events, srcs, evidence, self.gazetteer, self.store.get_chunks, filters,
                              similarity_of=closeness, tuning=self.settings.answer)
        srcs, evidence = hint.sources, hint.evidence
        best = ex.best_similarity(evidence)
        verdict = ex.abstention(question, srcs, evidence, named, self.settings.answer, self.gazetteer)
        # the calibrated models (rag/answering/calibrated.py): which sentence answers, and whether any does
        info = cal.question_info(question, named, hint.facets.aspects)
        scored = cal.rescore(info, evidence, self.calibration.select, self.gazetteer)
        features = cal.question_features(info, scored)
        p = self.calibration.answerable.score(features)
        reason = verdict.reason
        features |= cal.topic_features(info, best, self.retriever.background(query), self.retriever.known_share(question))
        # both abstention models were fitted on conflict news: on an index the gazetteer does not know (domain share
        # under answer.calibration_min_domain, e.g. Wikipedia paragraphs) only the hard rules above refuse
        fitted_domain = self.retriever.domain_share() >= self.settings.answer.calibration_min_domain
        topic = self.calibration.topic
        # off-topic means nothing in the index is about the question: when the user narrowed the search (sources,
        # dates), the filtered evidence says nothing of the index as a whole, so the check is left to unfiltered asks
        narrowed = bool(sources) or since is not None or until is not None
        if topic is not None and fitted_domain and not narrowed and (p_topic := topic.score(features)) < topic.threshold:
            reason = cal.why_off_topic(topic, p_topic)  # off the index's subject: refused before the evidence is weighed
        if reason and k is not None and k < self.settings.retrieval.k:
            reason += f" (only {k} source(s) were retrieved, k={k}; a larger k may find it)"
        if not reason and evidence and fitted_domain and p < self.calibration.answerable.threshold:
            reason = cal.why_not(self.calibration.answerable, features, p)
        evidence = scored.evidence
        return Gathered(
            filters=filters,
            period=period,
            hits=hits,
            sources=srcs,
            named=named,
            evidence=evidence,
            best_similarity=None if best != best else best,
            missing_names=verdict.missing_names,
            type_missing=verdict.type_missing,
            reason=reason,
            info=info,
            scored=scored,
            features=features,
            answerable=p,
            events=list(hint.events),
            source_events=events,
            types=hint.facets.types,
        )

    def standalone(self, question: str, history: Sequence[tuple[str, str]] | None, *, mode: str | None = None) -> tuple[str, str, str]:
        """(question to search, note for the user, warning) for a chat turn; unchanged without history.

        With an LLM, the condense prompt (prompts/condense.md) rewrites the follow-up from the last
        turns; without one, or when it fails, the earlier turns' places, actors, event type and period
        are carried into the search (rag/answering/followup.py) and the note says what was carried.
        """
        question = question.strip()
        turns = [(str(q or ""), str(a or "")) for q, a in (history or []) if str(q or "").strip()]
        if not turns:
            return question, "", ""
        warning = ""
        if self.llm is not None and mode != EXTRACTIVE:
            try:
                reply = (load_prompt("condense") | self.llm).invoke(
                    {"history": followup.history_text(turns), "question": question}).content
                line = next((ln.strip().strip('"«»') for ln in str(reply).splitlines() if ln.strip()), "")
                if line and len(line) <= 4 * len(question) + 300:
                    return line, (f"read as: {line}" if line != question else ""), ""
                warning = "the LLM's standalone question was empty or too long"
            except Exception as exc:  # a failed condense step must not lose the question: carry names instead
                warning = llm_mod.describe_error(exc, self.settings.llm)
            warning = f"LLM failed to make the follow-up standalone ({warning}); carried the earlier turns' names instead"
        s = followup.standalone(question, turns, self.gazetteer, self.terms, self.newest_date())
        return s.search, s.note, warning

    def stream(self, question: str, since: DateLike = None, until: DateLike = None, sources: Sequence[str] | None = None, k: int | None = None, *,
               mode: str | None = None, history: Sequence[tuple[str, str]] | None = None) -> Iterator[str | Answer]:
        """Yield pieces of answer text as they are written, then the final Answer (`history`: see `ask`)."""
        question = check_question(question)
        lang = ex.language(question)
        search, about, condense_warning = self.standalone(question, history, mode=mode)
        got = self.gather(search, since, until, sources, k)
        got.asked, got.search, got.about = question, search, about
        filters, period, hits, srcs, reason = got.filters, got.period, got.hits, got.sources, got.reason
        base = Answer(question, "", EXTRACTIVE, False, sources=srcs, period=period or "")
        base.best_similarity = got.best_similarity
        base.gathered = got
        if condense_warning:
            base.warnings.append(condense_warning)
        question = search  # retrieval, the answer prompt and the evidence read the standalone question
        if filters.dated and (since or until):
            base.excluded_undated = sum(1 for r in self._article_dates().values() if not r["date"])
            if base.excluded_undated:
                base.warnings.append(f"{base.excluded_undated} article(s) with unknown dates were left out of this dated search ({period})")
        elif filters.dated and any(not s.date for s in got.sources):
            base.warnings.append(f"reports of unknown date were searched too and ranked after those of {period}: "
                                 "they are marked 'date unknown'")
        use_llm = self.llm is not None and mode != EXTRACTIVE
        if use_llm:
            base.mode = llm_mod.label(self.settings.llm)
        if reason:
            base.text, base.abstained, base.abstain_reason = NOT_IN_SOURCES[lang], True, reason
            yield base.text
            yield base
            return
        if use_llm:
            try:
                yield from self._llm_answer(question, lang, hits, base)
                return
            except Exception as exc:  # every LLM fault falls back to the extractive answer
                base.llm_error = llm_mod.describe_error(exc, self.settings.llm)
                base.mode = EXTRACTIVE
                base.warnings.append(f"LLM failed: {base.llm_error}; this is the extractive answer instead")
        yield from self._extractive_answer(question, got, base)

    def _extractive_answer(self, question: str, got: Gathered, answer: Answer) -> Iterator[str | Answer]:
        if got.scored is not None and got.info is not None:
            chosen = cal.choose(got.scored, self.calibration.select, got.info, self.settings.answer.max_sentences)
        else:
            chosen = ex.select(got.evidence, self.settings.answer)
        text, _ = ex.compose(question, chosen)
        body = "\n".join(line for line in text.splitlines() if line.startswith("- "))
        checked = verify(body, answer.sources, checker=self.support_check())  # verbatim quotes: supported by construction
        answer.support = checked.support_counts()
        answer.text, answer.citations, answer.sentences = text, checked.citations, checked.sentences
        answer.removed_citations, answer.uncited = checked.removed, checked.uncited
        if ex.language(question) == "en":  # English lines for the quoted sentences' events, each cited (rag/events/gist.py)
            ranked = [(ev.source.article_id, ev.source.start + ev.start, ev.source.start + ev.end) for ev in chosen]
            asked = {m.entry.id for m in self.gazetteer.find(question)}
            items = glossed(best_first(answer.citations, ranked), got.source_events, got.events, got.types,
                            self.gazetteer, asked)
            answer = with_gist(answer, items, check=self._gist_agrees)
            self._check_gist(answer)
        answer = in_order_of_use(answer)  # [1], [2], ... as read, before any line is shown
        answer.gist = gist_of(answer)
        yield from answer.text.splitlines(keepends=True)
        yield answer

    def _llm_answer(self, question: str, lang: str, hits, answer: Answer) -> Iterator[str | Answer]:
        assert self.llm is not None, "the LLM path runs only with an LLM configured (see stream)"
        prompt = load_prompt("answer")
        generate = prompt | self.llm
        pieces: list[str] = []
        for chunk in generate.stream(prompt_inputs(question, answer.sources, lang)):
            piece = chunk.content if isinstance(chunk.content, str) else ""
            pieces.append(piece)
            yield piece
        reply = "".join(pieces).strip()
        checked = verify(reply, answer.sources, self._support_scorer, self.support_check())
        if checked.abstained:
            answer.text, answer.abstained, answer.abstain_reason = NOT_IN_SOURCES[lang], True, "the LLM found no answer in the sources"
            yield answer
            return
        if not checked.citations:
            raise llm_mod.LLMError("the LLM's answer carried no citation that resolves to a retrieved source (malformed output)")
        counts = checked.support_counts()
        cited = counts["claims"] - counts["claims_uncited"]
        if counts["claims_unsupported"] * 2 > cited:  # most claims unsupported: the answer as a whole is not grounded
            why = next((support_note(s) for s in checked.sentences if s.unsupported), "")
            raise llm_mod.LLMError(f"{counts['claims_unsupported']} of {cited} cited claims are not supported by the sources "
                                   f"they cite (first: {why})")
        answer.text = render(checked.sentences)
        for s in checked.sentences:
            if s.uncited:
                answer.text = answer.text.replace(s.text, s.text + " [no source]", 1)
            elif s.unsupported:
                marked = s.text + "".join(f" [{n}]" for n in s.cites)
                answer.text = answer.text.replace(marked, marked + " " + support_note(s), 1)
        answer.support = counts
        if counts["claims_unsupported"]:
            answer.warnings.append(f"{counts['claims_unsupported']} claim(s) are not supported by the source they cite "
                                   "and are marked [unsupported: why]")
        answer.citations, answer.sentences = checked.citations, checked.sentences
        answer.removed_citations, answer.uncited = checked.removed, checked.uncited
        if checked.removed:
            answer.warnings.append(f"{checked.removed} citation(s) pointed at no retrieved source and were removed")
        if checked.uncited:
            answer.warnings.append(f"{len(checked.uncited)} sentence(s) carry no citation and are marked [no source]")
        yield in_order_of_use(answer)  # the streamed draft showed the model's numbers; the Answer reads [1], [2], ...

    # -- briefings and events ------------------------------------------------------

    def brief(self, week: str | None = None, since: DateLike = None, until: DateLike = None, *, mode: str | None = None, about: str = "",
              place: str = "", actor: str = "", outlet: str = "", top: int = 8, lang: str = "en") -> Briefing:
        """A scoped, ranked, cited briefing of an ISO week or a period (default: the last complete week)."""
        from .briefing import build_briefing

        return build_briefing(self, week=week, since=since, until=until, mode=mode, about=about, place=place,
                              actor=actor, outlet=outlet, top=top, lang=lang)

    def events(self, since: DateLike = None, until: DateLike = None, actor: str | None = None, place: str | None = None,
               type: str | None = None, *, mode: str | None = None) -> list[Event]:
        """Structured, cited events (who did what, where, when) matching the filters."""
        from .events import query_events

        _check_period(_as_date(since), _as_date(until, end=True))
        return query_events(self, since=_as_date(since), until=_as_date(until, end=True), actor=actor, place=place, type=type, mode=mode)

    def _gist_agrees(self, line: str, quote: str) -> bool:
        """A gist line is shown only when its numbers and names agree with its quote (rules check; the governorates the
        gazetteer adds in brackets are not the sentence's claim). Its polarity is the
        extractor's: a negated act makes no event (rag.events.triggers.is_event reads the words before the trigger),
        while the check's negation test reads the whole quote ("إلا أن إسرائيل لم تعلق" is no denial of the strike)."""
        why = self.support_check().rule_problem(sentence_claim(line), quote)
        return not why or why.startswith("negation")

    def _check_gist(self, answer: Answer) -> None:
        """Gist lines are written from their quote's event: check their numbers, names and polarity against it, and count them."""
        for g in getattr(answer, "gist", None) or []:
            found = self.support_check().check_rules(sentence_claim(g["text"]), g["quote"]).to_dict()
            if g.get("kind") == "names" and str(found.get("why", "")).startswith("negation"):
                # a names line tells no act, so a «لم» in its passage denies nothing it says: its names are checked
                found = {"status": "supported", "why": "names the passage gives, no act claimed", "similarity": None}
            for c in answer.citations:
                if c.article_id == g["article_id"] and (c.start, c.end) == (g["start"], g["end"]) and c.support is None:
                    c.support = found
            ok = found["status"] == "supported"
            for key, add in (("claims", 1), ("claims_supported", ok), ("supported", ok), ("claims_unsupported", not ok), ("unsupported", not ok)):
                answer.support[key] = answer.support.get(key, 0) + int(add)

    def support_check(self) -> SupportCheck:
        """The support check of cited claims (numbers, names, negation, similarity floor), made once per agent."""
        if getattr(self, "_support", None) is None:
            self._support = SupportCheck(StoredFirst(self.retriever.sentences), self.gazetteer,  # cited sentences: stored vectors
                                         self.settings.answer.support_floor, self.settings.answer.support_margin)
        return self._support

    def _support_scorer(self, claim: str, sentences: list[str]) -> list[float]:
        """Cross-lingual support of a claim by each sentence: e5 similarity plus token overlap."""
        sims = self.retriever.sentences.lookup(sentences) @ embed_query(self.embedder, claim)  # source sentences: stored vectors
        named = ex.named_in_question(claim, self.gazetteer, self.terms)
        tokens = set(arabic.tokens(claim))
        return [ex.support_score(float(sim), named, tokens, s) for sim, s in zip(sims, sentences)]


def _has_words(question: str) -> bool:
    """Whether a question has a word of two letters or more (punctuation and symbols alone ask nothing)."""
    return any(len(t) > 1 and not t.isdigit() for t in arabic.tokens(question, stem=False, drop_stopwords=False))


# e5 reads 512 tokens (about 1,500 characters of Arabic) and cuts the rest, while a 100,000-character
# question cost 58-100 s in tokenising and sentence scoring: longer text is a document, not a question.
MAX_QUESTION_CHARS = 2000
MAX_K = 100  # chunks handed to the answerer; more only slows the sentence scoring


def check_question(question) -> str:
    """The question stripped, or ValueError (empty, too long) / TypeError (not a string) saying what to do."""
    if not isinstance(question, str):
        raise TypeError(f"the question must be a string, not {type(question).__name__}")
    question = question.strip()
    if not question:
        raise ValueError("empty question: ask something, e.g. \"Which militias reinforced Sukhnah?\"")
    if len(question) > MAX_QUESTION_CHARS:
        raise ValueError(f"the question is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}. "
                         "Ask a shorter question (to index a document, use `rag ingest`)")
    return question


def _check_k(k) -> int | None:
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be a whole number, not {type(k).__name__}")
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K} (got {k}); it is how many passages the answer reads (default 8)")
    return k


def _check_period(since: date | None, until: date | None) -> None:
    if since and until and since > until:
        raise ValueError(f"since ({since}) is after until ({until}): nothing can match; swap them")


def _as_date(value, end: bool = False) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return parse_user_date(str(value), end=end)

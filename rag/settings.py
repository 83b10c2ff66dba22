"""One settings object for the whole product, read from the environment and an optional TOML file.

Each section is its own pydantic-settings model with its own environment prefix, so
the variables users know work as they are: ``RAG_INDEX_DIR``, ``RAG_CHROMA_URL``,
``RAG_EMBEDDER``, ``RAG_LLM_BASE_URL``, ``RAG_LLM_MODEL``, ``OPENAI_API_KEY``.
A settings file (``rag.toml`` in the working directory, or the path in
``RAG_CONFIG``) holds the same keys by section (``[store]``, ``[llm]``, ...).
Precedence: explicit arguments, then environment, then the file, then defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreSettings(BaseSettings):
    """Where the index lives."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="forbid", validate_assignment=True)

    index_dir: Path = Field(Path("index"), description="Folder of the persistent Chroma index (RAG_INDEX_DIR).")
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server; when set, used instead of index_dir (RAG_CHROMA_URL)."
    )
    collection: str = Field("articles", description="Chroma collection holding the chunks.")
    lock_timeout: float = Field(
        300.0, ge=0, description="Seconds a second writer waits for the index's write lock before refusing (RAG_LOCK_TIMEOUT; 0: refuse at once)."
    )
    ef_search: int = Field(
        400, ge=10,
        description="HNSW candidates explored per dense query (RAG_EF_SEARCH). Chroma's default, 100, missed up to 3 of "
        "the exact 40 nearest chunks on the 963-chunk eval index and a different 0-3 in each process, so the same "
        "question could retrieve differently from one run to the next; 400 returned the exact 40 there, the same in every run.",
    )


class EmbedSettings(BaseSettings):
    """Which embedder builds and queries the index."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="forbid", validate_assignment=True)

    embedder: str = Field(
        "e5-small-q4",
        description="'e5-small-q4' (bundled, offline), 'st:<name or path>' (sentence-transformers) or 'openai:<model>'.",
    )
    embed_batch: int = Field(32, ge=1, description="Texts embedded per call.")


class ChunkSettings(BaseSettings):
    """How articles are cut into chunks."""

    model_config = SettingsConfigDict(env_prefix="RAG_CHUNK_", extra="forbid", validate_assignment=True)

    size: int = Field(120, ge=10, description="Target chunk size in word tokens (rag.arabic.word_count).")
    overlap: int = Field(30, ge=0, description="Word tokens of the previous chunk repeated at the start of the next.")


class IngestSettings(BaseSettings):
    """Limits on input files."""

    model_config = SettingsConfigDict(env_prefix="RAG_INGEST_", extra="forbid", validate_assignment=True)

    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are refused, never read whole.")
    max_zip_mb: float = Field(200.0, gt=0, description="Largest total uncompressed size accepted from one zip.")


class WebSettings(BaseSettings):
    """How web pages and feeds are fetched (rag.web): politeness and limits."""

    model_config = SettingsConfigDict(env_prefix="RAG_WEB_", extra="forbid", validate_assignment=True)

    user_agent: str = Field("rag-news-reader/0.1 (Arabic news briefings; set RAG_WEB_USER_AGENT to add a contact address)", description="Named user agent sent with every request and matched against robots.txt.")
    min_interval: float = Field(2.0, ge=0, description="Seconds between two requests to the same host (a robots.txt Crawl-delay may raise it).")
    timeout: float = Field(20.0, gt=0, description="Seconds allowed for connecting, for each read, and for a whole response.")
    max_page_mb: float = Field(5.0, gt=0, description="Pages and feeds larger than this are refused (checked before and while reading).")
    max_redirects: int = Field(5, ge=0, description="Redirects followed before a URL is given up.")
    max_items: int = Field(100, ge=1, description="Newest items taken from one feed, sitemap or section page per run.")
    retries: int = Field(3, ge=0, description="Runs that retry an item after a transient fault (5xx, timeout) before it is left alone.")
    state_file: Path | None = Field(None, description="What each feed and URL gave (default: web-state.json in the index folder).")


class RetrievalSettings(BaseSettings):
    """Hybrid retrieval parameters."""

    model_config = SettingsConfigDict(env_prefix="RAG_RETRIEVAL_", extra="forbid", validate_assignment=True)

    k: int = Field(8, ge=1, description="Chunks handed to the answerer.")
    candidates: int = Field(40, ge=1, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    dedup_threshold: float = Field(0.8, description="Word-shingle Jaccard above which two chunks are one story.")
    rerank: int = Field(10, ge=0, description="Fused hits re-ranked by their best sentence's similarity (0: off).")
    rerank_weight: float = Field(
        1.0, description="Weight of the best-sentence similarity against the fused rank score (tuned on XQuAD, bench/query.py)."
    )
    english_bm25_weight: float = Field(
        0.6, ge=0, description="BM25's weight in the fusion for an English question, which reaches BM25 only through its "
        "gazetteer expansions (Arabic names); an Arabic question's BM25 weighs 1 (measured on XQuAD, rag/retrieval.py)."
    )


class AnswerSettings(BaseSettings):
    """Answering and abstention."""

    model_config = SettingsConfigDict(env_prefix="RAG_ANSWER_", extra="forbid", validate_assignment=True)

    max_sentences: int = Field(6, ge=1, description="Evidence sentences in an extractive answer.")
    min_support: float = Field(
        0.75, description="Best sentence similarity under which nothing is close enough to answer (a floor; above it, whether the evidence answers is the calibrated model's, rag/data/calibration.json); also what a count question's sentence needs."
    )
    support_floor: float = Field(
        0.826, description="e5 similarity a claim needs with a source window to be supported: the value maximising F1 of catching "
        "unsupported claims on the dev half of eval/support/ (interval [0.8244, 0.8273]; rag/answering/support.py)."
    )
    support_margin: float = Field(
        0.03, ge=0, description="A supporting window must be within this similarity of the source's closest one (a negated claim is "
        "otherwise 'supported' by an unrelated negated sentence); calibrated with support_floor."
    )
    calibration_min_domain: float = Field(
        0.5, ge=0, le=1, description="The calibrated off-topic and answerable checks (rag/answering/calibrated.py) run only on "
        "an index whose sampled chunks name a gazetteer place or group at least this often: they were fitted on conflict news "
        "and read named-thing features. Measured 2026-12-05: dev/test news 0.905, ant 0.914, seeds 1.0, XQuAD's Wikipedia "
        "paragraphs 0.157, where they refused 81-96% of the English questions (which name no gazetteer entry). Elsewhere "
        "the hard rules alone refuse; refit with eval/calibrate.py on a dev set of that corpus."
    )
    max_events: int = Field(3, ge=0, description="Event quotes offered as evidence per question (rag/answering/events_hint.py).")
    event_bonus: float = Field(
        0.01, description="How far above the best retrieved sentence a matching event's quote scores, so it leads the answer."
    )
    event_per_facet: float = Field(
        0.002, description="Added to an event quote's score per strength of its match with the question's facets (place, actor, operation)."
    )
    event_sim_gap: float = Field(
        0.02, ge=0, description="An event quote this much less similar to the question than the best retrieved sentence is not put "
        "first: it keeps its own score plus event_bonus (a nudge, not the top)."
    )


class LLMSettings(BaseSettings):
    """An OpenAI-compatible chat endpoint; unset means extractive mode."""

    model_config = SettingsConfigDict(env_prefix="RAG_LLM_", extra="forbid", populate_by_name=True, validate_assignment=True)

    base_url: str | None = Field(None, description="Endpoint such as http://127.0.0.1:8000/v1 (RAG_LLM_BASE_URL).")
    model: str | None = Field(None, description="Model name served there (RAG_LLM_MODEL).")
    api_key: SecretStr | None = Field(
        None,
        validation_alias="OPENAI_API_KEY",
        description="Key sent to the endpoint (OPENAI_API_KEY); never printed or stored.",
    )
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for one reply.")
    max_retries: int = Field(3, ge=0, description="Retries on 429 and 5xx, with exponential backoff.")
    temperature: float = Field(0.0, description="Sampling temperature.")

    @property
    def configured(self) -> bool:
        """True when an endpoint or a model is set (OpenAI's default URL is used if only a model is)."""
        return bool(self.model)


class BriefingSettings(BaseSettings):
    """How a weekly briefing groups, ranks, scopes and quotes reports (rag.briefing*)."""

    model_config = SettingsConfigDict(env_prefix="RAG_BRIEFING_", extra="forbid", validate_assignment=True)

    min_background: int = Field(50, ge=1, description="Reports needed to centre lead vectors on the period's own mean (fewer: the index's sample).")
    max_sentences: int = Field(3, ge=1, description="Verbatim sentences in an extractive item.")
    max_with_outlets: int = Field(5, ge=1, description="Lines of an item, with the other outlets' corroborating quotes.")
    near_repeat: float = Field(0.45, ge=0, le=1, description="Word Jaccard at or above which a sentence repeats one already chosen.")
    corroborate: float = Field(0.5, ge=0, le=1, description="Share of a claim's weighted words another outlet's sentence must carry to corroborate it.")
    cluster_threshold: float = Field(0.35, description="Similarity at which two reports are one story (agglomerative, average link).")
    entity_weight: float = Field(0.05, ge=0, description="Weight of shared places and groups (IDF Jaccard) added to the lead vectors' cosine.")
    weights: dict[str, float] = Field(
        default_factory=lambda: {"casualties": 1.0, "territory": 0.75, "novelty": 0.5, "focus": 1.0, "focus_named": 0.5},
        description="Importance points of an item: casualties, territory changing hands, a new story, share of the scope (focus), a scope name (focus_named).")
    change_min_reports: int = Field(2, ge=1, description="Reports last period a place or group needs for its absence to count as a change.")
    section_min_items: int = Field(2, ge=1, description="Items a place or actor needs to get its own section.")
    semantic_keep: float = Field(0.86, description="Cosine of a report to the scope query that keeps it alone.")
    semantic_named: float = Field(0.82, description="Cosine that keeps a report when a scope name or word also occurs in it.")


class EventSettings(BaseSettings):
    """How events are extracted and grouped for the LLM (rag.events)."""

    model_config = SettingsConfigDict(env_prefix="RAG_EVENTS_", extra="forbid", validate_assignment=True)

    near: int = Field(3, ge=0, description="Sentences back an indefinite mention («هجوم») may refer to an earlier event.")
    max_llm_chunks: int = Field(12, ge=1, description="Chunks of one article sent to the LLM per event-extraction call.")


class Settings(BaseModel):
    """All settings, by section."""

    model_config = {"extra": "forbid"}

    store: StoreSettings = Field(default_factory=StoreSettings)
    embed: EmbedSettings = Field(default_factory=EmbedSettings)
    chunk: ChunkSettings = Field(default_factory=ChunkSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    briefing: BriefingSettings = Field(default_factory=BriefingSettings)
    events: EventSettings = Field(default_factory=EventSettings)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: dict[str, Any]) -> Settings:
        """Read the settings file (if any) under the environment, then apply per-section overrides."""
        path = Path(path or os.environ.get("RAG_CONFIG", "rag.toml"))
        file_values: dict[str, dict[str, Any]] = {}
        if path.is_file():
            try:
                file_values = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{path}: not valid TOML ({exc}); fix or remove the file") from exc
        sections = {}
        for name, field in cls.model_fields.items():
            section_cls = cast(type[BaseSettings], field.annotation)  # every field is a settings section
            values = {k: v for k, v in file_values.get(name, {}).items() if not _env_set(section_cls, k)}
            values.update(overrides.get(name, {}))
            sections[name] = section_cls(**values)
        unknown = set(file_values) - set(cls.model_fields)
        if unknown:
            raise ValueError(f"{path}: unknown section(s) {sorted(unknown)}; known: {sorted(cls.model_fields)}")
        return cls(**sections)


def _env_set(section_cls: type[BaseSettings], key: str) -> bool:
    """Whether the environment already sets this key (so the file must not override it)."""
    field = section_cls.model_fields.get(key)
    if field is None:
        return False
    alias = field.validation_alias if isinstance(field.validation_alias, str) else None
    name = alias or section_cls.model_config.get("env_prefix", "") + key
    return any(k.upper() == name.upper() for k in os.environ)

"""The OpenAI-compatible chat model (OpenAI, vLLM, Ollama, llama.cpp server), made from settings.

The key is read from the environment when the client is made and never printed;
retries with exponential backoff on 429 and 5xx are the openai client's own;
`describe_error` turns any failure into a sentence for people.
"""

from __future__ import annotations

import httpx
import openai
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_openai import ChatOpenAI

from .settings import LLMSettings


class LLMError(RuntimeError):
    """The LLM could not give a usable answer; the message says what happened and what to do."""


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """A LangChain chat model for the configured endpoint, or None in extractive mode."""
    if not settings.configured:
        return None
    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    return ChatOpenAI(
        model=settings.model,
        base_url=settings.base_url,
        api_key=key,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
    )


def label(settings: LLMSettings) -> str:
    """The mode name of answers written by this model: 'llm:<model>'."""
    return f"llm:{settings.model}"


def describe_error(exc: BaseException, settings: LLMSettings) -> str:
    """What went wrong with the LLM call, for people (never includes the key)."""
    where = settings.base_url or "the OpenAI API"
    if isinstance(exc, openai.APITimeoutError) or isinstance(exc, httpx.TimeoutException):
        return f"the LLM at {where} did not answer within {settings.timeout:g} s (RAG_LLM_TIMEOUT)"
    if isinstance(exc, openai.AuthenticationError):
        return f"the LLM at {where} refused the API key (401); check OPENAI_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return f"the LLM at {where} denied access (403); check the key's permissions"
    if isinstance(exc, openai.NotFoundError):
        return f"the LLM at {where} does not know model '{settings.model}' (404); check RAG_LLM_MODEL"
    if isinstance(exc, openai.RateLimitError):
        return f"the LLM at {where} is rate-limiting (429) after {settings.max_retries} retries; try again later"
    if isinstance(exc, openai.InternalServerError) or (isinstance(exc, openai.APIStatusError) and exc.status_code >= 500):
        return f"the LLM at {where} failed with a server error ({getattr(exc, 'status_code', '5xx')}) after {settings.max_retries} retries"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect to the LLM at {where}; is the server running? (RAG_LLM_BASE_URL)"
    if isinstance(exc, LLMError):
        return str(exc)
    return f"the LLM call failed ({exc.__class__.__name__}: {str(exc)[:200]})"

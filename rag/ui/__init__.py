"""The web app's helpers: HTML rendering of answers and citations, upload checks, status facts.

`rag.ui.render` and `rag.ui.uploads` are pure and import no Gradio; `rag.ui.app` builds the app.
"""

from .render import answer_html, articles_html, panel_html, passage_html, sources_html, text_dir
from .uploads import ALLOWED_SUFFIXES, safe_name, stage_uploads

__all__ = [
    "ALLOWED_SUFFIXES",
    "answer_html",
    "articles_html",
    "panel_html",
    "passage_html",
    "safe_name",
    "sources_html",
    "stage_uploads",
    "text_dir",
]

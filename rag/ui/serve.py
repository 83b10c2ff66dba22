"""The web app: `rag serve [--port N]` (or `python app.py [--index DIR] [--port N]` in a checkout) serves it on 127.0.0.1.

Chat with checkable citations, weekly briefings, corpus upload and status, over one index.
Everything the app writes stays under the index folder: uploads in `uploads/`, briefing
downloads and Gradio's own upload cache in `.ui/`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: index folder, port, config file, upload limit."""
    parser = argparse.ArgumentParser(description="Serve the question-answering and briefing app on 127.0.0.1.")
    parser.add_argument("--index", help="index folder (default: RAG_INDEX_DIR or ./index)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", 7860)), help="port on 127.0.0.1 (default 7860)")
    parser.add_argument("--config", help="settings file (default: RAG_CONFIG or ./rag.toml)")
    parser.add_argument("--max-upload-mb", type=float, default=50.0, help="largest file accepted by the upload (MB)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Open the index, then build and serve the app until interrupted."""
    args = parse_args(argv)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from rag.settings import Settings

    settings = Settings.load(args.config)
    if args.index:
        settings.store.index_dir = Path(args.index)
    index = Path(settings.store.index_dir).resolve()
    # Gradio reads this when imported: its upload cache goes under the index too.
    os.environ.setdefault("GRADIO_TEMP_DIR", str(index / ".ui" / "gradio"))

    from rag.agent import Agent
    from rag.ui.app import build_app, launch

    agent = Agent.open(settings=settings, create=True)  # the app can start empty: uploads build the index
    downloads = index / ".ui" / "briefings"
    demo = build_app(agent, upload_dir=index / "uploads", download_dir=downloads, max_upload_mb=args.max_upload_mb)
    launch(demo, port=args.port, allowed=[downloads], max_upload_mb=args.max_upload_mb)


if __name__ == "__main__":
    main()

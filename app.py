"""The web app from a checkout: `python app.py [--index DIR] [--port N] [--config FILE]`, same as `rag serve`.

The app itself ships inside the package (rag/ui/serve.py), so an installed `rag serve` needs no checkout.
"""

from rag.ui.serve import main, parse_args

__all__ = ["main", "parse_args"]

if __name__ == "__main__":
    main()

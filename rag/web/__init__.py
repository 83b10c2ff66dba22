"""Web ingest: article pages, RSS/Atom feeds, sitemaps and section pages, fetched politely and incrementally.

fetch (HTTP client: robots.txt, rate limit, conditional GET, limits) -> feeds (article URLs from a feed)
-> extract (main text, date, outlet) -> rag.ingest.pipeline.ingest_records; state remembers each run.
"""

"""The knowledge base: entries and their indexed look-ups in SQLite (``store``), readers for
CSV and Wikidata dumps (``importers``), and the packaged KB plus a user's (``bases``)."""

"""A corpus of analysed articles in SQLite or PostgreSQL: tables and migrations
(``schema``), which stored entity an article's entity is (``identity``), storing and
querying (``store``), the typed rows queries return (``rows``), and analysing files into
it (``ingest``)."""

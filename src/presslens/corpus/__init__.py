"""A corpus of analysed articles in SQLite or PostgreSQL: tables and migrations
(``schema``), storing and querying (``store``), and analysing files into it (``ingest``)."""

"""The entities stage (``stage``): mentions found in the parse (``mentions``), grouped into
identities (``resolve``, ``coref``), linked to the knowledge base (``linking``), carried to
the mentions spaCy missed (``propagate``), and checked for garbling (``flags``)."""

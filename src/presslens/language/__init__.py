"""Language helpers the stages share: name folding and similarity (``names``), walks over
the dependency parse (``syntax``), dates (``temporal``) and the word lists under ``data/``
(``lexicons``). They know nothing of stages or of the ``Analysis``."""

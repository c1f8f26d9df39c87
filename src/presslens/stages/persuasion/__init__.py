"""The persuasion stage (``stage``): how the article persuades, as spans labelled with the
SemEval-2023 Task 3 techniques (``taxonomy``), found by signalling phrases (``lexicon``),
by emotive and labelling words on the parse (``words``), by the shape of sentences
(``sentences``) and by phrases the article repeats (``repetition``)."""

"""The attribution stage (``stage``): who said what, according to whom, from speech verbs
and "according to" in the parse (``reported``) and from quotation marks (``quotes``)."""

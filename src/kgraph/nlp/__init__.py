"""Stage 2, nlp: the spaCy pipeline, chosen and loaded once.

Takes a model name (or none, for the installed default) and gives a ``Language`` that the
build runs with ``nlp.pipe`` over all articles. Nothing is downloaded. ``docs`` keeps each
article's parse (a DocBin) so that a change of kgraph's rules does not parse again.
"""

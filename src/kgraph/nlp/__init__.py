"""Stage 2, nlp: the spaCy pipeline, chosen and loaded once.

Takes a model name (or none, for the installed default) and gives a ``Language`` that the
build runs with ``nlp.pipe`` over all articles. Nothing is downloaded.
"""

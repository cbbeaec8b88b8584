"""Stage 3, extract: pure functions from one parsed spaCy ``Doc`` to frozen findings.

Takes a ``Doc`` and the loaded lexicons; gives :class:`~kgraph.extract.findings.ArticleFindings`
with character offsets: entity mentions, quotes and reported claims, citations, roles, event
mentions and claim frames. One article at a time, so findings can be cached per article;
:mod:`.propagate` is the one corpus-wide step (a name tagged anywhere is found where it is untagged).
"""

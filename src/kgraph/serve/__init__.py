"""Stage 8, serve: a built store in; answers to SPARQL out.

:mod:`.query` runs ``kgraph query``, :mod:`.endpoint` the read-only SPARQL 1.1 endpoint of
``kgraph serve`` (the Oxigraph server behind a small proxy), :mod:`.push` uploads the graphs to
another store, and :mod:`.sparql` scans query text (prefixes, remote fetches) for both.
"""

"""Stage 7, outputs: the store in; files a person reads or loads elsewhere out.

:mod:`.report` writes ``report.md`` and ``report.json``, :mod:`.map` the interactive
``graph.html`` (pyvis), :mod:`.export` Turtle, TriG, N-Quads, N-Triples and JSON-LD.
"""

"""Stage 1, ingest: files, directories and records in; :class:`~kgraph.ingest.article.Article` values out.

Takes paths (``.txt``, ``.html`` via trafilatura, ``.json``/``.jsonl`` records) and gives one
``Article`` per distinct text, its page furniture removed (:mod:`.furniture`), with the inputs
that could not be read reported as ``Skipped``. Nothing downstream reads a file.
"""

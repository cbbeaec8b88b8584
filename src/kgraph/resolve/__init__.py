"""Stage 4, resolve: per-article findings in; canonical entities, events and speakers out.

Takes every article's findings and gives the corpus-wide decisions: which mentions are one
entity (:mod:`.entities`, with :mod:`.names` folding and :mod:`.aliases`), which event
mentions are one event (:mod:`.events`), who each claim's speaker is (:mod:`.speakers`), which
articles report one story (:mod:`.stories`), and which earlier IRIs the new entities continue
(:mod:`.identity`). Every merge carries its rule. Countries, places and demonyms are data, read
through :mod:`kgraph.gazetteer`, which every stage may use.
"""

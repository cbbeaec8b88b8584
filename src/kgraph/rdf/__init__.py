"""Stage 5, rdf: resolved findings in; quads, the store and the vocabulary out.

Writes what resolution decided and decides nothing: :mod:`.vocab` holds namespaces and IRI
minting, :mod:`.emit` / :mod:`.attribution` / :mod:`.events` / :mod:`.relations` turn findings
into quads (one named graph per article, the entity graph, the analysis graph), :mod:`.store`
loads them into Oxigraph, :mod:`.articles` reads article metadata back for every stage, and :mod:`.namespaces` gives rdflib users closed vocabularies.
"""

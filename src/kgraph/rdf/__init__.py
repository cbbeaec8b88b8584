"""RDF side of kgraph: vocabulary, IRI minting, triple emission, the store."""

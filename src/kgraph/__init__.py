"""kgraph: many news articles about one story in, one RDF knowledge graph out."""

__version__ = "0.1.0"

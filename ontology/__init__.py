"""kgraph's ontology, SHACL shapes and SKOS lexicons; installed as the package ``kgraph.ontology`` (see pyproject.toml)."""

"""The package as installed: every stage package listed for the wheel, the ontology read from the package.

The wheel itself is built and used from outside the repository by ``.ci/wheel-check.sh``
(``make test`` runs it first); these tests check the configuration it depends on.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from kgraph.lexicons import ontology_file

REPO = Path(__file__).resolve().parents[1]


def test_every_folder_under_src_kgraph_is_a_listed_package() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    src = REPO / "src"
    folders = {".".join(p.relative_to(src).parts) for p in src.joinpath("kgraph").rglob("*") if p.is_dir() and p.name != "__pycache__"}
    assert folders | {"kgraph"} <= listed, f"not shipped in the wheel: {sorted(folders - listed)}"
    assert config["package-dir"]["kgraph.ontology"] == "ontology"


def test_the_ontology_package_is_the_repository_ontology_folder() -> None:
    ttl = sorted(p.name for p in (REPO / "ontology").glob("*.ttl"))
    assert {"kgraph.ttl", "shapes.ttl", "attribution-lexicon.ttl", "event-lexicon.ttl", "claim-lexicon.ttl"} <= set(ttl)
    for name in ttl:
        assert ontology_file(name).read_bytes() == (REPO / "ontology" / name).read_bytes(), name


def test_package_data_is_found_through_importlib_resources() -> None:
    assert resources.files("kgraph.data").joinpath("honorifics.txt").read_text(encoding="utf-8").strip()
    assert not any("__file__" in p.read_text(encoding="utf-8") for p in (REPO / "src" / "kgraph").rglob("*.py")), (
        "a module finds files from __file__ instead of importlib.resources"
    )

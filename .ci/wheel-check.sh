#!/usr/bin/env bash
# The package as a user installs it: a wheel built from this checkout, installed (not editable)
# into a fresh virtual environment, then used from a directory outside the repository to build the
# seeds, answer a query and export Turtle. Proves the wheel carries every file kgraph reads.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "wheel-check: building the wheel"
"$python" -m pip wheel --quiet --no-deps -w "$work/dist" "$repo" >"$work/wheel.log" 2>&1 || { cat "$work/wheel.log"; exit 1; }
wheel="$(ls "$work"/dist/kgraph-*.whl)"
echo "wheel-check: installing $(basename "$wheel") into a fresh venv"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel" >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }

mkdir "$work/elsewhere"
cd "$work/elsewhere"
kg="$work/venv/bin/kgraph"
echo "wheel-check: kgraph build (from $PWD)"
"$kg" build "$repo/seeds" -o out -q
n="$("$kg" query 'SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Person }' -o out --format csv | tail -n 1 | tr -d '\r')"
case "$n" in ''|*[!0-9]*) echo "wheel-check: the query gave no count: '$n'"; exit 1;; esac
[ "$n" -gt 0 ] || { echo "wheel-check: the query found no person"; exit 1; }
echo "wheel-check: kgraph query counted $n persons"
"$kg" export --format ttl --output graph.ttl -o out
grep -q "schema:Person\|<https://schema.org/Person>" graph.ttl || { echo "wheel-check: graph.ttl has no person"; exit 1; }
"$work/venv/bin/python" - "$repo/ontology" <<'PY'
import sys
from importlib import resources
from pathlib import Path
repo = Path(sys.argv[1])
pkg = resources.files("kgraph.ontology")
assert "site-packages" in str(pkg), f"kgraph.ontology resolved to {pkg}, not the installed wheel"
for f in sorted(repo.glob("*.ttl")):
    assert pkg.joinpath(f.name).read_bytes() == f.read_bytes(), f"installed {f.name} differs from ontology/{f.name}"
print(f"wheel-check: the installed kgraph.ontology matches ontology/ ({len(list(repo.glob('*.ttl')))} files)")
PY
echo "wheel-check: passed ($(wc -c < graph.ttl) bytes of Turtle exported)"

#!/usr/bin/env python3
"""Generate ``ontology/countries.ttl``, kgraph's SKOS gazetteer of countries, from maintained sources.

Why generated: country names and codes change (Türkiye, North Macedonia, Eswatini), and a
maintained source tracks them better than a hand-written list. The sources, merged in this order:

1. ``pycountry`` (ISO 3166-1 through Debian's iso-codes): one concept per country, its alpha-2
   and alpha-3 codes (``skos:notation``), its ISO short name and official name;
2. ``countryinfo`` (MIT): one demonym per country ("Ukrainian"), the only field used;
3. ``scripts/country_forms.tsv`` (written by hand, its header says how): the common English name
   where ISO's differs ("Russia" for "Russian Federation"), the forms news use ("U.S.",
   "Britain", "Holland"), the demonyms the two packages lack, and forms to drop.

Rules applied to every country alike: a plural is added to each demonym (+s, none after
-sh, -ch, -ss, -ese, -ic: "Ukrainians", never "Frenchs"); "Saint X" also gets "St. X"; a demonym equal to a
name is dropped (SKOS keeps labels of one concept disjoint; "Djibouti" is no demonym); a
demonym two countries share goes to the more populous one ("French" is France's, not
Réunion's); a name two countries share is an error to resolve in the TSV.

The output is sorted and written as plain Turtle text, so the same sources give a
byte-identical file; the header records the package versions. Install them with
``pip install -e '.[data]'`` and run ``python scripts/make_gazetteer.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORMS_TSV = REPO / "scripts" / "country_forms.tsv"
OUTPUT = REPO / "ontology" / "countries.ttl"
FIELDS = frozenset({"pref", "alt", "demonym", "plural", "drop", "country"})
_NO_PLURAL = ("sh", "ch", "ss", "ese", "ic", "s", "x", "z")


@dataclass
class Country:
    """Everything the gazetteer says of one country, gathered from the sources before writing."""

    alpha3: str
    alpha2: str
    pref: str
    alts: set[str] = field(default_factory=set)
    demonyms: set[str] = field(default_factory=set)
    plurals: set[str] = field(default_factory=set)  # from the TSV only: the rule makes the others
    drops: set[str] = field(default_factory=set)
    population: int = 0

    def names(self) -> set[str]:
        return {self.pref, *self.alts} - self.drops


def key(form: str) -> str:
    """The comparison key of a form: accents, case, periods and punctuation folded (as the loader folds)."""
    decomposed = unicodedata.normalize("NFKD", form)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).replace(".", "").replace("-", " ")
    return " ".join(re.sub(r"[^\w\s]+", " ", plain).casefold().split())


def plural(demonym: str) -> str | None:
    """'Ukrainian' -> 'Ukrainians'; None for forms with no -s plural ('French', 'Swiss', 'Icelandic')."""
    if demonym.endswith(_NO_PLURAL) or " and " in demonym:
        return None
    return demonym + "s"


def read_forms(path: Path) -> list[tuple[str, str, str]]:
    """The TSV's (alpha-3, field, value) rows; a malformed row stops the generator with its line number."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in FIELDS or not re.fullmatch(r"[A-Z]{3}", parts[0]):
            sys.exit(f"{path}:{n}: expected 'ALPHA3<TAB>field<TAB>value' with field in {sorted(FIELDS)}: {line!r}")
        rows.append((parts[0], parts[1], parts[2].strip()))
    return rows


def from_pycountry() -> dict[str, Country]:
    import pycountry

    countries: dict[str, Country] = {}
    for c in pycountry.countries:
        pref = getattr(c, "common_name", None) or c.name
        entry = Country(c.alpha_3, c.alpha_2, pref, alts={c.name})
        if getattr(c, "official_name", None):
            entry.alts.add(c.official_name)
        countries[c.alpha_3] = entry
    return countries


def countryinfo_records() -> list[dict]:
    """The JSON records of countryinfo's ``data`` folder (its ``data_no_iso`` regions, such as Wales, are left out)."""
    folder = resources.files("countryinfo").joinpath("data")
    records = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            records.append(json.loads(item.read_text(encoding="utf-8")))
    return records


def add_countryinfo(countries: dict[str, Country]) -> None:
    for record in countryinfo_records():
        iso = record.get("ISO") or {}
        entry = countries.get(iso.get("alpha3", "") if isinstance(iso, dict) else "")
        if entry is None:
            continue
        entry.population = max(entry.population, int(record.get("population") or 0))
        for demonym in re.split(r"[,/]", record.get("demonym") or ""):
            if demonym.strip():
                entry.demonyms.add(demonym.strip())


def add_forms(countries: dict[str, Country], rows: list[tuple[str, str, str]]) -> None:
    for alpha3, kind, value in rows:
        if kind == "country":
            alpha2, name = value.split(" ", 1)
            countries[alpha3] = Country(alpha3, alpha2, name)
            continue
        entry = countries.get(alpha3)
        if entry is None:
            sys.exit(f"{FORMS_TSV}: {alpha3} is no ISO 3166-1 country (add a 'country' row first)")
        if kind == "pref":
            entry.alts.add(entry.pref)
            entry.pref = value
        elif kind == "alt":
            entry.alts.add(value)
        elif kind == "demonym":
            entry.demonyms.add(value)
        elif kind == "plural":
            entry.plurals.add(value)
        elif kind == "drop":
            entry.drops.add(value)


def apply_rules(countries: dict[str, Country]) -> None:
    """The rules every country gets (module docstring): St., names before demonyms, plurals, one owner."""
    for entry in countries.values():
        for name in list(entry.names()):
            if name.startswith("Saint "):
                entry.alts.add("St. " + name.removeprefix("Saint "))
        entry.alts.discard(entry.pref)
        if entry.pref in entry.drops:
            sys.exit(f"{entry.alpha3}: its prefLabel {entry.pref!r} is dropped; give it a 'pref' row")
    name_owner = _unique_names(countries)
    for entry in countries.values():
        singular = {d for d in entry.demonyms - entry.drops if key(d) not in name_owner}
        forms = singular | entry.plurals | {p for d in singular if (p := plural(d))}
        entry.demonyms = {d for d in forms - entry.drops if key(d) not in name_owner}
    _demonyms_to_most_populous(countries)


def _unique_names(countries: dict[str, Country]) -> dict[str, str]:
    owner: dict[str, str] = {}
    for alpha3 in sorted(countries):
        for name in countries[alpha3].names():
            other = owner.setdefault(key(name), alpha3)
            if other != alpha3:
                sys.exit(f"{name!r} names both {other} and {alpha3}: add a 'drop' row to {FORMS_TSV.name}")
    return owner


def _demonyms_to_most_populous(countries: dict[str, Country]) -> None:
    claims: dict[str, list[str]] = defaultdict(list)
    for alpha3 in sorted(countries):
        for demonym in countries[alpha3].demonyms:
            claims[key(demonym)].append(alpha3)
    for k, owners in claims.items():
        if len(owners) < 2:
            continue
        keep = max(owners, key=lambda a: (countries[a].population, a))
        print(f"demonym {k!r}: {keep} (most populous of {', '.join(owners)})", file=sys.stderr)
        for alpha3 in owners:
            if alpha3 != keep:
                countries[alpha3].demonyms = {d for d in countries[alpha3].demonyms if key(d) != k}


def _literal(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _sorted(forms: set[str]) -> list[str]:
    return sorted(forms, key=lambda f: (f.casefold(), f))


def render(countries: dict[str, Country], versions: dict[str, str]) -> str:
    """The whole file as Turtle text, concepts in alpha-3 order and every list sorted."""
    sources = ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
    out = [HEADER.format(sources=sources)]
    for alpha3 in sorted(countries):
        c = countries[alpha3]
        lines = [f"kgc:{alpha3} a skos:Concept ; skos:inScheme kgl:countries ; skos:topConceptOf kgl:countries ;",
                 f"    skos:prefLabel {_literal(c.pref)} ;"]
        alts = _sorted(c.alts - c.drops - {c.pref})
        if alts:
            lines.append(f"    skos:altLabel {', '.join(_literal(a) for a in alts)} ;")
        if c.demonyms:
            lines.append(f"    kg:demonym {', '.join(_literal(d) for d in _sorted(c.demonyms))} ;")
        lines.append(f"    skos:notation {_literal(c.alpha2, None)}, {_literal(c.alpha3, None)} .")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


HEADER = """\
@prefix kg:      <https://w3id.org/kgraph/ontology#> .
@prefix kgl:     <https://w3id.org/kgraph/lexicon/> .
@prefix kgc:     <https://w3id.org/kgraph/id/country/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .

# GENERATED by scripts/make_gazetteer.py from {sources} and scripts/country_forms.tsv.
# Do not edit by hand: change scripts/country_forms.tsv and regenerate.
#
# kgraph's gazetteer of countries (read by kgraph.gazetteer). One skos:Concept per
# ISO 3166-1 country (plus Kosovo, XK/XKX, a user-assigned code), its IRI under
# https://w3id.org/kgraph/id/country/ followed by the alpha-3 code:
#   * skos:prefLabel  the common English name ("Russia", "Turkey");
#   * skos:altLabel   ISO's short and official names and the forms news use ("U.S.", "Britain");
#                     a form in capitals ("US", "UK") is an abbreviation and matches only
#                     text in capitals;
#   * skos:notation   the ISO 3166-1 alpha-2 and alpha-3 codes (metadata: codes are not
#                     matched in text, most two-letter codes being ordinary acronyms);
#   * kg:demonym      what the country's people, and things of the country, are called:
#                     adjective, singular and plural ("Ukrainian", "Ukrainians").
# Forms ambiguous between countries ("Congo", "Korean") are left out on purpose.

kgl:countries a skos:ConceptScheme ;
    dcterms:title "Countries, their names, common forms and demonyms"@en ;
    dcterms:source "{sources}", "scripts/country_forms.tsv" .

kg:demonym a owl:DatatypeProperty ;
    rdfs:label "demonym"@en ;
    rdfs:comment "A word for the people of a country or for what is of that country: the adjective, a singular or a plural noun (\\"Ukrainian\\", \\"Ukrainians\\"). Not a name of the country, so not a skos:altLabel; a hidden label in SKOS's sense (found by text search, never shown as the country's name)."@en ;
    rdfs:subPropertyOf skos:hiddenLabel ;
    rdfs:domain skos:Concept ;
    rdfs:range rdf:langString .
"""


def build(versions: dict[str, str]) -> str:
    countries = from_pycountry()
    add_countryinfo(countries)
    add_forms(countries, read_forms(FORMS_TSV))
    apply_rules(countries)
    return render(countries, versions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT.relative_to(REPO)})")
    args = parser.parse_args(argv)
    versions = {name: metadata.version(name) for name in ("pycountry", "countryinfo")}
    args.output.write_text(build(versions), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

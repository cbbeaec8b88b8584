"""kgraph's own vocabulary as rdflib closed namespaces, for Python users of a build.

``KG`` holds every class, property and individual that ``ontology/kgraph.ttl`` declares, so a
typo raises instead of minting a new IRI (``KG.Interveiw`` is an AttributeError); terms whose
names are not Python identifiers (the merge and claim rules) are reached as ``KG["rule-acronym"]``.
tests/test_api.py checks the list against the ontology. The pipeline itself writes quads with
pyoxigraph terms from :mod:`kgraph.rdf.vocab`; these are the same IRIs as rdflib ``URIRef`` s.

>>> KG.Interview
rdflib.term.URIRef('https://w3id.org/kgraph/ontology#Interview')
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from kgraph.rdf.vocab import GRAPH_NS, ID_NS, KG_NS

__all__ = ["GRAPH", "ID", "KG"]


class KG(DefinedNamespace):
    """Terms of ``ontology/kgraph.ttl`` (https://w3id.org/kgraph/ontology#)."""

    _fail = True

    Camp: URIRef  # A group of speakers the claim relations put on one side: agreement pulls speakers
    Channel: URIRef  # A speaker's channel on a platform ("its Telegram channel"); the platform is its schema:p
    Citation: URIRef  # The evidence of one cito:cites link: the phrase of the article that names the source, an
    ClaimRelation: URIRef  # Why two claims were found to contradict or agree: the rule, a confidence, a readable
    ClaimRule: URIRef  # A rule kgraph relates claims by (kgraph.claims.CLAIM_RULES)
    AnonymousSource: URIRef  # A speaker the article does not name, known per outlet when the text says whose source it is
    Collective: URIRef  # A body of people speaking as one without being a named organisation ("Western officials")
    CollectiveSource: URIRef  # An unnamed or collective speaker ("Western officials", "the Russian military
    EntityMention: URIRef  # One occurrence of a named entity in an article's text: a NIF phrase whose
    Event: URIRef  # Something that happened, is happening, is planned, expected, denied or imagined, as
    EventMention: URIRef  # The trigger word of an event in one article (itsrdf:taIdentRef the event), with the moda
    Facility: URIRef  # A built place: a bridge, dam, airport, plant or building (spaCy's FAC label)
    GeopoliticalEntity: URIRef  # A place that is a country, city, region or state (spaCy's GPE label)
    Interview: URIRef  # An interview an article cites: identified by its speaker (kg:speaker) and its outlet (sc
    Location: URIRef  # A non-political place: a river, sea, mountain range or region without a
    Merge: URIRef  # The record of one entity-resolution decision: the surface form
    MergeRule: URIRef  # One of the fixed rules by which kgraph's resolver merges two surface forms
    Story: URIRef  # The articles of a corpus that report one story, found by shared salient entities and wording
    MergeRefusal: URIRef  # The record of a merge a reader might expect that the resolver refused
    SocialMediaSource: URIRef  # Unattributed material on social media that an article relies on ("videos on social media
    StatedRole: URIRef  # A role the article states of a person ("Kyrylo Budanov, head of Ukraine's military intel
    Statement: URIRef  # A statement an article cites (an emailed statement, a joint statement, posts on a platfo
    StatementCluster: URIRef  # One statement by one speaker repeated across articles: the claims (kg:member) whose
    agent: URIRef  # Who acted ("Russia" in "Russia attacked Kyiv" or "Russia's invasion")
    agentMention: URIRef  # The phrase naming who acted, as the sentence says it (also when it resolves to no entity
    agreementCount: URIRef  # How many claim relations of kind agreement the speaker takes part in, on either side
    articleCount: URIRef  # How many articles of the corpus mention this entity (the number of
    camp: URIRef  # The camp a speaker belongs to; given for every speaker that takes part in at least one c
    carriedByCount: URIRef  # How many articles carry one of the cluster's claims (at least two)
    centrality: URIRef  # Degree centrality of the speaker in the speaker graph: the share of the other speakers (
    citationKind: URIRef  # outlet, interview, statement, channel or social-media; also used on the concepts of the 
    citedByCount: URIRef  # How many articles cite this source (cito:cites): an interview, statement, channel or out
    citedSource: URIRef  # The source a kg:Citation is evidence for (the object of the article's cito:cites)
    confidence: URIRef  # The probability, from 0 to 1, that a careful reader accepts the relation: a logistic model over
    content: URIRef  # The NIF phrase holding what was said; its nif:anchorOf equals the claim's schema:text
    contentHash: URIRef  # "sha256:" followed by the lowercase hex SHA-256 of the article's text
    contradictionCount: URIRef  # How many claim relations of kind contradiction the speaker takes part in, on either side
    cue: URIRef  # The NIF phrase of the reporting verb or phrase ("said", "according to")
    cueClass: URIRef  # The top concept of the cue in the attribution lexicon (ontology/attribution-lexicon.ttl)
    cueLemma: URIRef  # The lemma of the cue ("say", "deny", "according to")
    cueNegated: URIRef  # The reporting verb itself is negated ("does not expect")
    evidence: URIRef  # The phrase of the article a citation or role was read from
    fromClaim: URIRef  # The claim that disagrees or agrees (the subject of the cito triple): the later one, or t
    isDirectQuote: URIRef  # True for the speaker's own words in quote marks (also typed schema:Quotation), false for
    member: URIRef  # A member of a camp (a speaker) or of a statement cluster (a claim)
    mentionCount: URIRef  # How many entity mentions of this entity the corpus holds (the number of
    outlet: URIRef  # The outlet whose anonymous source this is ("a source told CNN")
    merge: URIRef  # Links a canonical entity to the record of one surface form merged into it,
    mergedForm: URIRef  # The surface form, exactly as written in an article, that a merge record
    mergeRule: URIRef  # The rule (a kg:MergeRule individual) that justified a merge
    continues: URIRef  # The same quotation, interrupted by its cue frame or resumed in the next paragraph
    story: URIRef  # The story an article belongs to (the inverse of schema:hasPart from the story)
    mergeRefused: URIRef  # Links an entity to the record of a merge the resolver refused it
    refusedCandidate: URIRef  # An entity the refused form could have joined
    refusedForm: URIRef  # The name a merge refusal kept apart
    modality: URIRef  # How the text presents the event: happened, ongoing, planned, expected, hypothetical or d
    nerLabel: URIRef  # The named-entity label the recogniser gave a mention (spaCy's label set:
    origin: URIRef  # Where a repeated statement came from: the interview or statement its claims cite
    patient: URIRef  # Who or what was acted on ("Kyiv" in "Russia attacked Kyiv", "Crimea" in "the annexation 
    patientMention: URIRef  # The phrase naming who or what was acted on
    placeMention: URIRef  # The phrase naming where ("the city of Kherson", "across the river")
    relationKind: URIRef  # contradiction or agreement
    relationRule: URIRef  # The rule that produced the relation
    role: URIRef  # A role an article states of the person (besides the plain-text schema:jobTitle)
    roleHead: URIRef  # The head noun of the role ("head", "minister"), used to resolve role descriptions to peo
    roleIn: URIRef  # The organisation (or country) the role is in, when the role phrase names one
    source: URIRef  # The cited interview, statement or channel the claim was reported from (same speaker, sam
    sourceFile: URIRef  # The path (as given to the build, relative to where it ran) of the file the
    speaker: URIRef  # The person or body whose words an interview, statement or channel records
    speakerKind: URIRef  # How the sentence names the speaker: name, pronoun, role, group or unknown (no speaker is
    speakerMention: URIRef  # The NIF phrase naming the speaker in the sentence ("he", "the head of the secret service
    timeMention: URIRef  # The time expression attached to the trigger ("on Monday", "in 2014"), without its prepos
    timeValue: URIRef  # The ISO-8601 value of an event's time (a day, month, year or ISO week), normalised again
    toClaim: URIRef  # The claim disagreed or agreed with (the object of the cito triple)
    trigger: URIRef  # The lemma (or two-word lexicon entry) that made the phrase an event trigger ("retreat", 

    _extras = [
        "claimrule-explicit-rejection",
        "claimrule-opposing-predicate",
        "claimrule-polarity",
        "claimrule-quantity",
        "claimrule-same-frame",
        "claimrule-shared-rejection",
        "rule-acronym",
        "rule-acronym-defined",
        "rule-corporate-form",
        "rule-country-name",
        "rule-dominant-surname",
        "rule-alias-file",
        "rule-alias-in-text",
        "rule-demonym-variant",
        "rule-event-anaphora-in-article",
        "rule-event-same-actor-and-time",
        "rule-event-same-campaign",
        "rule-event-shared-participant",
        "rule-legal-suffix",
        "rule-middle-initial",
        "rule-middle-name",
        "rule-nickname",
        "rule-same-name",
        "rule-short-form-in-article",
        "rule-surname-across-articles",
        "rule-surname-by-sex",
        "rule-title-stripped",
        "rule-transliteration",
    ]

    _NS = Namespace(KG_NS)


#: Entity, article, event, group and work IRIs ("https://w3id.org/kgraph/id/person/kyrylo-budanov").
ID = Namespace(ID_NS)
#: Named graphs: ``GRAPH["entities"]``, ``GRAPH["analysis"]``, ``GRAPH["article/<id>"]``.
GRAPH = Namespace(GRAPH_NS)

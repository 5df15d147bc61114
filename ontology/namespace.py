"""The labelgraph vocabulary as an rdflib ``DefinedNamespace``.

Kept in step with ``labelgraph.ttl`` by ``tests/test_ontology.py``; with
``_fail = True`` a typo in a term raises instead of minting a new IRI.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from ontology import LG_NS


class LG(DefinedNamespace):
    """labelgraph ontology terms."""

    _fail = True
    _NS = Namespace(LG_NS)

    # Entity classes
    Organization: URIRef
    AILab: URIRef
    BigTech: URIRef
    DataVendor: URIRef
    Investor: URIRef
    GovernmentAgency: URIRef
    OrganizationalUnit: URIRef
    Enterprise: URIRef
    Person: URIRef
    Place: URIRef
    Article: URIRef
    # Event classes, one per relation of the closed vocabulary
    RelationEvent: URIRef
    Investment: URIRef
    Acquisition: URIRef
    CustomerRelationship: URIRef
    RelationshipEnding: URIRef
    Rivalry: URIRef
    Partnership: URIRef
    Employment: URIRef
    Leadership: URIRef
    Founding: URIRef
    Hire: URIRef
    Departure: URIRef
    Valuation: URIRef
    Headquarters: URIRef
    # Derived dependency
    Dependency: URIRef
    # Direct properties (entity -> entity, or entity -> amount for valuedAt)
    investedIn: URIRef
    acquired: URIRef
    customerOf: URIRef
    endedRelationshipWith: URIRef
    competitorOf: URIRef
    partnerOf: URIRef
    worksFor: URIRef
    leads: URIRef
    founded: URIRef
    joined: URIRef
    left: URIRef
    valuedAt: URIRef
    headquarteredIn: URIRef
    dependsOn: URIRef
    # Event roles and qualifiers
    hasSubject: URIRef
    hasObject: URIRef
    amount: URIRef
    currency: URIRef
    amountUSD: URIRef
    stakePercent: URIRef
    date: URIRef
    role: URIRef
    inferredFrom: URIRef
    status: URIRef
    confidence: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    # Dependency qualifiers
    dependencyKind: URIRef
    weight: URIRef
    basis: URIRef
    validFrom: URIRef
    validUntil: URIRef
    # Vocabulary metadata (on event classes and direct properties)
    relationName: URIRef
    directProperty: URIRef
    symmetric: URIRef
    # Catalogue annotations
    descriptor: URIRef
    shortName: URIRef
    # Article metadata
    contentHash: URIRef
    fileName: URIRef
    # Facts (graph/facts): mentions reconciled into one fact per claim
    Fact: URIRef
    StatusChange: URIRef
    relationKind: URIRef
    factGroup: URIRef
    articleCount: URIRef
    mentionCount: URIRef
    firstReported: URIRef
    lastReported: URIRef
    startDate: URIRef
    endDate: URIRef
    conflicting: URIRef
    conflict: URIRef
    derivationPending: URIRef
    leadEvidence: URIRef
    statusChange: URIRef
    order: URIRef

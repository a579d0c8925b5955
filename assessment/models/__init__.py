from assessment.models.assessments import Answer, AnswerValue, Assessment, AssessmentState, AuditEntry
from assessment.models.catalog import (
    CatalogImport,
    Criterion,
    Item,
    MaturityModel,
    ModelLevel,
    Part,
    SubDomain,
    SubItem,
)
from assessment.models.evidence import Evidence, EvidenceLink, EvidenceSource, ScoringStatus, Verdict, VerdictValue
from assessment.models.reports import ReportFile, ReportKind, ReportStatus, ShareLink
from assessment.models.review import Decision, DecisionValue, Notification
from assessment.models.tenancy import Membership, Organisation, Project, Role
from assessment.models.webhooks import (
    PING_EVENT,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

__all__ = [
    "PING_EVENT",
    "Answer",
    "AnswerValue",
    "Assessment",
    "AssessmentState",
    "AuditEntry",
    "CatalogImport",
    "Criterion",
    "Decision",
    "DecisionValue",
    "DeliveryStatus",
    "Evidence",
    "EvidenceLink",
    "EvidenceSource",
    "Item",
    "MaturityModel",
    "Membership",
    "ModelLevel",
    "Notification",
    "Organisation",
    "Part",
    "Project",
    "ReportFile",
    "ReportKind",
    "ReportStatus",
    "Role",
    "ScoringStatus",
    "ShareLink",
    "SubDomain",
    "SubItem",
    "Verdict",
    "VerdictValue",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
]

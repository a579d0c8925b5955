"""The maturity-model catalogue: model version → part → sub-domain → item → sub-item → criterion per level.

A loaded model version is immutable (assessments pin it); see assessment/services/catalog.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LEVELS = (1, 2, 3, 4, 5)


def is_chinese_active() -> bool:
    return (get_language() or "").startswith("zh")


class Bilingual(models.Model):
    """Shared by every catalogue node: a name in both languages, shown in the active one."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_zh if is_chinese_active() else self.name_en

    @property
    def other_name(self) -> str:
        """The name in the language not shown, so both can sit side by side."""
        return self.name_en if is_chinese_active() else self.name_zh


class RollupRule(models.TextChoices):
    MIN = "min", _("Lowest sub-item level (certification reading)")
    MEDIAN = "median", _("Median sub-item level")


class MaturityModel(Bilingual):
    key = models.SlugField(_("key"), max_length=60)
    version = models.CharField(_("version"), max_length=40)
    standard = models.CharField(_("standard"), max_length=100, blank=True)
    source_zh = models.TextField(blank=True)
    source_en = models.TextField(blank=True)
    rollup = models.CharField(_("roll-up rule"), max_length=10, choices=RollupRule, default=RollupRule.MIN)
    content_sha256 = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="model_key_version_unique")]
        verbose_name = _("maturity model")

    def __str__(self) -> str:
        return f"{self.name_en} {self.version}"

    @property
    def source(self) -> str:
        return self.source_zh if is_chinese_active() else self.source_en


class ModelLevel(Bilingual):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    summary_zh = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)

    class Meta:
        ordering = ["model", "level"]
        constraints = [
            models.UniqueConstraint(fields=["model", "level"], name="model_level_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="model_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name_zh} {self.name_en}"

    @property
    def summary(self) -> str:
        return self.summary_zh if is_chinese_active() else self.summary_en


class PartStatus(models.TextChoices):
    ASSESSABLE = "assessable", _("Assessable")
    OUTLINE = "outline", _("Outline only")


class CatalogNode(Bilingual):
    """A node of the tree below a model: unique dotted code per model, kept in file order."""

    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=120)
    position = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class Part(CatalogNode):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=PartStatus, default=PartStatus.ASSESSABLE)
    basis_zh = models.TextField(blank=True)
    basis_en = models.TextField(blank=True)

    class Meta(CatalogNode.Meta):
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="part_code_unique")]

    @property
    def basis(self) -> str:
        return self.basis_zh if is_chinese_active() else self.basis_en

    @property
    def is_assessable(self) -> bool:
        return self.status == PartStatus.ASSESSABLE


class SubDomain(CatalogNode):
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="subdomains")

    class Meta(CatalogNode.Meta):
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="subdomain_code_unique")]


class Item(CatalogNode):
    subdomain = models.ForeignKey(SubDomain, on_delete=models.CASCADE, related_name="items")

    class Meta(CatalogNode.Meta):
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="item_code_unique")]


class SubItem(CatalogNode):
    """The unit that gets a level."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="subitems")
    # The source's explanatory notes (说明 in CAICT's self-assessment table): what the sub-item and its levels mean.
    note_zh = models.TextField(blank=True)
    note_en = models.TextField(blank=True)

    class Meta(CatalogNode.Meta):
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="subitem_code_unique")]

    @property
    def note(self) -> str:
        return self.note_zh if is_chinese_active() else self.note_en


class Criterion(models.Model):
    """What a sub-item must show at one level; addressed as `<sub-item code>@<level>`."""

    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="criteria")
    subitem = models.ForeignKey(SubItem, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=130)
    level = models.PositiveSmallIntegerField()
    text_zh = models.TextField()
    text_en = models.TextField()
    is_inferred = models.BooleanField(
        default=False, help_text=_("The text fills a gap in the source and is not from the standard.")
    )
    evidence_zh = models.JSONField(default=list, blank=True)
    evidence_en = models.JSONField(default=list, blank=True)
    checks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["subitem__position", "level"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="criterion_code_unique"),
            models.UniqueConstraint(fields=["subitem", "level"], name="criterion_level_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="criterion_level_1_to_5"),
        ]
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return self.text_zh if is_chinese_active() else self.text_en

    @property
    def other_text(self) -> str:
        return self.text_en if is_chinese_active() else self.text_zh

    @property
    def evidence(self) -> list[str]:
        return self.evidence_zh if is_chinese_active() else self.evidence_en


class CatalogImportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    LOADED = "loaded", _("Loaded")
    UNCHANGED = "unchanged", _("Already loaded")
    FAILED = "failed", _("Failed")


class CatalogImport(models.Model):
    """A catalogue file uploaded through the admin, loaded by a worker (large models take a while)."""

    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=12, choices=CatalogImportStatus, default=CatalogImportStatus.PENDING)
    problems = models.TextField(blank=True)
    model = models.ForeignKey(MaturityModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

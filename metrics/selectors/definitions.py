"""How each delivery figure is computed, where its definition comes from and where ours differs: data read by the
metrics page (a "how it is computed" note under each figure) and by the API schema (each field's description).

The texts state what metrics/selectors/ computes (figures.py, portable.py and the PostgreSQL rollup in
metrics/services/rollups.py, which agree); change them together with the code.
"""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""


DORA_GUIDE = Source(_("DORA's metrics guide"), "https://dora.dev/guides/dora-metrics/")
DORA_2023 = Source(_("Accelerate State of DevOps Report 2023 (DORA)"), "https://dora.dev/research/2023/dora-report/")
DEVLAKE = "https://devlake.apache.org/docs/Metrics/"
CAICT = Source(_("CAICT DevOps maturity model, YD/T 3763.3 (continuous delivery)"))


@dataclass(frozen=True)
class Definition:
    computed: str
    differs: str
    sources: tuple[Source, ...]

    def describe(self, prefix: str = ""):
        """One paragraph for the API schema: how, where ours differs, sources (translated when read)."""
        sources = "; ".join(f"{source.title} {source.url}".strip() for source in self.sources)
        return format_lazy(
            "{prefix}{computed} {differs_label} {differs} {sources_label} {sources}",
            prefix=prefix,
            computed=self.computed,
            differs_label=_("Where ours differs:"),
            differs=self.differs,
            sources_label=_("Sources:"),
            sources=format_lazy("{}", sources),
        )


DEFINITIONS: dict[str, Definition] = {
    "deployment_frequency_per_week": Definition(
        _(
            "Successful production deployments that finished in the period, divided by the period's days so far "
            "and multiplied by 7 (per day: not multiplied). A period without any delivery event has no value."
        ),
        _(
            "DORA asks how often a team deploys to production; Apache DevLake counts the days with a deployment. "
            "We count the successful deployments themselves, and production is what the sender marks as such."
        ),
        (DORA_GUIDE, DORA_2023, Source(_("Apache DevLake: deployment frequency"), DEVLAKE + "DeploymentFrequency")),
    ),
    "lead_time_median_hours": Definition(
        _(
            "For each change carried by a successful production deployment, the time from its merge (or, if it "
            "was never merged, its authoring) to that deployment's finish; the median and the 90th percentile "
            "over the changes deployed in the period. A change is carried by the first successful production "
            "deployment that shipped its commit, or else by the first that finished after it was merged (or authored)."
        ),
        _(
            "DORA measures from commit to production and DevLake from a pull request's first commit to its "
            "deployment; we start at the merge when there is one, so coding and review time are left out and "
            "our figure reads shorter."
        ),
        (DORA_GUIDE, DORA_2023, Source(_("Apache DevLake: lead time for changes"), DEVLAKE + "LeadTimeForChanges")),
    ),
    "change_fail_rate": Definition(
        _(
            "Production deployments that failed or that an incident is linked to (an incident is linked to the "
            "last successful production deployment before it opened), over all production deployments that "
            "finished in the period."
        ),
        _(
            "DORA counts deployments that need immediate intervention (a rollback or hotfix) and DevLake the "
            "deployments linked to incidents; we also count a deployment that itself failed, and see a rollback "
            "or hotfix only when it was sent as a failure or an incident."
        ),
        (DORA_GUIDE, DORA_2023, Source(_("Apache DevLake: change failure rate"), DEVLAKE + "CFR")),
    ),
    "recovery_median_hours": Definition(
        _(
            "The median over the incidents opened in the period (opened to resolved; unresolved ones are left "
            "out) and the runs of failed production deployments that began in it (the first failure to the next "
            "successful production deployment)."
        ),
        _(
            "DORA times the recovery from a failed deployment and DevLake reads it from incidents linked to "
            "deployments; we take every incident, whether or not a deployment caused it, and add runs of failed "
            "deployments, which need no incident."
        ),
        (
            DORA_GUIDE,
            DORA_2023,
            Source(_("Apache DevLake: failed deployment recovery time"), DEVLAKE + "FailedDeploymentRecoveryTime"),
        ),
    ),
    "rework_rate": Definition(
        _(
            "Production deployments that follow a failed change (the previous production deployment failed or "
            "has an incident linked to it), over all production deployments that finished in the period."
        ),
        _(
            "DORA counts the unplanned deployments made because of a production incident; we infer them from "
            "the order of deployments alone, not from why they were made. DORA gives no bands for this figure."
        ),
        (DORA_GUIDE,),
    ),
    "build_duration_median_seconds": Definition(
        _(
            "Each build's finish minus its start, over the builds that finished in the period (cancelled builds "
            "are left out): the median and the 90th percentile."
        ),
        _("The standard names build duration as an indicator without a formula; the median and percentile are ours."),
        (CAICT,),
    ),
    "pipeline_success_rate": Definition(
        _("Successful builds over the builds that finished in the period; cancelled builds are left out."),
        _("The standard names the build success rate without a formula; leaving out cancelled builds is ours."),
        (CAICT,),
    ),
    "delivery_cycle_median_days": Definition(
        _(
            "For each change deployed to production in the period, its authoring time to the finish of the "
            "deployment that carried it; the median, in days."
        ),
        _(
            "The standard's requirement delivery lead time starts when a requirement is raised; we receive no "
            "requirements, so we start at the change's authoring time as sent."
        ),
        (CAICT,),
    ),
    "release_per_week": Definition(
        _(
            "Versions (or, without a version, commits) that reached production for the first time in the period, "
            "that is their first successful production deployment, per week of the period's days so far."
        ),
        _(
            "The standard names release frequency without a formula. Unlike deployment frequency, a redeploy or "
            "rollback of a version already released does not count."
        ),
        (CAICT,),
    ),
    "ci_feedback_median_minutes": Definition(
        _(
            "On one pipeline and branch, from the first failed build of a red run to the next successful build; "
            "the median over the runs whose first failure finished in the period."
        ),
        _(
            "The standard times how long the trunk stays broken until fixed; we read it from the build results "
            "of each pipeline and branch, whichever the branch."
        ),
        (CAICT,),
    ),
    "test_coverage": Definition(
        _(
            "Line coverage from the newest scored coverage report (e.g. Cobertura or JaCoCo) among the evidence "
            "of the project's latest assessment; one value, not per period."
        ),
        _(
            "The standard's test automation coverage counts automated test cases; we read the share of code "
            "lines that the tests executed."
        ),
        (CAICT,),
    ),
}

# Companion figures read with the definition of their main figure.
COMPANIONS = {
    "deployment_frequency_per_day": "deployment_frequency_per_week",
    "lead_time_p90_hours": "lead_time_median_hours",
    "build_duration_p90_seconds": "build_duration_median_seconds",
}

"""Report benchmark: server time of the level report of a full Part 3 assessment and of the portfolio of 50
projects, each as a ratio to a trivial database-backed view (the bench's sign-in-checked count) measured in the
same run; and the time to render the full Part 3 report to PDF (what the `reports` worker does).

Run from the README's virtualenv against the local PostgreSQL:  .venv/bin/python bench/report.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 60
PROJECTS = 50
PDF_ROUNDS = 5


def portfolio_of(organisation, user, count: int) -> None:
    """`count` more projects, each with a Part 3 assessment answered like the full one, levels stored."""
    from assessment.models import Answer, Criterion, Project
    from assessment.selectors.catalog import current_model
    from assessment.services.assessments import start_assessment
    from assessment.services.levels import refresh_stored_levels
    from bench.seed import VALUES

    model = current_model()
    criteria = list(Criterion.objects.filter(model=model, subitem__item__subdomain__part__code="cd"))
    for index in range(count):
        project = Project.objects.create(organisation=organisation, name=f"Project {index:02}", target_level=3)
        assessment = start_assessment(project=project, actor=user, target_level=3, model=model)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                criterion=criterion,
                value=VALUES[(offset + index) % len(VALUES)],
                updated_by=user,
            )
            for offset, criterion in enumerate(criteria)
        )
        refresh_stored_levels(assessment)


def main() -> int:
    from bench.environment import configure, test_database

    configure(database="devops_maturity_bench", broker_variable="BENCH_BROKER_URL", broker="redis://127.0.0.1:6379/12")
    with test_database():
        from assessment.models import Membership
        from assessment.services.levels import refresh_stored_levels
        from bench.seed import full_assessment

        user, assessment = full_assessment(evidence_count=300)
        refresh_stored_levels(assessment)
        Membership.objects.filter(user=user).update(is_manager=True)
        portfolio_of(assessment.organisation, user, PROJECTS - 1)
        times = page_medians(user, assessment)
        first_pdf, pdf_seconds = pdf_seconds_of(assessment)
    trivial, report, portfolio = times["trivial"], times["report"], times["portfolio"]
    print(
        f"# trivial view {trivial:.2f} ms, report {report:.2f} ms, "
        f"portfolio of {PROJECTS} projects {portfolio:.2f} ms, report JSON {times['api_report']:.2f} ms "
        f"(medians of {ROUNDS}); PDF of the full Part 3 report {pdf_seconds:.2f} s (median of {PDF_ROUNDS}), "
        f"first render in a fresh process {first_pdf:.2f} s"
    )
    print(f"BENCH report_page_vs_trivial {report / trivial:.2f} ratio target <= 5")
    print(f"BENCH portfolio_50_projects_vs_trivial {portfolio / trivial:.2f} ratio target <= 5")
    print(f"BENCH report_pdf_full_part3 {pdf_seconds:.2f} s target <= 3")
    return 0


def page_medians(user, assessment) -> dict[str, float]:
    """Median server times (ms) of the trivial view, the report, the portfolio and the report JSON, interleaved."""
    from django.test import Client
    from django.urls import reverse

    from bench.timing import interleaved_medians_ms

    client = Client()
    client.force_login(user)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return interleaved_medians_ms(
        {
            "trivial": lambda: get(reverse("bench-trivial")),
            "report": lambda: get(reverse("report", args=(assessment.pk,))),
            "portfolio": lambda: get(reverse("portfolio", args=(assessment.organisation.slug,))),
            "api_report": lambda: get(f"/api/v1/assessments/{assessment.pk}/report/"),
        },
        rounds=ROUNDS,
    )


def pdf_seconds_of(assessment) -> tuple[float, float]:
    """Seconds of the first PDF render in this process (WeasyPrint imported, fonts loaded), then the median."""
    from django.utils import translation

    from assessment.reports.pdf import render_pdf
    from assessment.selectors.reports import assessment_report
    from bench.timing import median_ms

    def pdf():
        with translation.override("zh-hans"):
            render_pdf("reports/pdf.html", {"report": assessment_report(assessment), "kind": "report"})

    started = time.perf_counter()
    pdf()
    first_pdf = time.perf_counter() - started
    return first_pdf, median_ms(pdf, rounds=PDF_ROUNDS, warm=0) / 1000


if __name__ == "__main__":
    sys.exit(main())

"""Questionnaire benchmark: server time of questionnaire pages and of saving an answer, each as a ratio to a trivial
database-backed view (the bench's sign-in-checked count) measured in the same run.

The targets hold with the HTML caches off (HTML_CACHE=false: no rendered menu or report section is kept), so they
measure what rendering costs; the same figures with the caches on are printed beside them for the record.

Run from the README's virtualenv against the local PostgreSQL:  .venv/bin/python bench/questionnaire.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 40
NO_HTML_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

TARGETS = {  # figure: (what it measures, the most it may be as a multiple of the trivial view)
    "page": ("questionnaire_page_vs_trivial", 5),
    "all_on_one_page": ("questionnaire_all_on_one_page_vs_trivial", 12),
    "page_after_its_save": ("questionnaire_page_after_its_save_vs_trivial", 5),
    "save": ("answer_save_vs_trivial", 3),
    "first_view": ("questionnaire_first_view_vs_trivial", 5),
}


def ratios(client, assessment, never_viewed: list) -> dict[str, float]:
    """Each figure as a multiple of the trivial view, timed in turn with it (bench/timing.py)."""
    from django.urls import reverse

    from bench.timing import interleaved_medians_ms

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    values = iter(["met", "partly"] * (6 * ROUNDS))
    save_url = reverse("answer-save", args=(assessment.pk, "cd.tm.auto.execution@2"))

    def save():
        response = client.post(save_url, {"answer": next(values)}, headers={"hx-request": "true"})
        assert response.status_code == 200, response.status_code

    least_url = reverse("bench-least-save", args=(assessment.pk, "cd.tm.auto.execution@2"))

    def least_save():
        response = client.post(least_url, {"answer": next(values)})
        assert response.status_code == 200, response.status_code

    trivial = reverse("bench-trivial")
    pages = interleaved_medians_ms(
        {
            "trivial": lambda: get(trivial),
            "page": lambda: get(reverse("questionnaire", args=(assessment.pk, "cd.tm"))),  # the largest sub-domain
            "all_on_one_page": lambda: get(reverse("questionnaire", args=(assessment.pk, "all"))),
        },
        rounds=ROUNDS,
    )
    saves = interleaved_medians_ms(
        {
            "trivial": lambda: get(trivial),
            "save": save,
            "page_after_its_save": lambda: get(reverse("questionnaire", args=(assessment.pk, "cd.tm"))),
        },
        rounds=ROUNDS,
    )
    floor = interleaved_medians_ms({"trivial": lambda: get(trivial), "least_correct_save": least_save}, rounds=ROUNDS)
    unseen = iter(never_viewed)
    first_views = interleaved_medians_ms(
        {
            "trivial": lambda: get(trivial),
            "first_view": lambda: get(reverse("questionnaire", args=(next(unseen).pk, "cd.cm"))),
        },
        rounds=ROUNDS,
        warm=0,
    )
    figures = {}
    for measured in (pages, saves, floor, first_views):
        figures |= {name: time / measured["trivial"] for name, time in measured.items() if name != "trivial"}
    figures["trivial_ms"] = pages["trivial"]
    return figures


def never_viewed_assessments(user, count: int) -> list:
    """`count` more Part 3 assessments of the user's project, all answered, none opened yet."""
    from assessment.models import Answer, Criterion, Project
    from assessment.services.assessments import start_assessment
    from bench.seed import VALUES, analyse

    project = Project.objects.filter(team=user).first()
    criteria = list(Criterion.objects.filter(model__key="caict-devops", subitem__item__subdomain__part__code="cd"))
    created = []
    for index in range(count):
        assessment = start_assessment(project=project, actor=user, target_level=3, model=criteria[0].model)
        Answer.objects.bulk_create(
            Answer(assessment=assessment, criterion=criterion, value=VALUES[(n + index) % 5], updated_by=user)
            for n, criterion in enumerate(criteria)
        )
        created.append(assessment)
    analyse()
    return created


def main() -> int:
    from bench.environment import configure, test_database

    configure(database="devops_maturity_bench", broker_variable="BENCH_BROKER_URL", broker="redis://127.0.0.1:6379/12")
    with test_database():
        from django.conf import settings
        from django.test import Client, override_settings

        from bench.seed import full_assessment

        user, assessment = full_assessment(evidence_count=300)
        client = Client()
        client.force_login(user)
        readings = {}
        for name, caches in (("off", {**settings.CACHES, "fragments": NO_HTML_CACHE}), ("on", settings.CACHES)):
            with override_settings(CACHES=caches):
                readings[name] = ratios(client, assessment, never_viewed_assessments(user, ROUNDS))
    off, on = readings["off"], readings["on"]
    trivial_off, trivial_on = off["trivial_ms"], on["trivial_ms"]
    print(f"# trivial view {trivial_off:.2f} ms (HTML caches off), {trivial_on:.2f} ms (on); medians of {ROUNDS}")
    for figure, (name, target) in TARGETS.items():
        print(f"# {name} with the HTML caches on: {on[figure]:.2f}")
        print(f"BENCH {name} {off[figure]:.2f} ratio target <= {target}")
    print(
        "# the least a correct save does with the ORM (bench/urls.py: 8 queries, nothing rendered), HTML caches "
        f"off / on: {off['least_correct_save']:.2f} / {on['least_correct_save']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

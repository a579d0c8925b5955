"""Questionnaire benchmark: server time of the Part 3 questionnaire page and of saving an answer, each as a
ratio to a trivial database-backed view (the health check) measured in the same run.

Run from the README's virtualenv against the local PostgreSQL:  .venv/bin/python bench/questionnaire.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 40


def main() -> int:
    from bench.environment import configure, test_database

    configure(database="devops_maturity_bench", broker_variable="BENCH_BROKER_URL", broker="redis://127.0.0.1:6379/12")
    with test_database():
        from django.core.cache import caches
        from django.test import Client
        from django.urls import reverse

        from bench.seed import full_assessment
        from bench.timing import interleaved_medians_ms, median_after_ms

        user, assessment = full_assessment(evidence_count=300)
        client = Client()
        client.force_login(user)
        page = reverse("questionnaire", args=(assessment.pk, "all"))
        save = reverse("answer-save", args=(assessment.pk, "cd.env.env.types@2"))
        values = iter(["met", "partly"] * (ROUNDS + 10))

        def get(url, on=client):
            response = on.get(url)
            assert response.status_code == 200, response.status_code

        def clear_caches():
            caches["fragments"].clear()
            caches["pages"].clear()

        def save_answer():
            response = client.post(save, {"answer": next(values)}, headers={"hx-request": "true"})
            assert response.status_code == 200, response.status_code

        # Page views are measured among themselves, so the pages are as an unchanged questionnaire serves them;
        # the save alone (each one changes the answer) with the trivial view; and, for the record, a page
        # read right after each save, when its content must be rendered again.
        views = interleaved_medians_ms(
            {
                "trivial": lambda: get(reverse("bench-trivial")),
                "largest": lambda: get(reverse("questionnaire", args=(assessment.pk, "cd.tm"))),
                "full_page": lambda: get(page),
            },
            rounds=ROUNDS,
        )
        saves = interleaved_medians_ms(
            {"trivial": lambda: get(reverse("bench-trivial")), "saving": save_answer}, rounds=ROUNDS
        )
        # After a save the page of that answer renders its block again; any other page is put together anew
        # from blocks already rendered (its levels and progress bars changed).
        changed = interleaved_medians_ms(
            {
                "trivial": lambda: get(reverse("bench-trivial")),
                "save": save_answer,
                "page_after": lambda: get(reverse("questionnaire", args=(assessment.pk, "cd.env"))),
                "other_page_after": lambda: get(reverse("questionnaire", args=(assessment.pk, "cd.tm"))),
            },
            rounds=ROUNDS,
        )
        # A person opening the page in a browser session of their own gets what was rendered for another
        # session; with nothing cached (a new process), every block is rendered.
        sessions = [Client() for _ in range(ROUNDS + 5)]
        for other in sessions:
            other.force_login(user)
        fresh = iter(sessions)
        first_views = interleaved_medians_ms(
            {"trivial": lambda: get(reverse("bench-trivial")), "new_session": lambda: get(page, on=next(fresh))},
            rounds=ROUNDS,
        )
        empty_cache = median_after_ms(lambda: get(page), before=clear_caches, rounds=10)
        trivial, largest, full_page = views["trivial"], views["largest"], views["full_page"]
        save_trivial, saving = saves["trivial"], saves["saving"]
    print(
        f"# trivial view {trivial:.2f} ms, largest sub-domain {largest:.2f} ms, all of Part 3 on one page "
        f"{full_page:.2f} ms; trivial view {save_trivial:.2f} ms, save {saving:.2f} ms (medians of {ROUNDS})"
    )
    print(
        f"# after a save: its sub-domain's page {changed['page_after']:.2f} ms, the largest other sub-domain's "
        f"{changed['other_page_after']:.2f} ms, against a trivial view of {changed['trivial']:.2f} ms"
    )
    print(
        f"# all of Part 3 in a new browser session: {first_views['new_session']:.2f} ms against a trivial view of "
        f"{first_views['trivial']:.2f} ms; with nothing cached (a new process): {empty_cache:.2f} ms"
    )
    print(f"BENCH questionnaire_page_vs_trivial {largest / trivial:.2f} ratio target <= 5")
    print(f"BENCH questionnaire_all_on_one_page_vs_trivial {full_page / trivial:.2f} ratio target <= 5")
    new_session = first_views["new_session"] / first_views["trivial"]
    other_page = changed["other_page_after"] / changed["trivial"]
    print(f"BENCH questionnaire_other_page_after_a_save_vs_trivial {other_page:.2f} ratio target <= 5")
    print(f"BENCH questionnaire_all_on_one_page_new_session_vs_trivial {new_session:.2f} ratio target <= 5")
    print(f"BENCH answer_save_vs_trivial {saving / save_trivial:.2f} ratio target <= 3")
    return 0


if __name__ == "__main__":
    sys.exit(main())

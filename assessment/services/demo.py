"""Demo data for trying the app: the personas of DESIGN.md §8. Demo only: every password is demo12345."""

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_PASSWORD = "demo12345"  # noqa: S105 - published demo credential, never used outside demo data
DEMO_USERS = [
    ("team", "Tian", "Mei", "team member"),
    ("assessor", "Zhao", "Lei", "assessor"),
    ("manager", "Qian", "Hui", "manager"),
    ("orgadmin", "Sun", "Yan", "organisation admin"),
    ("outsider", "Li", "Wen", "member of another organisation"),
]


@transaction.atomic
def seed_demo() -> list[str]:
    """Creates the demo users, or resets their passwords; returns one line per user."""
    user_model = get_user_model()
    lines = []
    for username, last_name, first_name, role in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.com"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        lines.append(f"{'created' if created else 'kept'} {username} ({role})")
    return lines

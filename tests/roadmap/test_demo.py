import datetime as dt

import pytest

from accounts.models import User
from roadmap.demo import load_demo
from roadmap.models import HeldCredential, StepProgress


@pytest.mark.django_db
def test_demo_data_is_created_once_and_shows_a_student_midway(ladder):
    first = load_demo(today=dt.date(2026, 11, 25))
    second = load_demo(today=dt.date(2026, 11, 25))

    assert any(line.startswith("created student@example.com") for line in first)
    assert all(not line.startswith("created") for line in second)
    student = User.objects.get(email="student@example.com")
    statuses = dict(StepProgress.objects.filter(enrollment__user=student).values_list("step__key", "status"))
    assert statuses == {"certificate": "done", "cpc-a": "done", "coder-1": "in_progress"}
    assert set(
        HeldCredential.objects.filter(user__email="coder@example.com").values_list("credential__code", flat=True)
    ) == {
        "CPC",
        "CCC",
    }


@pytest.mark.django_db
def test_demo_student_can_sign_in(client, ladder):
    load_demo(today=dt.date(2026, 11, 25))

    client.post("/accounts/login/", {"login": "student@example.com", "password": "roadmap-demo-2026"})

    assert client.get("/dashboard/").status_code == 200

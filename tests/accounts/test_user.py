import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

User = get_user_model()


@pytest.mark.django_db
def test_people_sign_in_with_their_email_whatever_its_case():
    User.objects.create_user("Ann.Coder@Example.COM", password="a-long-password-1")

    assert authenticate(email="ann.coder@example.com", password="a-long-password-1") is not None
    assert not hasattr(User(), "username") or User().username is None


@pytest.mark.django_db
def test_one_address_is_one_account():
    User.objects.create_user("ann@example.com", password="x")

    with pytest.raises(IntegrityError):
        User.objects.create_user("ANN@example.com", password="y")


@pytest.mark.django_db
def test_superuser_is_staff():
    admin = User.objects.create_superuser("admin@example.com", password="a-long-password-1")

    assert admin.is_staff and admin.is_superuser

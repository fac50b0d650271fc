import pytest

# The assessment app's fixtures (益阳市, two counties, assessors) for the assessment hook tests.
from zhengwu.assessment.tests.conftest import assessors, city, frozen, heshan, ziyang  # noqa: F401
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", roles=[Role.AUDIT_ADMIN])


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk1", roles=[Role.WINDOW_CLERK])

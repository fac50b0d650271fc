import pytest


@pytest.fixture
def setup(db):
    from zhengwu.appointments.tests.factories import make_hall

    return make_hall()


@pytest.fixture
def citizen(db):
    from zhengwu.appointments.tests.factories import make_citizen

    return make_citizen()

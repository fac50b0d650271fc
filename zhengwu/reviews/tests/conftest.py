import pytest


@pytest.fixture
def county(db):
    from zhengwu.cases.tests.factories import make_county

    return make_county()


@pytest.fixture
def citizen(db):
    from zhengwu.cases.tests.factories import make_citizen

    return make_citizen()

import pytest


@pytest.fixture
def h(db):
    from zhengwu.queueing.tests.factories import make_hall

    return make_hall()

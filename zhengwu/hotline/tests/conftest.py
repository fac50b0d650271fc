import pytest


@pytest.fixture
def hotline(db):
    from zhengwu.hotline.tests.factories import make_hotline

    return make_hotline()

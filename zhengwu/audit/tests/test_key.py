"""The audit chain's key: its own environment variable, checked like the other keys."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhengwu.common.crypto import IntlBackend, SmBackend


def test_the_audit_mac_is_hmac_sm3_keyed_by_the_audit_key_alone():
    one = SmBackend(audit_key="11" * 32, blind_index_key="22" * 32)
    other = SmBackend(audit_key="33" * 32, blind_index_key="22" * 32)

    assert one.audit_mac(b"row") != other.audit_mac(b"row")
    assert one.audit_mac(b"row") == SmBackend(audit_key="11" * 32).audit_mac(b"row")
    assert len(one.audit_mac(b"row")) == 64


def test_the_intl_backend_chains_with_hmac_sha256():
    assert IntlBackend(audit_key="11" * 32).audit_mac(b"row") != SmBackend(audit_key="11" * 32).audit_mac(
        b"row"
    )


def test_without_the_key_in_production_the_first_record_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_AUDIT_KEY"):
        SmBackend(development_secret=None).audit_mac(b"row")


def test_a_short_key_is_refused():
    with pytest.raises(ImproperlyConfigured, match="太短"):
        SmBackend(audit_key="11" * 8).audit_mac(b"row")


def test_development_derives_a_key_from_the_secret():
    assert SmBackend(development_secret="s").audit_mac(b"row") == SmBackend(development_secret="s").audit_mac(
        b"row"
    )
    assert SmBackend(development_secret="s").audit_mac(b"row") != SmBackend(development_secret="t").audit_mac(
        b"row"
    )

"""The crypto interface of SECURITY.md §3: both built-in backends, key rotation, configuration."""

import json
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured

from zhengwu.common import crypto
from zhengwu.common.crypto import CryptoBackend, IntlBackend, SmBackend, get_backend, reset_backend
from zhengwu.common.errors import DomainError

BACKENDS = ["sm", "intl"]
KEY_SIZE = {"sm": 16, "intl": 32}
# GB/T 32918.5 / GM/T 0003 sample key pair.
SM2_SAMPLE_PRIVATE = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
SM2_SAMPLE_PUBLIC = (
    "04"
    "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"
)


@pytest.fixture(autouse=True)
def _fresh_backend():
    reset_backend()
    yield
    reset_backend()


def _key(byte: str, backend: str) -> str:
    return byte * KEY_SIZE[backend]


def _use(settings, backend: str, **values: str) -> CryptoBackend:
    settings.ZHENGWU_CRYPTO_BACKEND = backend
    for name, value in values.items():
        setattr(settings, name, value)
    reset_backend()
    return get_backend()


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _assert_decrypt_fails(backend: CryptoBackend, token: bytes, aad: bytes = b"") -> None:
    with pytest.raises(DomainError) as caught:
        backend.decrypt(token, aad=aad)
    assert caught.value.code == "decrypt_failed"
    assert caught.value.message == "数据解密失败：密文已损坏或密钥不可用。"


def test_sm_is_the_default_backend_and_names_the_commercial_algorithms(settings):
    backend = get_backend()
    assert isinstance(backend, SmBackend)
    assert (
        backend.name,
        backend.cipher_algorithm,
        backend.digest_algorithm,
        backend.signature_algorithm,
    ) == (
        "sm",
        "SM4-GCM",
        "SM3",
        "SM2-with-SM3",
    )
    intl = _use(settings, "intl")
    assert isinstance(intl, IntlBackend)
    assert (intl.cipher_algorithm, intl.digest_algorithm, intl.signature_algorithm) == (
        "AES-256-GCM",
        "SHA-256",
        "ECDSA-P256-SHA256",
    )


def test_get_backend_is_cached_until_reset_or_a_crypto_setting_changes(settings):
    first = get_backend()
    assert get_backend() is first
    reset_backend()
    second = get_backend()
    assert second is not first
    settings.ZHENGWU_CRYPTO_KEYS = "k1:" + "11" * 16
    assert get_backend() is not second


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize("plaintext", [b"", b"110101199003077777", "张三 电子证照".encode() * 100])
def test_encrypt_decrypt_round_trip_with_and_without_aad(settings, name, plaintext):
    backend = _use(settings, name)
    assert backend.decrypt(backend.encrypt(plaintext)) == plaintext
    token = backend.encrypt(plaintext, aad=b"certificates.Certificate:42")
    assert backend.decrypt(token, aad=b"certificates.Certificate:42") == plaintext
    assert backend.decrypt(memoryview(token), aad=b"certificates.Certificate:42") == plaintext


@pytest.mark.parametrize("name", BACKENDS)
def test_a_token_embeds_version_key_id_and_a_fresh_nonce(settings, name):
    backend = _use(settings, name, ZHENGWU_CRYPTO_KEYS=f"k2026:{_key('ab', name)}")
    first, second = backend.encrypt(b"same"), backend.encrypt(b"same")
    assert first != second
    assert first[0] == backend.token_version
    assert first[1:7] == b"\x05k2026"
    assert len(first) == 2 + 5 + crypto.NONCE_SIZE + len(b"same") + crypto.TAG_SIZE


@pytest.mark.parametrize("name", BACKENDS)
def test_any_flipped_byte_of_the_token_or_a_changed_aad_fails_decryption(settings, name):
    backend = _use(settings, name)
    token = backend.encrypt(b"secret material", aad=b"row:1")
    for index in range(len(token)):
        _assert_decrypt_fails(backend, _flip(token, index), aad=b"row:1")
    _assert_decrypt_fails(backend, token, aad=b"row:2")
    _assert_decrypt_fails(backend, token)
    _assert_decrypt_fails(backend, token[:-1], aad=b"row:1")
    _assert_decrypt_fails(backend, b"", aad=b"row:1")
    _assert_decrypt_fails(backend, token[:20], aad=b"row:1")


def test_a_token_of_one_backend_does_not_decrypt_on_the_other(settings):
    sm_token = _use(settings, "sm").encrypt(b"x")
    _assert_decrypt_fails(_use(settings, "intl"), sm_token)


@pytest.mark.parametrize("name", BACKENDS)
def test_an_old_key_still_decrypts_after_rotation_until_it_is_removed(settings, name):
    old, new = f"old:{_key('01', name)}", f"new:{_key('02', name)}"
    token = _use(settings, name, ZHENGWU_CRYPTO_KEYS=old).encrypt(b"before rotation")

    rotated = _use(settings, name, ZHENGWU_CRYPTO_KEYS=f"{new},{old}")
    assert rotated.decrypt(token) == b"before rotation"
    assert rotated.encrypt(b"after")[1:5] == b"\x03new"

    _assert_decrypt_fails(_use(settings, name, ZHENGWU_CRYPTO_KEYS=new), token)


def test_data_keys_may_also_be_given_as_a_json_object_first_key_current(settings):
    keys = json.dumps({"new": _key("02", "sm"), "old": _key("01", "sm")})
    old_token = _use(settings, "sm", ZHENGWU_CRYPTO_KEYS="old:" + _key("01", "sm")).encrypt(b"x")
    backend = _use(settings, "sm", ZHENGWU_CRYPTO_KEYS=keys)
    assert backend.decrypt(old_token) == b"x"
    assert backend.encrypt(b"x")[1:5] == b"\x03new"


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("sm", "k1:" + "00" * 32),  # an AES-256 length key on SM4
        ("intl", "k1:" + "00" * 16),  # an SM4 length key on AES-256
        ("sm", "k1:not-hex-at-all-not-hex-at-all"),
        ("sm", "just-a-key-without-id"),
        ("sm", "bad id:" + "00" * 16),
        ("sm", f"k1:{'00' * 16},k1:{'11' * 16}"),
        ("sm", '{"k1": 5}'),
        ("sm", "{not json"),
    ],
)
def test_malformed_data_keys_are_a_configuration_error_not_a_silent_fallback(settings, name, keys):
    backend = _use(settings, name, ZHENGWU_CRYPTO_KEYS=keys)
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_CRYPTO_KEYS"):
        backend.encrypt(b"x")


@pytest.mark.parametrize("name", BACKENDS)
def test_blind_index_is_stable_and_depends_only_on_its_own_key(settings, name):
    backend = _use(settings, name, ZHENGWU_BLIND_INDEX_KEY="aa" * 32)
    index = backend.blind_index("110101199003077777")
    assert len(index) == 64
    assert int(index, 16) >= 0
    assert backend.blind_index("110101199003077777") == index
    assert backend.blind_index("110101199003077778") != index

    rotated_data_keys = _use(settings, name, ZHENGWU_CRYPTO_KEYS=f"k9:{_key('09', name)}")
    assert rotated_data_keys.blind_index("110101199003077777") == index
    other_key = _use(settings, name, ZHENGWU_BLIND_INDEX_KEY="bb" * 32)
    assert other_key.blind_index("110101199003077777") != index


def test_blind_index_key_must_be_hex_and_long_enough(settings):
    backend = _use(settings, "sm", ZHENGWU_BLIND_INDEX_KEY="aa" * 8)
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_BLIND_INDEX_KEY"):
        backend.blind_index("x")


def test_digests_are_sm3_and_sha256_known_answers(settings):
    assert (
        _use(settings, "sm").digest(b"abc")
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert (
        _use(settings, "intl").digest(b"abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize("name", BACKENDS)
def test_signatures_verify_and_any_change_of_data_or_signature_fails(settings, name):
    backend = _use(settings, name)
    data = "电子证照 ZZ-2026-000001 张三".encode()
    signature = backend.sign(data)
    assert len(signature) == 128
    assert backend.verify(data, signature)
    assert backend.verify(data, backend.sign(data))
    assert not backend.verify(_flip(data, 0), signature)
    assert not backend.verify(data + b"!", signature)
    tampered = signature[:10] + ("1" if signature[10] != "1" else "2") + signature[11:]
    assert not backend.verify(data, tampered)
    for garbage in ["", "zz" * 64, "00" * 64, signature[:-2], "ff" * 64]:
        assert not backend.verify(data, garbage)


@pytest.mark.parametrize("name", BACKENDS)
def test_another_key_does_not_verify_and_the_fingerprint_names_the_key(settings, name):
    first = _use(settings, name)
    signature = first.sign(b"decision")
    fingerprint = first.public_key_fingerprint()
    assert len(fingerprint) == 64
    assert fingerprint == first.digest(bytes.fromhex(first.public_key()))
    other = _use(settings, name, ZHENGWU_SIGNING_KEY="1234" * 16)
    assert not other.verify(b"decision", signature)
    assert other.public_key_fingerprint() != fingerprint
    assert other.public_key().startswith("04")
    assert len(other.public_key()) == 130


def test_a_configured_sm2_key_gives_the_standard_public_key(settings):
    backend = _use(settings, "sm", ZHENGWU_SIGNING_KEY=SM2_SAMPLE_PRIVATE)
    assert backend.public_key() == SM2_SAMPLE_PUBLIC
    assert backend.verify(b"abc", backend.sign(b"abc"))


def test_an_ecdsa_key_may_be_a_pem_with_escaped_newlines(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    backend = _use(settings, "intl", ZHENGWU_SIGNING_KEY=pem.strip().replace("\n", "\\n"))
    expected = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert backend.public_key() == expected.hex()
    assert backend.verify(b"abc", backend.sign(b"abc"))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("sm", "00" * 32),
        ("sm", "ff" * 32),
        ("sm", "abc"),
        ("intl", "00" * 32),
        ("intl", "-----BEGIN nonsense"),
    ],
)
def test_an_invalid_signing_key_is_a_configuration_error(settings, name, key):
    backend = _use(settings, name, ZHENGWU_SIGNING_KEY=key)
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_SIGNING_KEY"):
        backend.sign(b"x")


def test_development_keys_are_derived_from_secret_key(settings):
    token = _use(settings, "sm").encrypt(b"x")
    assert token[1:10] == b"\x08dev-only"
    assert _use(settings, "sm").decrypt(token) == b"x"
    index = get_backend().blind_index("x")
    other = _use(settings, "sm", SECRET_KEY="another development secret key " * 2)
    _assert_decrypt_fails(other, token)
    assert other.blind_index("x") != index


@pytest.mark.parametrize("name", BACKENDS)
def test_production_mode_without_keys_raises_improperly_configured_at_first_use(settings, name):
    backend = _use(settings, name, ZHENGWU_CRYPTO_DEV_KEYS=False)
    assert backend.digest(b"needs no key")
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_CRYPTO_KEYS 未设置：生产模式必须"):
        backend.encrypt(b"x")
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_CRYPTO_KEYS 未设置"):
        backend.decrypt(b"\x01\x00" + b"\x00" * 40)
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_BLIND_INDEX_KEY 未设置"):
        backend.blind_index("x")
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_SIGNING_KEY 未设置"):
        backend.sign(b"x")
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_SIGNING_KEY 未设置"):
        backend.public_key_fingerprint()


def test_production_mode_with_keys_works(settings):
    backend = _use(
        settings,
        "sm",
        ZHENGWU_CRYPTO_DEV_KEYS=False,
        ZHENGWU_CRYPTO_KEYS="k1:" + "11" * 16,
        ZHENGWU_BLIND_INDEX_KEY="22" * 32,
        ZHENGWU_SIGNING_KEY=SM2_SAMPLE_PRIVATE,
    )
    assert backend.decrypt(backend.encrypt(b"x")) == b"x"
    assert backend.blind_index("x")
    assert backend.verify(b"x", backend.sign(b"x"))


def test_zhengwu_debug_0_turns_development_keys_off(tmp_path):
    code = (
        "import django;django.setup();"
        "from django.conf import settings;print(settings.ZHENGWU_CRYPTO_DEV_KEYS);"
        "from zhengwu.common.crypto import get_backend;get_backend().encrypt(b'x')"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
        "ZHENGWU_DEBUG": "0",
        "SECRET_KEY": "production-secret-" * 3,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "False"
    assert result.returncode != 0
    assert "ImproperlyConfigured: ZHENGWU_CRYPTO_KEYS 未设置" in result.stderr


def _not_a_backend():
    return object()


def test_the_backend_may_be_a_dotted_path_for_an_hsm_plug_in(settings):
    assert isinstance(_use(settings, "zhengwu.common.crypto.IntlBackend"), IntlBackend)
    with pytest.raises(ImproperlyConfigured, match="CryptoBackend"):
        _use(settings, f"{__name__}._not_a_backend")
    with pytest.raises(ImproperlyConfigured, match="无法导入"):
        _use(settings, "zhengwu.common.nowhere.HsmBackend")
    with pytest.raises(ImproperlyConfigured, match="ZHENGWU_CRYPTO_BACKEND"):
        _use(settings, "hsm")

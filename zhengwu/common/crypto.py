"""The one cryptography interface of SECURITY.md §3 (商用密码): every encryption, MAC, hash and signature.

    from zhengwu.common.crypto import get_backend

    token = get_backend().encrypt(plaintext, aad=b"certificates.Certificate:42")
    plaintext = get_backend().decrypt(token, aad=b"certificates.Certificate:42")

Backends (``ZHENGWU_CRYPTO_BACKEND``):

    sm     the default, the algorithms GB/T 39786-2021 (密评) expects: SM4-GCM, HMAC-SM3, SM3 and SM2
           signatures with SM3 (pyca ``cryptography`` for SM4/SM3, ``gmssl`` for SM2).
    intl   AES-256-GCM, HMAC-SHA-256, SHA-256 and ECDSA P-256 with SHA-256 (pyca ``cryptography``).
    a dotted path, e.g. ``acme_hsm.zhengwu.HsmBackend``: a ``CryptoBackend`` subclass with a
           ``from_settings()`` classmethod, or any zero-argument callable returning a ``CryptoBackend``.
           This is how a certified 密码机/HSM is plugged in (none ships here): it implements every abstract
           method of ``CryptoBackend``, keeps its keys in the device and reads its own settings.

Keys come from the environment (read in ``zhengwu/config/settings.py``), never from the database:

    ZHENGWU_CRYPTO_KEYS      data keys, ``kid:hexkey,kid2:hexkey`` or a JSON object ``{"kid": "hexkey"}``.
                             The first is current and encrypts; the others only decrypt (key rotation).
                             SM4 keys are 16 bytes (32 hex digits), AES-256 keys 32 bytes (64 hex digits).
    ZHENGWU_BLIND_INDEX_KEY  hex, at least 16 bytes; the HMAC key of blind indexes, separate from data keys.
    ZHENGWU_SIGNING_KEY      SM2: the private key as 64 hex digits. ECDSA: an unencrypted PEM private key
                             (``\\n`` escapes allowed) or the private scalar as 64 hex digits.
    ZHENGWU_AUDIT_KEY        hex, at least 16 bytes; the HMAC key of the audit log's hash chain (``audit_mac``).

With ``ZHENGWU_DEBUG=1`` (development and tests) a key that is not set is derived from SECRET_KEY with HKDF.
Those keys are for DEVELOPMENT ONLY; their data key id is ``dev-only``. With ``ZHENGWU_DEBUG=0`` a missing
key raises ImproperlyConfigured when it is first used.

Token layout (the output of ``encrypt``), everything but the ciphertext and tag authenticated with the
caller's ``aad``::

    version (1 byte: 1 = SM4-GCM, 2 = AES-256-GCM) | key id length (1 byte) | key id (ASCII)
    | nonce (12 bytes) | ciphertext | GCM tag (16 bytes)

Signatures are hex of ``r || s`` (64 bytes, 128 hex digits) on both built-in backends.
"""

from __future__ import annotations

import abc
import functools
import json
import os
import re
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from gmssl import sm2

from zhengwu.common.errors import DomainError

NONCE_SIZE = 12
TAG_SIZE = 16
DEV_KEY_ID = "dev-only"
_KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_SIGNATURE = re.compile(r"[0-9a-fA-F]{128}")
_SM2_ORDER = int(sm2.default_ecc_table["n"], 16)
_P256_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def _decrypt_failed() -> DomainError:
    return DomainError(code="decrypt_failed", message="数据解密失败：密文已损坏或密钥不可用。")


class CryptoBackend(abc.ABC):
    """What the rest of the code may ask of cryptography. Implementations: SmBackend, IntlBackend, or a plug-in."""

    name: str
    cipher_algorithm: str
    digest_algorithm: str
    signature_algorithm: str

    @abc.abstractmethod
    def encrypt(self, plaintext: bytes, *, aad: bytes = b"") -> bytes:
        """AEAD-encrypt with the current data key; the token carries version, key id and nonce."""

    @abc.abstractmethod
    def decrypt(self, token: bytes, *, aad: bytes = b"") -> bytes:
        """Reverse `encrypt` with any listed key; DomainError("decrypt_failed") when that fails."""

    @abc.abstractmethod
    def blind_index(self, value: str) -> str:
        """Keyed MAC (hex) of the exact UTF-8 bytes of `value`; callers normalise the value first."""

    def audit_mac(self, data: bytes) -> str:
        """Keyed MAC (hex) of `data` with the audit key: the links of the audit log's hash chain."""
        raise NotImplementedError(f"密码后端 {self.name} 未实现审计日志的 HMAC（audit_mac）。")

    @abc.abstractmethod
    def digest(self, data: bytes) -> str:
        """Unkeyed hash (hex), e.g. a file checksum."""

    @abc.abstractmethod
    def sign(self, data: bytes) -> str:
        """Signature of `data` with the signing key, as hex."""

    @abc.abstractmethod
    def verify(self, data: bytes, signature: str) -> bool:
        """True when `signature` is a valid signature of `data` by this backend's signing key; never raises."""

    @abc.abstractmethod
    def public_key(self) -> str:
        """The verification key as hex of the uncompressed point 04 || x || y, for verifiers elsewhere."""

    def public_key_fingerprint(self) -> str:
        """`digest` of the uncompressed public key point; printed on certificates to name the key."""
        return self.digest(bytes.fromhex(self.public_key()))


# -- configuration ------------------------------------------------------------------------------------


def _missing(variable: str, what: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{variable} 未设置：生产模式必须通过环境变量提供{what}（见 .env.example）。")


def _hex(value: str, variable: str) -> bytes:
    try:
        return bytes.fromhex(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{variable} 不是合法的十六进制数。") from None


def _development_key(secret: str, purpose: str, length: int) -> bytes:
    """DEVELOPMENT ONLY: a deterministic key derived from SECRET_KEY for a variable that is not set."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=length,
        salt=b"zhengwu development-only keys, never for production",
        info=purpose.encode(),
    )
    return hkdf.derive(secret.encode())


def _parse_data_keys(raw: str, size: int, cipher: str) -> dict[str, bytes]:
    raw = raw.strip()
    pairs: list[tuple[Any, Any]] = []
    if raw.startswith("{"):
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ImproperlyConfigured(
                'ZHENGWU_CRYPTO_KEYS 不是合法的 JSON 对象 {"密钥编号": "十六进制密钥"}。'
            )
        pairs = list(parsed.items())
    else:
        for part in raw.split(","):
            if not part.strip():
                continue
            kid, sep, hex_key = part.partition(":")
            if not sep:
                raise ImproperlyConfigured(
                    "ZHENGWU_CRYPTO_KEYS 的格式应为“密钥编号:十六进制密钥,密钥编号:十六进制密钥”。"
                )
            pairs.append((kid.strip(), hex_key))
    keys: dict[str, bytes] = {}
    for kid, hex_key in pairs:
        if not isinstance(kid, str) or not _KEY_ID.fullmatch(kid):
            raise ImproperlyConfigured(
                f"ZHENGWU_CRYPTO_KEYS 中的密钥编号 {kid!r} 不合法：只能由字母、数字和 _ . - 组成，最长 64 个字符。"
            )
        if kid in keys:
            raise ImproperlyConfigured(f"ZHENGWU_CRYPTO_KEYS 中的密钥编号 {kid} 重复。")
        if not isinstance(hex_key, str):
            raise ImproperlyConfigured(f"ZHENGWU_CRYPTO_KEYS 中密钥 {kid} 应为十六进制字符串。")
        key = _hex(hex_key, f"ZHENGWU_CRYPTO_KEYS 中的密钥 {kid}")
        if len(key) != size:
            raise ImproperlyConfigured(
                f"ZHENGWU_CRYPTO_KEYS 中的密钥 {kid} 长度不对：{cipher} 需要 {size} 字节（{size * 2} 个十六进制字符）。"
            )
        keys[kid] = key
    if not keys:
        raise ImproperlyConfigured("ZHENGWU_CRYPTO_KEYS 中没有任何密钥。")
    return keys


# -- signers --------------------------------------------------------------------------------------------


def _split_signature(signature: str, order: int) -> tuple[int, int] | None:
    if not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature):
        return None
    r, s = int(signature[:64], 16), int(signature[64:], 16)
    if not (0 < r < order and 0 < s < order):
        return None
    return r, s


class _Sm2Signer:
    """SM2 with SM3 (GB/T 32918, default user id 1234567812345678) through gmssl."""

    def __init__(self, private_key: int):
        self._sm2 = sm2.CryptSM2(private_key=f"{private_key:064x}", public_key="")
        # Set the public key ourselves: gmssl's constructor strips a leading "04" with str.lstrip, which also
        # eats a leading 0 or 4 digit of x.
        self._sm2.public_key = point = str(self._sm2._kg(private_key, self._sm2.ecc_table["g"]))
        self._public_key = "04" + point

    def public_key(self) -> str:
        return self._public_key

    def sign(self, data: bytes) -> str:
        while True:
            # gmssl's default nonce comes from `random`, which is predictable: a known nonce reveals the key.
            k = secrets.randbelow(_SM2_ORDER - 1) + 1
            signature = self._sm2.sign_with_sm3(data, f"{k:064x}")
            if signature:
                return str(signature)

    def verify(self, data: bytes, signature: str) -> bool:
        if _split_signature(signature, _SM2_ORDER) is None:
            return False
        try:
            return bool(self._sm2.verify_with_sm3(signature, data))
        except (TypeError, ValueError):
            return False


class _EcdsaSigner:
    """ECDSA over P-256 with SHA-256 through pyca cryptography."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey):
        self._key = private_key

    def public_key(self) -> str:
        point = self._key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return point.hex()

    def sign(self, data: bytes) -> str:
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(hashes.SHA256())))
        return f"{r:064x}{s:064x}"

    def verify(self, data: bytes, signature: str) -> bool:
        parts = _split_signature(signature, _P256_ORDER)
        if parts is None:
            return False
        try:
            self._key.public_key().verify(encode_dss_signature(*parts), data, ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError):
            return False
        return True


# -- software backends ---------------------------------------------------------------------------------


class _SoftwareBackend(CryptoBackend):
    """Keys in process memory, loaded from the configuration at first use of each one."""

    token_version: int
    key_size: int
    signing_key_order: int
    _cipher: type[algorithms.SM4] | type[algorithms.AES]
    _hash: type[hashes.SM3] | type[hashes.SHA256]

    def __init__(
        self,
        *,
        data_keys: str = "",
        blind_index_key: str = "",
        signing_key: str = "",
        audit_key: str = "",
        development_secret: str | None = None,
    ):
        """Raw values in the environment formats; `development_secret` (SECRET_KEY) enables development keys."""
        self._raw_data_keys = data_keys
        self._raw_blind_index_key = blind_index_key
        self._raw_signing_key = signing_key
        self._raw_audit_key = audit_key
        self._development_secret = development_secret

    @classmethod
    def from_settings(cls) -> _SoftwareBackend:
        return cls(
            data_keys=settings.ZHENGWU_CRYPTO_KEYS,
            blind_index_key=settings.ZHENGWU_BLIND_INDEX_KEY,
            signing_key=settings.ZHENGWU_SIGNING_KEY,
            audit_key=getattr(settings, "ZHENGWU_AUDIT_KEY", ""),
            development_secret=settings.SECRET_KEY if settings.ZHENGWU_CRYPTO_DEV_KEYS else None,
        )

    def _development(self, purpose: str, length: int, variable: str, what: str) -> bytes:
        if self._development_secret is None:
            raise _missing(variable, what)
        return _development_key(self._development_secret, f"{self.name} {purpose}", length)

    @functools.cached_property
    def _data_keys(self) -> dict[str, bytes]:
        """Key id -> key, the current one first."""
        if self._raw_data_keys.strip():
            return _parse_data_keys(self._raw_data_keys, self.key_size, self.cipher_algorithm)
        key = self._development("data key", self.key_size, "ZHENGWU_CRYPTO_KEYS", "数据加密密钥")
        return {DEV_KEY_ID: key}

    @functools.cached_property
    def _blind_index_key(self) -> bytes:
        if self._raw_blind_index_key.strip():
            key = _hex(self._raw_blind_index_key, "ZHENGWU_BLIND_INDEX_KEY")
            if len(key) < 16:
                raise ImproperlyConfigured(
                    "ZHENGWU_BLIND_INDEX_KEY 太短：至少需要 16 字节（32 个十六进制字符）。"
                )
            return key
        return self._development("blind index key", 32, "ZHENGWU_BLIND_INDEX_KEY", "盲索引密钥")

    @functools.cached_property
    def _audit_key(self) -> bytes:
        if self._raw_audit_key.strip():
            key = _hex(self._raw_audit_key, "ZHENGWU_AUDIT_KEY")
            if len(key) < 16:
                raise ImproperlyConfigured("ZHENGWU_AUDIT_KEY 太短：至少需要 16 字节（32 个十六进制字符）。")
            return key
        return self._development("audit key", 32, "ZHENGWU_AUDIT_KEY", "审计日志密钥")

    @functools.cached_property
    def _signer(self) -> _Sm2Signer | _EcdsaSigner:
        raw = self._raw_signing_key.strip()
        if raw:
            return self._load_signer(raw)
        seed = self._development("signing key", 40, "ZHENGWU_SIGNING_KEY", "签名私钥")
        return self._signer_from_scalar(int.from_bytes(seed, "big") % (self.signing_key_order - 2) + 1)

    def _load_signer(self, raw: str) -> _Sm2Signer | _EcdsaSigner:
        raise NotImplementedError

    def _signer_from_scalar(self, scalar: int) -> _Sm2Signer | _EcdsaSigner:
        raise NotImplementedError

    def encrypt(self, plaintext: bytes, *, aad: bytes = b"") -> bytes:
        kid, key = next(iter(self._data_keys.items()))
        nonce = os.urandom(NONCE_SIZE)
        header = bytes([self.token_version, len(kid)]) + kid.encode("ascii") + nonce
        encryptor = Cipher(self._cipher(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(header + aad)
        body = encryptor.update(plaintext) + encryptor.finalize()
        return header + body + encryptor.tag

    def decrypt(self, token: bytes, *, aad: bytes = b"") -> bytes:
        keys = self._data_keys  # a missing configuration is reported as such, not as a bad token
        token = bytes(token)  # BinaryField values may arrive as memoryview
        if len(token) < 2 or token[0] != self.token_version:
            raise _decrypt_failed()
        nonce_at = 2 + token[1]
        body_at = nonce_at + NONCE_SIZE
        if len(token) < body_at + TAG_SIZE:
            raise _decrypt_failed()
        key = keys.get(token[2:nonce_at].decode("ascii", errors="replace"))
        if key is None:
            raise _decrypt_failed()
        header, body, tag = token[:body_at], token[body_at:-TAG_SIZE], token[-TAG_SIZE:]
        decryptor = Cipher(self._cipher(key), modes.GCM(token[nonce_at:body_at], tag)).decryptor()
        decryptor.authenticate_additional_data(header + aad)
        try:
            return decryptor.update(body) + decryptor.finalize()
        except InvalidTag:
            raise _decrypt_failed() from None

    def blind_index(self, value: str) -> str:
        mac = hmac.HMAC(self._blind_index_key, self._hash())
        mac.update(value.encode("utf-8"))
        return mac.finalize().hex()

    def audit_mac(self, data: bytes) -> str:
        mac = hmac.HMAC(self._audit_key, self._hash())
        mac.update(data)
        return mac.finalize().hex()

    def digest(self, data: bytes) -> str:
        hasher = hashes.Hash(self._hash())
        hasher.update(data)
        return hasher.finalize().hex()

    def sign(self, data: bytes) -> str:
        return self._signer.sign(data)

    def verify(self, data: bytes, signature: str) -> bool:
        return self._signer.verify(data, signature)

    def public_key(self) -> str:
        return self._signer.public_key()


class SmBackend(_SoftwareBackend):
    """The default: SM4-GCM, HMAC-SM3, SM3, SM2 signatures with SM3."""

    name = "sm"
    cipher_algorithm = "SM4-GCM"
    digest_algorithm = "SM3"
    signature_algorithm = "SM2-with-SM3"
    token_version = 1
    key_size = 16
    signing_key_order = _SM2_ORDER
    _cipher = algorithms.SM4
    _hash = hashes.SM3

    def _load_signer(self, raw: str) -> _Sm2Signer:
        scalar = int.from_bytes(_hex(raw, "ZHENGWU_SIGNING_KEY"), "big")
        if len(raw) != 64 or not 0 < scalar < _SM2_ORDER - 1:
            raise ImproperlyConfigured(
                "ZHENGWU_SIGNING_KEY 不是合法的 SM2 私钥：应为 64 位十六进制数，且小于曲线阶减一。"
            )
        return _Sm2Signer(scalar)

    def _signer_from_scalar(self, scalar: int) -> _Sm2Signer:
        return _Sm2Signer(scalar)


class IntlBackend(_SoftwareBackend):
    """International algorithms: AES-256-GCM, HMAC-SHA-256, SHA-256, ECDSA P-256 with SHA-256."""

    name = "intl"
    cipher_algorithm = "AES-256-GCM"
    digest_algorithm = "SHA-256"
    signature_algorithm = "ECDSA-P256-SHA256"
    token_version = 2
    key_size = 32
    signing_key_order = _P256_ORDER
    _cipher = algorithms.AES
    _hash = hashes.SHA256

    def _load_signer(self, raw: str) -> _EcdsaSigner:
        if raw.startswith("-----BEGIN"):
            try:
                key = serialization.load_pem_private_key(raw.replace("\\n", "\n").encode(), password=None)
            except (ValueError, TypeError):
                raise ImproperlyConfigured(
                    "ZHENGWU_SIGNING_KEY 不是可读取的 PEM 私钥（须未加密）。"
                ) from None
            if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
                raise ImproperlyConfigured("ZHENGWU_SIGNING_KEY 必须是 P-256（secp256r1）椭圆曲线私钥。")
            return _EcdsaSigner(key)
        scalar = int.from_bytes(_hex(raw, "ZHENGWU_SIGNING_KEY"), "big")
        if len(raw) != 64 or not 0 < scalar < _P256_ORDER:
            raise ImproperlyConfigured(
                "ZHENGWU_SIGNING_KEY 不是合法的 P-256 私钥：应为 PEM 或 64 位十六进制数。"
            )
        return self._signer_from_scalar(scalar)

    def _signer_from_scalar(self, scalar: int) -> _EcdsaSigner:
        return _EcdsaSigner(ec.derive_private_key(scalar, ec.SECP256R1()))


# -- the accessor ---------------------------------------------------------------------------------------

_BUILT_IN = {"sm": SmBackend, "intl": IntlBackend}
_SETTINGS = {
    "SECRET_KEY",
    "ZHENGWU_CRYPTO_BACKEND",
    "ZHENGWU_CRYPTO_KEYS",
    "ZHENGWU_BLIND_INDEX_KEY",
    "ZHENGWU_SIGNING_KEY",
    "ZHENGWU_AUDIT_KEY",
    "ZHENGWU_CRYPTO_DEV_KEYS",
}


@functools.cache
def get_backend() -> CryptoBackend:
    """The configured backend, built once per process (keys load at their first use)."""
    choice = (settings.ZHENGWU_CRYPTO_BACKEND or "sm").strip()
    factory: Any = _BUILT_IN.get(choice)
    if factory is None:
        if "." not in choice:
            raise ImproperlyConfigured(
                f"ZHENGWU_CRYPTO_BACKEND={choice!r} 无效：应为 sm、intl 或密码后端的完整导入路径。"
            )
        try:
            factory = import_string(choice)
        except ImportError as exc:
            raise ImproperlyConfigured(f"无法导入密码后端 {choice}：{exc}") from exc
    backend = getattr(factory, "from_settings", factory)()
    if not isinstance(backend, CryptoBackend):
        raise ImproperlyConfigured(f"密码后端 {choice} 没有返回 CryptoBackend 实例。")
    return backend


def reset_backend() -> None:
    """Forget the cached backend, so the next `get_backend()` reads the settings again (tests)."""
    get_backend.cache_clear()


@receiver(setting_changed)
def _reset_when_crypto_settings_change(*, setting: str, **kwargs: Any) -> None:
    if setting in _SETTINGS:
        reset_backend()

"""Personal data at rest (DOMAIN.md §11, SECURITY.md row 20): encrypted fields and blind indexes.

    class Applicant(models.Model):
        id_number = EncryptedTextField("证件号码")
        id_number_index = BlindIndexField(source="id_number", kind=ID_NUMBER)
        objects = EncryptedQuerySet.as_manager()

    Applicant.objects.matching(id_number="43090219900101002x")   # exact search through the index

In Python the field holds the plaintext ``str``; in the database it holds ``base64(token)`` where the
token is the output of ``get_backend().encrypt`` (version, key id, nonce, ciphertext, GCM tag; see
``zhengwu.common.crypto``). The additional authenticated data is ``"<app_label>.<Model>.<field>"``, so a
ciphertext copied into another column or table fails to decrypt. An empty value is stored as ``""``
(that a phone is empty is not secret). A tampered or undecryptable value raises
``DomainError("decrypt_failed")`` when the row is read.

The blind index is the backend's keyed MAC (HMAC-SM3 or HMAC-SHA-256, key ``ZHENGWU_BLIND_INDEX_KEY``)
over ``"<kind>:<normalised value>"``: ID numbers without spaces and upper-case, phones digits only
without a +86/0086 prefix. It is recomputed from the plaintext on every save (``pre_save``), also in
``bulk_create`` and ``bulk_update``; a queryset ``.update(field=…)`` bypasses it and must not be used
on these fields. Encrypted fields refuse every lookup except ``isnull`` and ``= ""``: comparing with a
fresh ciphertext would silently match nothing, so use ``matching()`` instead.

Key rotation: ``zhengwu pii rotate-keys`` re-encrypts every registered column under the current key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.db.models.signals import pre_save
from django.dispatch import receiver

from zhengwu.common.crypto import get_backend
from zhengwu.common.errors import DomainError

__all__ = [
    "ID_NUMBER",
    "PHONE",
    "BlindIndexField",
    "EncryptedQuerySet",
    "EncryptedTextField",
    "blind_index",
    "decrypt_text",
    "encrypt_text",
    "encrypted_columns",
    "filter_matching",
    "normalise",
    "token_key_id",
]

ID_NUMBER = "id"
PHONE = "phone"
_INDEX_LENGTH = 64  # hex of a 256-bit MAC (HMAC-SM3, HMAC-SHA-256)


# -- values ---------------------------------------------------------------------------------------


def _normalise_id(value: str) -> str:
    return "".join(value.split()).upper()


def _normalise_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix + "1"):
            return digits[len(prefix) :]
    return digits


_NORMALISERS = {ID_NUMBER: _normalise_id, PHONE: _normalise_phone}


def normalise(kind: str, value: str | None) -> str:
    """The form of `value` the blind index is computed over (`kind`: ``ID_NUMBER`` or ``PHONE``)."""
    return _NORMALISERS[kind](value or "")


def blind_index(kind: str, value: str | None) -> str:
    """The keyed MAC (hex) of the normalised value; ``""`` for an empty value."""
    compact = normalise(kind, value)
    if not compact:
        return ""
    return get_backend().blind_index(f"{kind}:{compact}")


def encrypt_text(value: str, *, aad: str) -> str:
    """``base64(token)`` of `value` under the current data key; ``""`` stays ``""``."""
    if not value:
        return ""
    token = get_backend().encrypt(value.encode("utf-8"), aad=aad.encode("ascii"))
    return base64.b64encode(token).decode("ascii")


def decrypt_text(stored: str, *, aad: str) -> str:
    """Reverse `encrypt_text`; DomainError("decrypt_failed") for a damaged or foreign value."""
    if not stored:
        return ""
    try:
        token = base64.b64decode(stored.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise DomainError("decrypt_failed", "数据解密失败：密文已损坏或密钥不可用。") from None
    return get_backend().decrypt(token, aad=aad.encode("ascii")).decode("utf-8")


def token_key_id(stored: str) -> str:
    """The key id a stored value was encrypted with (the token header of `zhengwu.common.crypto`)."""
    try:
        token = base64.b64decode(stored.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return ""
    if len(token) < 2:
        return ""
    return token[2 : 2 + token[1]].decode("ascii", errors="replace")


# -- fields ---------------------------------------------------------------------------------------


class _EmptyOnlyExact(Exact):
    """``field=""`` is allowed (empty values are stored as they are); any other value is refused."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs not in ("", None):
            raise FieldError(
                f"加密字段 {getattr(lhs, 'target', lhs)} 不能按值查询：请使用盲索引（queryset.matching(...)）。"
            )
        super().__init__(lhs, rhs)


class EncryptedTextField(models.TextField):
    """A personal value (ID number, phone) encrypted through `zhengwu.common.crypto`.

    `max_length` limits the plaintext in forms only; the column is TEXT (the token is longer).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        self.aad = ""

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self.aad = f"{cls._meta.label}.{name}"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # Django answers "Unsupported lookup … for EncryptedTextField"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt_text(str(value), aad=self.aad)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt_text(value, aad=self.aad)

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", forms.CharField)
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class BlindIndexField(models.CharField):
    """The blind index of an `EncryptedTextField` (`source`), recomputed from the plaintext on save."""

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        if kind not in _NORMALISERS:
            raise ValueError(f"unknown blind index kind {kind!r}")
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", _INDEX_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = blind_index(self.kind, getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


@receiver(pre_save)
def _index_saved_with_its_source(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    """`save(update_fields=[source])` without its index would leave the index stale: refuse it."""
    if not update_fields:
        return
    for field in sender._meta.concrete_fields:
        if (
            isinstance(field, BlindIndexField)
            and field.source in update_fields
            and field.name not in update_fields
        ):
            raise ValueError(f"update_fields 含 {field.source} 时须同时含 {field.name}（盲索引）。")


def _index_field_for(model: type[models.Model], name: str) -> BlindIndexField:
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == name:
            return field
    raise FieldError(f"{model._meta.label}.{name} 没有盲索引，不能按值查询。")


def filter_matching(queryset: models.QuerySet, **values: str) -> Any:
    """`queryset` narrowed to rows whose encrypted fields equal `values` after normalisation, through
    their blind indexes; an empty value matches nothing. For models whose manager is not ours (User)."""
    conditions: dict[str, str] = {}
    for name, value in values.items():
        field = _index_field_for(queryset.model, name)
        index = blind_index(field.kind, value)
        if not index:
            return queryset.none()
        conditions[field.attname] = index
    return queryset.filter(**conditions)


class EncryptedQuerySet(models.QuerySet):
    """Exact search on encrypted fields through their blind index."""

    def matching(self, **values: str) -> EncryptedQuerySet:
        """Rows whose encrypted fields equal `values` after normalisation (an empty value: none)."""
        return filter_matching(self, **values)

    def by_id_number(self, value: str) -> EncryptedQuerySet:
        return self.matching(id_number=value)

    def by_phone(self, value: str) -> EncryptedQuerySet:
        return self.matching(phone=value)


# -- inventory (rotation, tests) ------------------------------------------------------------------


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: EncryptedTextField

    @property
    def label(self) -> str:
        return self.field.aad


def encrypted_columns() -> Iterator[EncryptedColumn]:
    """Every `EncryptedTextField` of every installed model, in a stable order."""
    from django.apps import apps

    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield EncryptedColumn(model, field)


# -- data migrations ------------------------------------------------------------------------------

_BATCH = 2000


def _plain_and_token(stored: str, aad: str) -> tuple[str, str]:
    """(plaintext, stored token) of a column value that may be plaintext or already encrypted."""
    try:
        return decrypt_text(stored, aad=aad), stored
    except DomainError:
        return stored, encrypt_text(stored, aad=aad)


def _rewrite(
    apps: Any, schema_editor: Any, label: str, columns: dict[str, tuple[str, str] | None], *, encrypt: bool
) -> int:
    model = apps.get_model(label)
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    meta = model._meta
    fields = {name: meta.get_field(name) for name in columns}
    pk = quote(meta.pk.column)
    select = f"SELECT {pk}, {', '.join(quote(f.column) for f in fields.values())} FROM {quote(meta.db_table)}"
    targets: list[str] = []
    for name, field in fields.items():
        targets.append(field.column)
        if (index := columns[name]) is not None:
            targets.append(meta.get_field(index[0]).column)
    assignments = ", ".join(f"{quote(col)} = %s" for col in targets)
    update = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk} = %s"
    with connection.cursor() as cursor:
        cursor.execute(select)
        rows = cursor.fetchall()
    for start in range(0, len(rows), _BATCH):
        batch = []
        for row in rows[start : start + _BATCH]:
            values: list[Any] = []
            for name, stored in zip(fields, row[1:], strict=True):
                plain, token = _plain_and_token(stored or "", f"{label}.{name}")
                values.append(token if encrypt else plain)
                if (index := columns[name]) is not None:
                    values.append(blind_index(index[1], plain) if encrypt else "")
            batch.append((*values, row[0]))
        with connection.cursor() as cursor:
            cursor.executemany(update, batch)
    return len(rows)


def migrate_encrypt(
    apps: Any, schema_editor: Any, label: str, columns: dict[str, tuple[str, str] | None]
) -> int:
    """Data migration: encrypt the plaintext `columns` of model `label` in place and fill their indexes.

    `columns` maps a field name to ``(index field name, kind)`` or None (no index). Raw SQL on purpose:
    the historical model already decrypts these columns, and they still hold plaintext. Values that are
    already encrypted (a re-run) are kept and only their index is recomputed. Returns the rows read.
    """
    return _rewrite(apps, schema_editor, label, columns, encrypt=True)


def migrate_decrypt(
    apps: Any, schema_editor: Any, label: str, columns: dict[str, tuple[str, str] | None]
) -> int:
    """The reverse of `migrate_encrypt`: plaintext back into the columns, indexes emptied (needs the keys)."""
    return _rewrite(apps, schema_editor, label, columns, encrypt=False)


# -- key rotation and re-indexing (`zhengwu pii …`) -----------------------------------------------


def current_key_id() -> str:
    """The id of the data key that encrypts now (the first of ``ZHENGWU_CRYPTO_KEYS``)."""
    return token_key_id(encrypt_text("probe", aad="zhengwu.pii.probe"))


def _stored_values(column: EncryptedColumn) -> list[tuple[Any, str]]:
    from django.db import connection

    quote = connection.ops.quote_name
    meta = column.model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(meta.pk.column)}, {quote(column.field.column)} FROM {quote(meta.db_table)} "
            f"WHERE {quote(column.field.column)} <> '' ORDER BY {quote(meta.pk.column)}"
        )
        return list(cursor.fetchall())


def key_usage() -> dict[str, dict[str, int]]:
    """Column label → key id → number of values encrypted with it."""
    usage: dict[str, dict[str, int]] = {}
    for column in encrypted_columns():
        counts: dict[str, int] = {}
        for _pk, stored in _stored_values(column):
            kid = token_key_id(stored) or "（无法识别）"
            counts[kid] = counts.get(kid, 0) + 1
        usage[column.label] = counts
    return usage


def rotate_keys(*, progress: Any = None, everything: bool = False, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every value not under the current key (all of them with `everything`), in batches of
    `batch` rows per transaction. A value no configured key decrypts stops the run with DomainError
    (the rows done so far stay re-encrypted; running again continues). Returns label → values rewritten."""
    from django.db import connection, transaction

    say = progress or (lambda message: None)
    current = current_key_id()
    quote = connection.ops.quote_name
    done: dict[str, int] = {}
    for column in encrypted_columns():
        meta = column.model._meta
        rows = [
            (pk, stored)
            for pk, stored in _stored_values(column)
            if everything or token_key_id(stored) != current
        ]
        update = (
            f"UPDATE {quote(meta.db_table)} SET {quote(column.field.column)} = %s "
            f"WHERE {quote(meta.pk.column)} = %s AND {quote(column.field.column)} = %s"
        )
        written = 0
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                (encrypt_text(decrypt_text(stored, aad=column.label), aad=column.label), pk, stored)
                for pk, stored in chunk
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(update, params)
            written += len(chunk)
            say(f"{column.label}：已重新加密 {written}/{len(rows)}")
        if not rows:
            say(f"{column.label}：无需重新加密")
        done[column.label] = written
    return done


def reindex(*, progress: Any = None, batch: int = 500) -> dict[str, int]:
    """Recompute every blind index from the decrypted values (after changing ``ZHENGWU_BLIND_INDEX_KEY``)."""
    from django.apps import apps
    from django.db import transaction

    say = progress or (lambda message: None)
    done: dict[str, int] = {}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        indexes = [f for f in model._meta.local_concrete_fields if isinstance(f, BlindIndexField)]
        if not indexes or model._meta.proxy:
            continue
        names = [f.source for f in indexes]
        rows = list(model._base_manager.order_by("pk").values_list("pk", *names))
        for start in range(0, len(rows), batch):
            with transaction.atomic():
                for pk, *values in rows[start : start + batch]:
                    model._base_manager.filter(pk=pk).update(
                        **{f.attname: blind_index(f.kind, v) for f, v in zip(indexes, values, strict=True)}
                    )
            say(f"{model._meta.label}：已重建盲索引 {min(start + batch, len(rows))}/{len(rows)}")
        done[model._meta.label] = len(rows)
    return done

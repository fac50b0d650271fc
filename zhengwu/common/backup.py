"""Online backup and restore of the database and the stored files (SECURITY.md §1 8.1.4.9, row 13).

    zhengwu backup --output /srv/backup            # writes zhengwu-backup-<UTC time>.zwb and .zwb.sm3
    zhengwu restore /srv/backup/zhengwu-backup-20261130T020000Z.zwb [--force]

What a backup holds (a tar stream, encrypted in chunks):

    manifest.json   format version, UTC time, database engine, row count per table in the snapshot,
                    and path, size and digest of the database dump and of every stored file
    db.sqlite3      SQLite: an online copy through `sqlite3.Connection.backup` (a consistent snapshot
                    taken in one step; with WAL the writers keep writing meanwhile), or
    db.pgdump       PostgreSQL: `pg_dump -Fc` of an exported snapshot, the same one the row counts read
    files/private/… the case material blobs (settings.ZHENGWU_PRIVATE_FILES)
    files/media/…   MEDIA_ROOT

Encryption and checksum go through `zhengwu.common.crypto` (SM4-GCM and SM3 with the default backend). The
archive is `MAGIC`, then chunks of at most `CHUNK` plaintext bytes, each a 4-byte big-endian length and an
AEAD token whose associated data binds the chunk number and whether it is the last one, so chunks cannot be
dropped, reordered or truncated unnoticed. The checksum file `<archive>.sm3` holds the digest of the
concatenated chunk digests (the crypto interface hashes whole byte strings, so the archive is hashed
chunk by chunk). Restoring needs the data key that encrypted the archive: keep `ZHENGWU_CRYPTO_KEYS`
(all key ids still in use by backups) apart from the backups.

A restore goes into an empty database only (no table at all; run it before `migrate`), and into empty file
folders, unless `force=True`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections

from zhengwu.common.crypto import get_backend
from zhengwu.common.errors import DomainError

MAGIC = b"ZHENGWU-BACKUP\x001\n"
CHUNK = 8 * 1024 * 1024
FORMAT = 1
SUFFIX = ".zwb"
CHECKSUM_SUFFIX = ".sm3"
_AAD = b"zhengwu-backup-v1"
_LENGTH = struct.Struct(">I")

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass
class BackupResult:
    archive: Path
    checksum: str
    size: int
    tables: dict[str, int]
    files: int
    engine: str


@dataclass
class RestoreResult:
    tables: dict[str, int]
    files: int
    engine: str
    manifest: dict[str, Any] = field(default_factory=dict)


# -- the database ----------------------------------------------------------------------------------


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise DomainError("backup_engine", f"不支持备份 {vendor} 数据库：仅支持 SQLite 和 PostgreSQL。")
    return vendor


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _dump_database(staging: Path, alias: str, say: Progress) -> tuple[str, dict[str, int]]:
    """Write the snapshot into `staging`; return its file name and the row counts of that snapshot."""
    engine = _engine(alias)
    connection = connections[alias]
    if engine == "sqlite":
        if connection.in_atomic_block:
            # The copy would wait forever for the write lock this connection holds itself.
            raise DomainError("backup_in_transaction", "不能在数据库事务中备份：请在事务之外运行备份。")
        connection.ensure_connection()
        source = connection.connection  # the raw sqlite3.Connection (works for a file and for memory)
        target_path = staging / "db.sqlite3"
        target = sqlite3.connect(target_path)
        try:
            # pages=-1: one step, so the copy is one consistent snapshot; WAL readers do not block writers.
            source.backup(target, pages=-1)
            counts = _sqlite_counts(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        say(f"数据库快照完成：{len(counts)} 张表，{sum(counts.values()):,} 行")
        return target_path.name, counts
    # PostgreSQL: count the rows and dump from one exported snapshot.
    db = connection.settings_dict
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            raise DomainError(
                "backup_tool_missing", f"找不到 {tool}：请安装与服务器版本一致的 PostgreSQL 客户端。"
            )
    import psycopg

    target_path = staging / "db.pgdump"
    env = _pg_env(db)
    with psycopg.connect(
        dbname=env["PGDATABASE"],
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
    ) as snapshot_conn:
        snapshot_conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = snapshot_conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _pg_counts(snapshot_conn.cursor())
        say(f"数据库快照 {snapshot}：{len(counts)} 张表，{sum(counts.values()):,} 行；pg_dump 导出中…")
        subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "-f",
                str(target_path),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        snapshot_conn.rollback()
    return target_path.name, counts


# -- files -----------------------------------------------------------------------------------------


def file_areas() -> dict[str, Path]:
    return {"private": Path(settings.ZHENGWU_PRIVATE_FILES), "media": Path(settings.MEDIA_ROOT)}


def _walk(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".tmp-"):  # a blob being written by filestore.store right now
                continue
            yield Path(dirpath) / name


def file_manifest(areas: dict[str, Path] | None = None) -> dict[str, dict[str, Any]]:
    """`files/<area>/<relative path>` -> size and digest, for the files of each area now on disk."""
    digest = get_backend().digest
    entries: dict[str, dict[str, Any]] = {}
    for area, root in (areas or file_areas()).items():
        for path in _walk(root):
            data = path.read_bytes()
            entries[f"files/{area}/{path.relative_to(root).as_posix()}"] = {
                "size": len(data),
                "digest": digest(data),
            }
    return entries


# -- the encrypted container ---------------------------------------------------------------------


def _chunk_aad(index: int, last: bool) -> bytes:
    return _AAD + struct.pack(">Q?", index, last)


class _EncryptingWriter(io.RawIOBase):
    """A write-only file object: buffers the tar stream and writes encrypted chunks to `out`."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        self._digests: list[str] = []
        self.plain_size = 0
        out.write(MAGIC)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        self.plain_size += len(data)
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        backend = get_backend()
        token = backend.encrypt(chunk, aad=_chunk_aad(self._index, last))
        self._out.write(_LENGTH.pack(len(token)))
        self._out.write(token)
        self._digests.append(backend.digest(token))
        self._index += 1

    def finish(self) -> str:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        return archive_checksum(self._digests)


def archive_checksum(chunk_digests: list[str]) -> str:
    return get_backend().digest("".join(chunk_digests).encode("ascii"))


def _read_tokens(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise DomainError("backup_format", "备份文件格式不对：不是政务系统的备份文件。")
        while True:
            head = handle.read(_LENGTH.size)
            if not head:
                return
            if len(head) != _LENGTH.size:
                raise DomainError("backup_truncated", "备份文件不完整：末尾被截断。")
            (length,) = _LENGTH.unpack(head)
            token = handle.read(length)
            if len(token) != length:
                raise DomainError("backup_truncated", "备份文件不完整：末尾被截断。")
            yield token


def compute_checksum(path: Path) -> str:
    digest = get_backend().digest
    return archive_checksum([digest(token) for token in _read_tokens(path)])


def _decrypt_to(path: Path, out: BinaryIO) -> None:
    backend = get_backend()
    tokens = _read_tokens(path)
    current = next(tokens, None)
    index = 0
    while current is not None:
        following = next(tokens, None)
        out.write(backend.decrypt(current, aad=_chunk_aad(index, following is None)))
        current = following
        index += 1


# -- backup --------------------------------------------------------------------------------------------


def backup_create(*, output: Path, alias: str = "default", progress: Progress = _quiet) -> BackupResult:
    """Snapshot the database and the stored files into one encrypted archive in `output`."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    name = f"zhengwu-backup-{now:%Y%m%dT%H%M%S}Z{SUFFIX}"
    archive = output / name
    partial = output / f".{name}.partial"
    with tempfile.TemporaryDirectory(prefix="zhengwu-backup-") as tmp:
        staging = Path(tmp)
        db_name, tables = _dump_database(staging, alias, progress)
        db_bytes = (staging / db_name).read_bytes()
        files = file_manifest()
        progress(f"文件清单完成：{len(files):,} 个文件，{sum(f['size'] for f in files.values()):,} 字节")
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": _engine(alias),
            "digest_algorithm": get_backend().digest_algorithm,
            "cipher_algorithm": get_backend().cipher_algorithm,
            "database": {"path": db_name, "size": len(db_bytes), "digest": get_backend().digest(db_bytes)},
            "tables": tables,
            "files": files,
        }
        del db_bytes
        with partial.open("wb") as raw:
            writer = _EncryptingWriter(raw)
            with tarfile.open(fileobj=writer, mode="w|") as tar:
                body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
                tar.add(staging / db_name, arcname=db_name, recursive=False)
                areas = file_areas()
                for done, member in enumerate(files, start=1):
                    _, area, relative = member.split("/", 2)
                    tar.add(areas[area] / relative, arcname=member, recursive=False)
                    if done % 1000 == 0:
                        progress(f"已打包 {done:,}/{len(files):,} 个文件")
            checksum = writer.finish()
            raw.flush()
            os.fsync(raw.fileno())
    # A file that changed between the manifest and the tar is caught at restore (its digest differs);
    # filestore blobs are content-addressed and never rewritten, so that only concerns MEDIA_ROOT.
    os.replace(partial, archive)
    checksum_file = archive.with_name(archive.name + CHECKSUM_SUFFIX)
    checksum_file.write_text(f"{checksum}  {archive.name}\n", encoding="ascii")
    size = archive.stat().st_size
    progress(f"备份完成：{archive}（{size:,} 字节，校验值 {checksum}）")
    return BackupResult(
        archive=archive,
        checksum=checksum,
        size=size,
        tables=tables,
        files=len(files),
        engine=manifest["engine"],
    )


# -- restore ------------------------------------------------------------------------------------------


def _expected_checksum(archive: Path) -> str:
    checksum_file = archive.with_name(archive.name + CHECKSUM_SUFFIX)
    if not checksum_file.is_file():
        raise DomainError("backup_checksum_missing", f"缺少校验文件 {checksum_file.name}，拒绝恢复。")
    return checksum_file.read_text(encoding="ascii").split()[0].strip().lower()


def _safe_members(tar: tarfile.TarFile, target: Path) -> Iterator[tarfile.TarInfo]:
    for member in tar:
        if not (member.isfile() or member.isdir()):
            raise DomainError("backup_format", f"备份中含有不允许的条目类型：{member.name}")
        path = (target / member.name).resolve()
        if target.resolve() not in path.parents and path != target.resolve():
            raise DomainError("backup_format", f"备份中含有越界路径：{member.name}")
        yield member


def database_is_empty(alias: str = "default") -> bool:
    """True when the database holds no table at all (a fresh database, before `migrate`)."""
    return not connections[alias].introspection.table_names()


def _restore_sqlite(db_file: Path, alias: str) -> None:
    connection = connections[alias]
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(db_file: Path, alias: str, force: bool) -> None:
    if shutil.which("pg_restore") is None:
        raise DomainError(
            "backup_tool_missing", "找不到 pg_restore：请安装与服务器版本一致的 PostgreSQL 客户端。"
        )
    connections[alias].close()
    args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d"]
    env = _pg_env(connections[alias].settings_dict)
    args.append(env["PGDATABASE"])
    if force:
        args[1:1] = ["--clean", "--if-exists"]
    result = subprocess.run([*args, str(db_file)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise DomainError("restore_failed", f"pg_restore 失败：{result.stderr.strip()[:500]}")


def _current_counts(alias: str) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            names = [row[0] for row in cursor.fetchall()]
            counts = {}
            for name in names:
                cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
                counts[name] = cursor.fetchone()[0]
            return counts
        return _pg_counts(cursor)


def restore_archive(
    *, archive: Path, alias: str = "default", force: bool = False, progress: Progress = _quiet
) -> RestoreResult:
    """Check, decrypt and restore `archive`; DomainError (nothing changed) when a check fails."""
    archive = Path(archive)
    if not archive.is_file():
        raise DomainError("backup_missing", f"备份文件不存在：{archive}")
    expected = _expected_checksum(archive)
    actual = compute_checksum(archive)
    if actual != expected:
        raise DomainError("backup_checksum", "备份文件校验值不符：文件已损坏或被篡改，拒绝恢复。")
    progress(f"校验值正确：{actual}")
    engine = _engine(alias)
    if not force and not database_is_empty(alias):
        raise DomainError(
            "restore_not_empty",
            "目标数据库不是空库：请恢复到新建的空数据库（未执行 migrate），或加 --force 覆盖。",
        )
    areas = file_areas()
    if not force:
        for area, root in areas.items():
            if next(_walk(root), None) is not None:
                raise DomainError(
                    "restore_not_empty", f"文件目录 {root}（{area}）不是空的：请换空目录，或加 --force 覆盖。"
                )
    with tempfile.TemporaryDirectory(prefix="zhengwu-restore-") as tmp:
        staging = Path(tmp)
        plain = staging / "archive.tar"
        with plain.open("wb") as out:
            _decrypt_to(archive, out)
        unpacked = staging / "unpacked"
        unpacked.mkdir()
        with tarfile.open(plain, mode="r:") as tar:
            tar.extractall(unpacked, members=_safe_members(tar, unpacked), filter="data")
        plain.unlink()
        manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise DomainError("backup_format", f"不支持的备份格式版本：{manifest.get('format')}")
        if manifest["engine"] != engine:
            raise DomainError(
                "restore_engine", f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库。"
            )
        digest = get_backend().digest
        db_file = unpacked / manifest["database"]["path"]
        if digest(db_file.read_bytes()) != manifest["database"]["digest"]:
            raise DomainError("backup_manifest", "数据库快照的摘要与清单不符，拒绝恢复。")
        listed = manifest["files"]
        for member, entry in listed.items():
            path = unpacked / member
            if not path.is_file() or digest(path.read_bytes()) != entry["digest"]:
                raise DomainError("backup_manifest", f"文件 {member} 与清单不符，拒绝恢复。")
        progress(f"清单核对通过：数据库快照和 {len(listed):,} 个文件的摘要一致")
        if engine == "sqlite":
            _restore_sqlite(db_file, alias)
        else:
            _restore_postgresql(db_file, alias, force)
        progress("数据库已恢复")
        for area, root in areas.items():
            source = unpacked / "files" / area
            if force and root.exists():
                shutil.rmtree(root)
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            if source.is_dir():
                shutil.copytree(source, root, dirs_exist_ok=True)
        progress(f"文件已恢复：{len(listed):,} 个")
    counts = _current_counts(alias)
    expected_counts = manifest["tables"]
    wrong = {t: (n, counts.get(t)) for t, n in expected_counts.items() if counts.get(t) != n}
    if wrong:
        sample = "，".join(f"{t} 应为 {n} 实为 {m}" for t, (n, m) in list(wrong.items())[:5])
        raise DomainError("restore_counts", f"恢复后的行数与备份清单不符：{sample}")
    restored = file_manifest()
    if restored != listed:
        raise DomainError("restore_files", "恢复后的文件与备份清单不符。")
    progress(f"核对通过：{len(counts)} 张表的行数和 {len(listed):,} 个文件的摘要与清单一致")
    return RestoreResult(tables=counts, files=len(listed), engine=engine, manifest=manifest)

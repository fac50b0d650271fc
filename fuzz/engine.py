"""What every parser fuzz target shares: Django start-up, seeds, the memory limit, starting atheris.

A target module imports this (uninstrumented), starts Django if it needs it (`django_setup`), imports
its parser inside `atheris.instrument_imports()` (and `instrument_loaded` for parser modules Django's
start-up imported first), and ends with `engine.main(test_one_input, seeds=...)`. `main` then

1. writes the target's generated seeds (binary inputs such as a real .xlsx, made at run time so that
   no large binary is committed) into `$FUZZ_SEED_DIR` when the runner sets it;
2. measures the process's resident memory after start-up and, unless the command line already has
   one, adds `-rss_limit_mb=<baseline + GROWTH_MB>`: libFuzzer then stops with an out-of-memory
   report as soon as fuzzing has grown the process by more than `GROWTH_MB` (SECURITY.md row 15);
3. hands the command line (libFuzzer flags, corpus folders, or reproducer files) to atheris.

Run a target directly to reproduce a crash: `.venv/bin/python -m fuzz.upload var/fuzz/upload/crash-…`.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import tempfile
import types
from collections.abc import Callable, Iterable
from pathlib import Path

import atheris

GROWTH_MB = 200
SEED_DIR_ENV = "FUZZ_SEED_DIR"
BASELINE_MARK = "fuzz-baseline:"  # the runner reads "fuzz-baseline: rss_mb=… rss_limit_mb=…" from stderr

_django_ready = False
_setup_modules: frozenset[str] = frozenset()  # what Django's start-up imported, uninstrumented


def rss_mb() -> int:
    """Resident memory of this process in MiB (VmRSS)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("VmRSS missing from /proc/self/status")


def django_setup() -> None:
    """Start Django with the project's settings on an in-memory SQLite database and throw-away keys.

    No target may touch the database: none is migrated, so a query fails with "no such table" and is
    reported as a crash rather than silently reading the developer's `var/zhengwu.sqlite3`.
    """
    global _django_ready
    if _django_ready:
        return
    scratch = Path(tempfile.mkdtemp(prefix="zhengwu-fuzz-"))
    for key in [key for key in os.environ if key.startswith("ZHENGWU_")]:
        del os.environ[key]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings",
            "DATABASE_URL": "sqlite://:memory:",
            "ZHENGWU_VAR_DIR": str(scratch),
            "ZHENGWU_PRIVATE_FILES": str(scratch / "private"),
            "ZHENGWU_CRYPTO_KEYS": "k1:" + os.urandom(16).hex(),
            "ZHENGWU_BLIND_INDEX_KEY": os.urandom(32).hex(),
            "ZHENGWU_AUDIT_KEY": os.urandom(32).hex(),
            "ZHENGWU_LOG_LEVEL": "CRITICAL",
        }
    )
    os.environ.pop("SECRET_KEY", None)  # the development key of DEBUG mode
    import django

    django.setup()
    _django_ready = True
    global _setup_modules
    _setup_modules = frozenset(sys.modules)


def instrument_loaded(*modules: str) -> None:
    """Instrument, function by function, those of `modules` (and their submodules) that Django's
    start-up had already imported, so `atheris.instrument_imports()` no longer sees them.

    Start Django outside `instrument_imports()` (instrumenting all of zhengwu and its import-time
    work costs several seconds a run), import the parser inside it, then call this for the parser
    modules the start-up had loaded first.
    """
    wanted = {
        name
        for name in _setup_modules
        if any(name == module or name.startswith(module + ".") for module in modules)
    }
    for obj in gc.get_objects():
        if isinstance(obj, types.FunctionType) and getattr(obj, "__module__", None) in wanted:
            atheris.instrument_func(obj)


def _write_seeds(seeds: Callable[[], Iterable[bytes]]) -> None:
    folder = os.environ.get(SEED_DIR_ENV)
    if not folder:
        return
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for data in seeds():
        path = target / ("seed-" + hashlib.sha1(data).hexdigest())
        if not path.exists():
            path.write_bytes(data)


def main(
    test_one_input: Callable[[bytes], None], *, seeds: Callable[[], Iterable[bytes]] | None = None
) -> None:
    """Run `test_one_input` under libFuzzer with `sys.argv` (see the module docstring)."""
    if seeds is not None:
        _write_seeds(seeds)
    argv = list(sys.argv)
    flags = [arg for arg in argv[1:] if arg.startswith("-")]
    baseline = rss_mb()
    if not any(flag.startswith("-rss_limit_mb=") for flag in flags):
        argv.append(f"-rss_limit_mb={baseline + GROWTH_MB}")
    limit = next(flag for flag in reversed(argv) if flag.startswith("-rss_limit_mb=")).split("=", 1)[1]
    print(f"{BASELINE_MARK} rss_mb={baseline} rss_limit_mb={limit}", file=sys.stderr, flush=True)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()

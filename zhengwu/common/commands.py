"""The base of our management commands: a refused request is one Chinese line and exit status 2.

`refuse("…")` builds the error; from the shell `RefusingCommand` prints it bare on stderr (no
"CommandError:" prefix, no traceback) and exits with status 2, so scripts can tell a refusal (bad
date, unknown scheme) from a crash. Called from code (`call_command`, tests) the error is raised.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

REFUSED = 2


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=REFUSED)


class RefusingCommand(BaseCommand):
    _from_shell = False

    def run_from_argv(self, argv: list[str]) -> None:
        self._from_shell = True
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not self._from_shell or options.get("traceback"):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)

#!/bin/sh
# Row 14, the nightly CLI run (docs/reliability.md): schemathesis `run --checks all` against live gunicorn,
# once per role, with the role's API token.
#
#   reliability/api_fuzz_cli.sh                      # every role, 100 examples per operation, SQLite
#   reliability/api_fuzz_cli.sh citizen anonymous    # some roles
#   FUZZ_EXAMPLES=5 reliability/api_fuzz_cli.sh citizen
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu reliability/api_fuzz_cli.sh   # on PostgreSQL
#
# `python -m reliability.fuzz_server serve` migrates and seeds a temporary installation (dropped
# afterwards), starts gunicorn (3 sync workers, production settings except a public /api/schema/) and
# names the URL and one token per role; its log (5xx tracebacks) is kept as $FUZZ_REPORTS/gunicorn.log. Extra schemathesis options go in FUZZ_ARGS (e.g. "--max-time 600 --phases fuzzing,stateful").
# JUnit reports land in FUZZ_REPORTS (default test-artifacts/api-fuzz/<role>/). Exit status 1 when any
# role's run failed.
set -eu

cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
EXAMPLES=${FUZZ_EXAMPLES:-100}
REPORTS=${FUZZ_REPORTS:-test-artifacts/api-fuzz}
ROLES=${*:-citizen window_clerk approver supervisor system_admin security_admin audit_admin anonymous}

WORK=$(mktemp -d)
mkdir -p "$REPORTS"
"$BIN/python" -m reliability.fuzz_server serve --ready "$WORK/ready.json" >"$WORK/server.log" 2>&1 &
SERVER=$!
LOG=""
cleanup() {
    if [ -n "$LOG" ]; then cp "$LOG" "$REPORTS/gunicorn.log" 2>/dev/null || true; fi
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

waited=0
until [ -s "$WORK/ready.json" ]; do
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "fuzz server did not start:" >&2
        cat "$WORK/server.log" >&2
        exit 2
    fi
    waited=$((waited + 1))
    if [ "$waited" -gt 600 ]; then
        echo "fuzz server not ready after 600 s" >&2
        exit 2
    fi
    sleep 1
done

field() {
    "$BIN/python" -c 'import json, sys
ready = json.load(open(sys.argv[1]))
print(ready[sys.argv[2]] if sys.argv[2] in ready else ready["tokens"].get(sys.argv[2], ""))' "$WORK/ready.json" "$1"
}
SCHEMA=$(field schema)
LOG=$(field log)
echo "fuzz server: $SCHEMA ($(field vendor))"

status=0
for role in $ROLES; do
    token=""
    if [ "$role" != anonymous ]; then
        token=$(field "$role")
        if [ -z "$token" ]; then
            echo "unknown role: $role" >&2
            exit 2
        fi
    fi
    echo "== $role: schemathesis run --checks all --max-examples $EXAMPLES"
    mkdir -p "$REPORTS/$role"
    # shellcheck disable=SC2086  # FUZZ_ARGS is a list of options
    if [ -n "$token" ]; then
        "$BIN/schemathesis" run "$SCHEMA" --checks all --max-examples "$EXAMPLES" \
            -H "Authorization: Token $token" \
            --report junit --report-junit-path "$REPORTS/$role/junit.xml" ${FUZZ_ARGS:-} || status=1
    else
        "$BIN/schemathesis" run "$SCHEMA" --checks all --max-examples "$EXAMPLES" \
            --report junit --report-junit-path "$REPORTS/$role/junit.xml" ${FUZZ_ARGS:-} || status=1
    fi
done
exit $status

#!/usr/bin/env bash
# schemathesis against a running server on a small demo region, with a bureau user's token:
# no server error and every response conforms to /api/v1/schema/.
set -euo pipefail
cd "$(dirname "$0")/.."

UV="$(command -v uv || echo var/tools/bin/uv)"  # as the Makefile installs it
PORT="${PORT:-8799}"
EXAMPLES="${EXAMPLES:-25}"
DB="var/ci/schemathesis.sqlite3"
mkdir -p var/ci
rm -f "$DB" "$DB-wal" "$DB-shm"
export DATABASE_URL="sqlite:///$PWD/$DB"
export DEBUG=0

"$UV" run kechuang demo --size small --enterprises 300 --no-serve >var/ci/demo.log 2>&1 || { cat var/ci/demo.log; exit 1; }
TOKEN="$("$UV" run kechuang token bureau_city)"

"$UV" run kechuang runserver "127.0.0.1:$PORT" --noreload >var/ci/schemathesis-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT

"$UV" run schemathesis run "http://127.0.0.1:$PORT/api/v1/schema/" \
    --wait-for-schema 60 \
    -H "Authorization: Token $TOKEN" \
    --checks not_a_server_error,response_schema_conformance \
    --mode all \
    --max-examples "$EXAMPLES" \
    --seed 2025 \
    --workers 2

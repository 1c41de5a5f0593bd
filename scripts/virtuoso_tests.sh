#!/usr/bin/env bash
# The remote-store tests against Virtuoso Open Source 7 (Debian: apt-get install virtuoso-opensource-7-bin).
#
# Starts a throwaway Virtuoso on loopback ports in a temporary folder, points the tests at its
# authenticated endpoint (/sparql-auth, HTTP digest, user dba) through PLANKG_TEST_STORE_*
# (tests/oxigraph_server.py: ExternalServer), runs the store contract tests and the remote
# store tests, then stops it. Usage: scripts/virtuoso_tests.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v virtuoso-t >/dev/null || { echo "virtuoso-t missing: apt-get install virtuoso-opensource-7-bin" >&2; exit 2; }
DIR=$(mktemp -d)
ISQL_PORT=${ISQL_PORT:-$(python -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
HTTP_PORT=${HTTP_PORT:-$(python -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
cat > "$DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile = $DIR/virtuoso.db
ErrorLogFile = $DIR/virtuoso.log
LockFile = $DIR/virtuoso.lck
TransactionFile = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $DIR/virtuoso-temp.db
TransactionFile = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$ISQL_PORT
DirsAllowed = ., $DIR
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:$HTTP_PORT
ServerRoot = $DIR
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
INI
virtuoso-t +configfile "$DIR/virtuoso.ini" +foreground > "$DIR/stdout.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" >/dev/null || { cat "$DIR/virtuoso.log" >&2; exit 1; }
echo "virtuoso up: http://127.0.0.1:$HTTP_PORT/sparql-auth (isql $ISQL_PORT)"
export PLANKG_TEST_STORE_QUERY_URL="http://127.0.0.1:$HTTP_PORT/sparql-auth"
export PLANKG_TEST_STORE_UPDATE_URL="http://127.0.0.1:$HTTP_PORT/sparql-auth"
export PLANKG_TEST_STORE_GSP_URL="http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth"
export PLANKG_TEST_STORE_USER=dba PLANKG_TEST_STORE_PASSWORD=dba PLANKG_TEST_STORE_AUTH=digest
python -m pytest -q -p no:cacheprovider tests/test_store.py -k remote-sparql "$@" || status=$?
python -m pytest -q -p no:cacheprovider tests/test_remote_store.py "$@" || status=$?
exit ${status:-0}

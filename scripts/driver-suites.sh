#!/usr/bin/env bash
# Runs a driver's own integration suite against a stand-in and prints pass counts file by file.
#
#   npm run driver-suites -- tedious   <tedious checkout>     [mocha file globs...]
#   npm run driver-suites -- snowflake <connector checkout>   [mocha file globs...]
#
# The suites are never part of this project. Bring them into a folder outside the repository first:
#   tedious v19.2.2:  git clone --branch v19.2.2 --depth 1 https://github.com/tediousjs/tedious <dir>
#   snowflake-sdk:    git clone --depth 1 https://github.com/snowflakedb/snowflake-connector-nodejs <dir>
#                     (the newest tag not newer than the project's snowflake-sdk 3.3.0; measured on v3.1.0)
# or, from a bare mirror (what an agent's `fetch` tool gives): git --git-dir=<mirror> archive <tag> | tar -x -C <dir>
# then `npm install --ignore-scripts` in it. The script overwrites the checkout's own connection settings
# (tedious: test/config.ts; snowflake: the SNOWFLAKE_TEST_* environment), starts the stand-in on a free
# port, runs mocha with its JSON reporter and writes the full report to <dir>/driver-suite-report.json.
set -euo pipefail

kind=${1:?usage: driver-suites tedious|snowflake <suite folder> [test files...]}
suite=$(cd "${2:?the folder holding the driver checkout}" && pwd)
shift 2
project=$(cd "$(dirname "$0")/.." && pwd)
report="$suite/driver-suite-report.json"
log="$suite/driver-suite-standin.log"

# Default file sets: the integration files that need only a server and the suite config above (no proxies,
# OCSP, cloud storage, Azure AD or wiremock; tedious' request/ folder reads ~/.tedious instead).
tedious_files=(test/integration/*-test.ts)
snowflake_files=(
  testArrayBind.js testArrayBindCustomerTable.js testBind.js testCancel.ts testConcurrent.js
  testConnectionPoolExecute.js testDataType.js testExecute.js testExecuteAsync.js testLargeResultSet.js
  testMultiStatement.js testPutGet.js testPutSmallFiles.js testRequestParams.js testRowMode.js
  testStatement.js testStreamRows.js testUpdatedRows.js testConnectionNegative.ts
)

standin_pid=
# npx and tsx each start a child: the stand-in runs in a process group of its own, stopped as a whole.
stop_standin() { [[ -n "$standin_pid" ]] && kill -- -"$standin_pid" 2>/dev/null || true; }
trap stop_standin EXIT

# Starts a stand-in CLI in the background and waits for its `listening on host:port` line.
start_standin() {
  set -m
  (cd "$project" && exec npx tsx "$@") >"$log.out" 2>"$log" &
  standin_pid=$!
  set +m
  for _ in $(seq 1 120); do
    if grep -q '^listening on' "$log.out" 2>/dev/null; then
      port=$(sed -n 's/^listening on .*:\([0-9]*\).*/\1/p' "$log.out" | head -1)
      return
    fi
    kill -0 "$standin_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the stand-in did not start" >&2
  exit 1
}

case "$kind" in
  tedious)
    start_standin emulators/sqlserver/cli.ts --port 0 --password 'yourStrong(!)Password' --verbose
    cat >"$suite/test/config.ts" <<EOF
// Written by driver-suites.sh: the SQL Server stand-in.
import { type ConnectionConfiguration } from '../src/connection';
export default {
  server: '127.0.0.1',
  authentication: { type: 'default', options: { userName: 'sa', password: 'yourStrong(!)Password' } },
  options: { port: $port, database: 'master', encrypt: false, trustServerCertificate: true },
} as ConnectionConfiguration;
EOF
    files=("$@")
    [[ ${#files[@]} -gt 0 ]] || files=("${tedious_files[@]}")
    ;;
  snowflake)
    start_standin emulators/snowflake/cli.ts --port 0 --password emulator
    export SNOWFLAKE_TEST_PROTOCOL=http SNOWFLAKE_TEST_HOST=127.0.0.1 SNOWFLAKE_TEST_PORT=$port
    export SNOWFLAKE_TEST_ACCOUNT=EMULATOR SNOWFLAKE_TEST_USER=EMULATOR SNOWFLAKE_TEST_PASSWORD=emulator
    export SNOWFLAKE_TEST_DATABASE=TESTDB SNOWFLAKE_TEST_SCHEMA=PUBLIC SNOWFLAKE_TEST_WAREHOUSE=WH
    export SNOWFLAKE_TEST_ROLE=SYSADMIN
    # The suite expects its database and schema to exist.
    (cd "$project" && npx tsx scripts/driver-suites-snowflake-setup.ts "http://127.0.0.1:$port")
    files=("$@")
    [[ ${#files[@]} -gt 0 ]] || files=("${snowflake_files[@]/#/test/integration/}")
    ;;
  *)
    echo "unknown suite '$kind' (tedious or snowflake)" >&2
    exit 2
    ;;
esac

cd "$suite"
npx mocha --forbid-only --exit --reporter json --reporter-option "output=$report" "${files[@]}" >"$suite/driver-suite-mocha.log" 2>&1 || true
node -e '
  const r = require(process.argv[1]);
  const by = new Map();
  const add = (t, ok) => {
    const f = (t.file || "?").replace(process.argv[2] + "/", "");
    const e = by.get(f) || { pass: 0, total: 0 };
    e.total++; if (ok) e.pass++; by.set(f, e);
  };
  for (const t of r.passes) add(t, true);
  for (const t of r.failures) add(t, false);
  for (const t of r.pending) add(t, false);
  let pass = 0, total = 0;
  for (const [f, e] of [...by].sort()) { console.log(`${String(e.pass).padStart(4)} / ${String(e.total).padEnd(4)} ${f}`); pass += e.pass; total += e.total; }
  console.log(`${String(pass).padStart(4)} / ${String(total).padEnd(4)} total (${(100 * pass / total).toFixed(1)} %)`);
' "$report" "$suite"
if ! kill -0 "$standin_pid" 2>/dev/null; then
  echo "the stand-in exited during the run; its log: $log" >&2
  exit 1
fi

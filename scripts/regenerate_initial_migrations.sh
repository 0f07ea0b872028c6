#!/usr/bin/env bash
# Rewrites migrations/<db>/0000_initial.sql from the C++ schema. Only until the
# first release: after that, schema changes get new migration files.
set -euo pipefail
cd "$(dirname "$0")/.."
ninja -C build/native eventuall >/dev/null
for db in webapp workers; do
  {
    echo "-- Initial $db schema. Generated from the C++ schema (wasm/schema/${db}_schema.cpp)"
    echo "-- by \`eventuall ddl $db\`; tests/native/schema_test.cpp keeps the two equal."
    echo
    build/native/eventuall ddl "$db"
  } >"migrations/$db/0000_initial.sql"
done
# The baseline snapshots `eventuall generate` diffs against.
for db in webapp workers; do build/native/eventuall snapshot "$db" >/dev/null; done
# The integrity files record the rewritten 0000 (before the first release, nothing applied it).
for db in webapp workers; do build/native/eventuall sum "$db" >/dev/null; done

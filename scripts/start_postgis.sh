#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster and create the test role and database with PostGIS.
# Prints the DATABASE_URL to use.
set -euo pipefail
DB=${FUREAI_PG_DB:-fureai_test}
ROLE=${FUREAI_PG_USER:-fureai}
PASS=${FUREAI_PG_PASSWORD:-fureai}
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  pg_createcluster 15 main >/dev/null
fi
if ! pg_lsclusters -h | grep -q '^15 *main.*online'; then
  pg_ctlcluster --skip-systemctl-redirect 15 main start
fi
for _ in $(seq 1 30); do
  (cd / && su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432") && break
  sleep 1
done
psql_admin() { (cd / && su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $*"); }
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname='$ROLE'\"")" != "1" ]; then
  psql_admin "-c \"CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASS'\""
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname='$DB'\"")" != "1" ]; then
  psql_admin "-c \"CREATE DATABASE $DB OWNER $ROLE\""
fi
psql_admin "-d $DB -c \"CREATE EXTENSION IF NOT EXISTS postgis\""
echo "postgresql://$ROLE:$PASS@127.0.0.1:5432/$DB"

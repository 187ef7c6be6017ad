#!/usr/bin/env bash
# Run once by the postgres image's entrypoint, on an empty data folder, as its superuser:
# the two roles telerad uses (README, "Database roles") and their database.
#   telerad_owner  owns the database and every table; `telerad migrate` runs as it
#   telerad_app    what `telerad serve` connects as; migrate grants it only what it needs
# Neither is a superuser or may create roles or databases. Passwords come from the secrets.
set -euo pipefail
owner_pw="$(cat /run/secrets/telerad_owner_password)"
app_pw="$(cat /run/secrets/telerad_app_password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$owner_pw" -v app_pw="$app_pw" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE telerad_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_pw';
CREATE ROLE telerad_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_pw';
CREATE DATABASE telerad OWNER telerad_owner;
REVOKE ALL ON DATABASE telerad FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE telerad TO telerad_owner, telerad_app;
SQL

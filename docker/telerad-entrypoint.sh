#!/bin/sh
# The image's entrypoint: reads the database password from the file named in
# TELERAD_DB_PASSWORD_FILE (a Docker secret) into PGPASSWORD, which libpq uses, so that
# no password is written in the image, the compose file or a connection string.
set -eu
if [ -n "${TELERAD_DB_PASSWORD_FILE:-}" ]; then
  PGPASSWORD="$(cat "$TELERAD_DB_PASSWORD_FILE")"
  export PGPASSWORD
fi
exec /usr/bin/telerad "$@"

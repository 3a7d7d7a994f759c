#!/bin/sh
# Run once by the postgres image when it creates the database: let a standby on the
# compose network stream the write-ahead log with the demarche account's password.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"

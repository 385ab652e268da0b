#!/usr/bin/env bash
# make run-county: the county edition against a local PostgreSQL, in one command.
# - installs Debian's postgresql (server binaries only are used) when missing;
# - creates a throwaway cluster under data/county-pg on first use (trust auth, 127.0.0.1 only);
# - starts it; creates the database `lakou` owned by the app's own role `lakou_app` (no superuser,
#   held to the row-level security of migration 0003), or hands a database of an earlier release,
#   made by the superuser, to that role (scripts/app-role.sql); the app connects as it;
# - loads the sample data of three towns when the database is empty, starts the app;
# - stops the cluster when the app stops. `rm -rf data/county-pg` throws it away.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${LAKOU_PG_PORT:-54329}"
DATA="$PWD/data/county-pg"
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(find_bin)" ]; then
  echo "安装 PostgreSQL（Debian 的 postgresql 软件包）……"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(find_bin)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_pg "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" -l "$DATA/server.log" -w start >/dev/null
trap 'as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null' EXIT
psql_su() { as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if ! psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'lakou'" | grep -q 1; then
  psql_su -d postgres -c "CREATE DATABASE lakou"
elif [ "$(psql_su -d lakou -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'lakou_app'")" != 0 ]; then
  echo "数据库 lakou 由以前的版本建立：把它的表交给看板自己的数据库角色 lakou_app，启动时再加上各乡镇的行级安全……"
fi
# The app's own role (no superuser, held to row-level security) owns the database and its tables.
psql_su -d lakou < scripts/app-role.sql
export LAKOU_DB="postgresql+psycopg://lakou_app@127.0.0.1:$PORT/lakou"
$PY -m lakou_metrics init --sample --county
$PY -m streamlit run app.py --server.address 127.0.0.1 "$@"

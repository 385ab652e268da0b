#!/usr/bin/env bash
# make run-county: the county edition against a local PostgreSQL, in one command.
# - installs Debian's postgresql (server binaries only are used) when missing;
# - creates a throwaway cluster under data/county-pg on first use (trust auth, 127.0.0.1 only);
# - starts it, loads the sample data of three towns when the database is empty, starts the app;
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
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'lakou'" | grep -q 1 \
  || as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres lakou
export LAKOU_DB="postgresql+psycopg://postgres@127.0.0.1:$PORT/lakou"
$PY -m lakou_metrics init --sample --county
$PY -m streamlit run app.py --server.address 127.0.0.1 "$@"

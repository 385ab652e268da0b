#!/usr/bin/env bash
# make run-county: the county edition against a local PostgreSQL, in one command.
# - installs Debian's postgresql (server binaries only are used) when missing;
# - creates a throwaway cluster under data/county-pg on first use (trust auth, 127.0.0.1 only);
# - starts it; creates the database `lakou` owned by the app's own role `lakou_app` (no superuser,
#   held to the row-level security of migration 0003), or hands a database of an earlier release,
#   made by the superuser, to that role (scripts/app-role.sql); the app connects as it;
# - loads the sample data of three towns when the database is empty, starts the app;
# - stops the cluster when the app stops. `rm -rf data/county-pg` throws it away.
# Ports: the app's is $PORT (as `make run`'s) when given, else 8501 or the next free one;
# PostgreSQL's is $LAKOU_PG_PORT when given, else 54329 or the next free one. A port given by
# name that is taken stops the script (the person asked for that one). What it does is said in
# Chinese, for the staff who run it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DATA="$PWD/data/county-pg"

# The first port from $1 on (up to 50 further) that nothing on 127.0.0.1 holds; nothing when none.
free_port() {
  "$PY" -c '
import socket, sys
start = int(sys.argv[1])
for port in range(start, start + 50):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
' "$1"
}

# is_port TEXT: whether TEXT is a port number, 1 to 65535 in decimal digits (checked here, before
# Python sees it: a bind to "abc" or 99999 fails with a traceback, not with the reason).
is_port() {
  [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$((10#$1))" -ge 1 ] && [ "$((10#$1))" -le 65535 ]
}

# pick_port WHAT ASKED DEFAULT: the port asked for (stops when it is no port or taken), else the
# default or the next free.
pick_port() {
  local what="$1" asked="$2" default="$3" found
  if [ -n "$asked" ]; then
    if ! is_port "$asked"; then
      echo "${what}的端口“$asked”不是有效的端口号：请写 1 到 65535 之间的整数（如 8600）。" >&2
      return 1
    fi
    if [ "$(free_port "$asked")" != "$asked" ]; then
      echo "${what}的端口 $asked 已被占用：请换一个端口，或先停止占用它的程序。" >&2
      return 1
    fi
    echo "$asked"
    return
  fi
  found="$(free_port "$default")"
  if [ -z "$found" ]; then
    echo "${what}从 $default 起的 50 个端口都已被占用。" >&2
    return 1
  fi
  if [ "$found" != "$default" ]; then
    echo "${what}的默认端口 $default 已被占用，改用 $found。" >&2
  fi
  echo "$found"
}

APP_PORT="$(pick_port 看板 "${PORT:-}" 8501)"
PG_PORT="$(pick_port PostgreSQL "${LAKOU_PG_PORT:-}" 54329)"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(find_bin)" ]; then
  echo "安装 PostgreSQL（Debian 的 postgresql 软件包）……"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(find_bin)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$DATA/PG_VERSION" ]; then
  echo "在 data/county-pg 新建一个本地 PostgreSQL 数据目录……"
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
echo "启动 PostgreSQL（端口 $PG_PORT，只在本机 127.0.0.1，数据在 data/county-pg）……"
as_pg "$BIN/pg_ctl" -D "$DATA" -o "-p $PG_PORT -k $DATA -c listen_addresses=127.0.0.1" -l "$DATA/server.log" -w start >/dev/null
trap 'echo "停止 PostgreSQL……"; as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null' EXIT
psql_su() { as_pg "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if ! psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'lakou'" | grep -q 1; then
  echo "新建数据库 lakou……"
  psql_su -d postgres -c "CREATE DATABASE lakou"
elif [ "$(psql_su -d lakou -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'lakou_app'")" != 0 ]; then
  echo "数据库 lakou 由以前的版本建立：把它的表交给看板自己的数据库角色 lakou_app，启动时再加上各乡镇的行级安全……"
fi
# The app's own role (no superuser, held to row-level security) owns the database and its tables.
psql_su -d lakou < scripts/app-role.sql
export LAKOU_DB="postgresql+psycopg://lakou_app@127.0.0.1:$PG_PORT/lakou"
echo "数据库为空时加载三个乡镇（腊口镇、温溪镇、船寮镇）的示例数据……"
$PY -m lakou_metrics init --sample --county
echo "县域版看板：http://127.0.0.1:$APP_PORT （按 Ctrl+C 停止，PostgreSQL 随之停止）"
$PY -m streamlit run app.py --server.address 127.0.0.1 --server.port "$APP_PORT" "$@"

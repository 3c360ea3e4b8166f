#!/usr/bin/env bash
# Starts and stops the local cluster described by configs/meta-*.toml and configs/data-*.toml.
#   deploy/local-cluster.sh start|stop|status|restart [NODE...]
# Logs and pids go to run/logs/NODE.log and run/pids/NODE.pid (override with CHRONORAFT_RUN).
# Uses dist/chronoraft when it exists, else `deno run` of main.ts (deno on PATH, or npx).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
run=${CHRONORAFT_RUN:-run}
mkdir -p "$run/logs" "$run/pids"

if [ -x dist/chronoraft ]; then
  bin=(dist/chronoraft)
elif command -v deno >/dev/null 2>&1; then
  bin=(deno run --allow-all main.ts)
else
  bin=(npx --yes deno@2.9.6 run --allow-all main.ts)
fi

nodes() {
  if [ $# -gt 0 ]; then printf '%s\n' "$@"; return; fi
  # Meta nodes first, in id order: the first bootstraps, the others join it.
  for f in configs/meta-*.toml configs/data-*.toml; do
    [ -e "$f" ] && basename "$f" .toml
  done
}

# Running, and not a zombie (a killed node stays one until its new parent reaps it).
alive() {
  [ -f "$run/pids/$1.pid" ] || return 1
  local stat
  stat=$(ps -o stat= -p "$(cat "$run/pids/$1.pid")" 2>/dev/null) || return 1
  [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

health_url() {
  local cfg=configs/$1.toml addr
  addr=$(grep -E '^(admin_api_address|http_bind_address)' "$cfg" | head -n 1 | cut -d'"' -f2)
  case "$1" in meta-*) echo "http://$addr/v1/health" ;; *) echo "http://$addr/ping" ;; esac
}

start() {
  local n url
  for n in $(nodes "$@"); do
    if alive "$n"; then echo "$n: already running (pid $(cat "$run/pids/$n.pid"))"; continue; fi
    nohup "${bin[@]}" serve -c "configs/$n.toml" >>"$run/logs/$n.log" 2>&1 &
    echo $! >"$run/pids/$n.pid"
    url=$(health_url "$n")
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "$url" 2>/dev/null; then break; fi
      if ! alive "$n"; then echo "$n: exited; see $run/logs/$n.log" >&2; tail -n 3 "$run/logs/$n.log" >&2; exit 1; fi
      sleep 0.2
    done
    echo "$n: started (pid $(cat "$run/pids/$n.pid"), $url)"
  done
}

stop() {
  local n pid
  for n in $(nodes "$@" | tac); do
    if ! alive "$n"; then rm -f "$run/pids/$n.pid"; continue; fi
    pid=$(cat "$run/pids/$n.pid")
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "$n: killed (did not stop in 10 s)"; else echo "$n: stopped"; fi
    rm -f "$run/pids/$n.pid"
  done
}

status() {
  local n
  for n in $(nodes "$@"); do
    if alive "$n"; then echo "$n: running (pid $(cat "$run/pids/$n.pid"))"; else echo "$n: stopped"; fi
  done
}

cmd=${1:-}
shift || true
case "$cmd" in
  start) start "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  restart) stop "$@"; start "$@" ;;
  *) echo "usage: deploy/local-cluster.sh start|stop|status|restart [NODE...]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# bgsave_latency.sh [KEYS] [REQUESTS]: BGSAVE under a write load, rkv against redis-server.
#
# For each server (pinned to CPU 0, the load generator on CPU 1): fill KEYS string keys named as
# redis-benchmark names them (key:%012d, 16-byte values), start redis-benchmark SET overwriting
# random keys of that keyspace (-c 50 -P 1, so the dataset does not grow), start
# BGSAVE half a second in, and sample the proportional set size (PSS) of the server and its
# children (Redis's fork) every 50 ms until the benchmark ends. Reports per server: seconds the
# save took, peak PSS growth over the pre-save PSS (MB, and % of the pre-save PSS), and the
# benchmark's p99 and max latency (ms) over the whole run, save included.
# Env: RKV [target/release/rkv-server], REDIS [redis-server], PORT [7441].
# Only servers this script started are stopped, by their PID.
set -euo pipefail
KEYS=${1:-2000000}
REQUESTS=${2:-1500000}
RKV=${RKV:-$(dirname "$0")/../target/release/rkv-server}
REDIS=${REDIS:-redis-server}
PORT=${PORT:-7441}

pss_kb() { # PSS of a process and its children, in kB
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)))
  done
  echo "$total"
}

run() {
  local name=$1 bin=$2 dir pid base peak start done_at csv
  dir=$(mktemp -d)
  taskset -c 0 "$bin" --port "$PORT" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no \
    --enable-debug-command yes --logfile "$dir/log" &
  pid=$!
  until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.05; done
  awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "SET key:%012d xxxxxxxxxxxxxxxx\n", i }' |
    taskset -c 1 redis-cli -p "$PORT" --pipe >/dev/null
  base=$(pss_kb "$pid"); peak=$base
  taskset -c 1 redis-benchmark -p "$PORT" -t set -n "$REQUESTS" -c 50 -P 1 -r "$KEYS" -d 16 --csv \
    >"$dir/bench.csv" 2>/dev/null &
  local bench=$!
  sleep 0.5
  start=$(date +%s.%N)
  redis-cli -p "$PORT" bgsave >/dev/null
  done_at=""
  while kill -0 "$bench" 2>/dev/null; do
    local now; now=$(pss_kb "$pid"); ((now > peak)) && peak=$now
    if [[ -z $done_at ]] && redis-cli -p "$PORT" info persistence | grep -q 'rdb_bgsave_in_progress:0'; then
      done_at=$(date +%s.%N)
    fi
    sleep 0.05
  done
  wait "$bench" || true
  while [[ -z $done_at ]]; do
    redis-cli -p "$PORT" info persistence | grep -q 'rdb_bgsave_in_progress:0' && done_at=$(date +%s.%N)
    sleep 0.05
  done
  csv=$(tail -1 "$dir/bench.csv" | tr -d '"')
  printf '%-6s save_s=%.2f peak_extra_mb=%.1f (%.1f%%) p99_ms=%s max_ms=%s\n' "$name" \
    "$(echo "$done_at - $start" | bc)" "$(echo "($peak - $base) / 1024" | bc -l)" \
    "$(echo "100 * ($peak - $base) / $base" | bc -l)" "$(echo "$csv" | cut -d, -f7)" "$(echo "$csv" | cut -d, -f8)"
  redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

run redis "$REDIS"
run rkv "$RKV"

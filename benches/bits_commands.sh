#!/usr/bin/env bash
# bits_commands.sh PORT_A PORT_B: bitmap, HyperLogLog and geo commands side by side with
# redis-benchmark, A = redis-server, B = rkv-server, both already running pinned to CPU 0 (the
# client is pinned to CPU 1). Each server is FLUSHALLed and given the same data:
#   bm       a 64 KiB bitmap of random bytes (BITCOUNT, BITPOS),
#   hll:0-9  ten dense HyperLogLogs of 20000 elements each (PFCOUNT of 10 keys = a union),
#   pts      50000 geo points in [13,13.002) x [38,38.002) (GEOSEARCH, 10 m radius, ~400 hits).
# redis-benchmark pads __rand_int__ to 12 digits: SETBIT and GETBIT use fixed offsets (an offset
# may not have leading zeros) and coordinates are 13.00xxxxxxxxxx (under 13.002 with -r 2e9).
# ROUNDS rounds alternate A,B and B,A; the report gives each server's median requests/s and
# server CPU microseconds per request, and B/A of each (rps ratio > 1, CPU ratio < 1 favour B).
# Knobs: ROUNDS [3] CLIENTS [50] PIPELINE [1] N [scales each test's -n, 1.0] ONLY [a regex of
# test names to run, all].
set -euo pipefail
A=$1; B=$2
ROUNDS=${ROUNDS:-3}; CLIENTS=${CLIENTS:-50}; PIPELINE=${PIPELINE:-1}; N=${N:-1.0}; ONLY=${ONLY:-.}
bench() { taskset -c 1 redis-benchmark -p "$@"; }

prepare() { # port
  local port=$1
  redis-cli -p "$port" flushall > /dev/null
  head -c 65536 /dev/urandom > "$tmp/bm"
  redis-cli -p "$port" -x set bm < "$tmp/bm" > /dev/null
  for i in $(seq 0 9); do
    bench "$port" -q -c 20 -n 20000 -r 100000000 PFADD "hll:$i" "e$i:__rand_int__" > /dev/null
  done
  bench "$port" -q -c 20 -n 50000 -r 2000000000 GEOADD pts 13.__rand_int__ 38.__rand_int__ m:__rand_int__ > /dev/null
}

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prepare "$A"
# Both servers start from the same data (random draws differ): A's keys are copied to B.
redis-cli -p "$B" flushall > /dev/null
redis-cli -p "$A" migrate 127.0.0.1 "$B" "" 0 5000 COPY KEYS bm hll:0 hll:1 hll:2 hll:3 hll:4 hll:5 hll:6 hll:7 hll:8 hll:9 pts > /dev/null

# name|requests at N=1|command
tests=(
  "SETBIT|400000|SETBIT bits 1000000 1"
  "GETBIT|400000|GETBIT bm 123456"
  "BITCOUNT 64KiB|100000|BITCOUNT bm"
  "BITPOS 64KiB|200000|BITPOS bm 1 -100 -1"
  "PFADD|400000|PFADD hll __rand_int__"
  "PFCOUNT 1 key|200000|PFCOUNT hll:0"
  "PFCOUNT 10 keys|20000|PFCOUNT hll:0 hll:1 hll:2 hll:3 hll:4 hll:5 hll:6 hll:7 hll:8 hll:9"
  "GEOADD|200000|GEOADD pts2 13.__rand_int__ 38.__rand_int__ m:__rand_int__"
  "GEOSEARCH 10m|20000|GEOSEARCH pts FROMLONLAT 13.001 38.001 BYRADIUS 10 m ASC COUNT 10"
)
TCK=$(getconf CLK_TCK)
pid_of() { redis-cli -p "$1" info server | awk -F: '/^process_id:/ { print $2 + 0 }'; }
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
declare -A PID=(["$A"]=$(pid_of "$A") ["$B"]=$(pid_of "$B"))
run() { # port n command -> "requests/s server-CPU-microseconds/request"
  local port=$1 n=$2 c0 c1 rate
  c0=$(ticks "${PID[$port]}")
  # shellcheck disable=SC2086
  rate=$(bench "$port" -q -c "$CLIENTS" -P "$PIPELINE" -n "$n" -r 2000000000 $3 2>/dev/null |
    tr '\r' '\n' | awk '/requests per second/ { for (i = 1; i <= NF; i++) if ($i == "requests") v = $(i - 1) } END { print v + 0 }')
  c1=$(ticks "${PID[$port]}")
  awk -v r="$rate" -v d="$((c1 - c0))" -v n="$n" -v tck="$TCK" 'BEGIN { printf "%s %.3f\n", r, d / tck * 1e6 / n }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Server CPU per request is steadier than requests/s on a busy machine: both are reported.
printf '%-18s %11s %11s %6s %9s %9s %6s\n' test redis_rps rkv_rps ratio redis_us rkv_us ratio
for t in "${tests[@]}"; do
  IFS='|' read -r name n cmd <<< "$t"
  [[ $name =~ $ONLY ]] || continue
  n=$(awk -v n="$n" -v s="$N" 'BEGIN { printf "%d", n * s }')
  : > "$tmp/a"; : > "$tmp/b"
  for r in $(seq "$ROUNDS"); do
    if ((r % 2)); then run "$A" "$n" "$cmd" >> "$tmp/a"; run "$B" "$n" "$cmd" >> "$tmp/b"
    else run "$B" "$n" "$cmd" >> "$tmp/b"; run "$A" "$n" "$cmd" >> "$tmp/a"; fi
  done
  ra=$(cut -d' ' -f1 "$tmp/a" | median); rb=$(cut -d' ' -f1 "$tmp/b" | median)
  ua=$(cut -d' ' -f2 "$tmp/a" | median); ub=$(cut -d' ' -f2 "$tmp/b" | median)
  awk -v name="$name" -v ra="$ra" -v rb="$rb" -v ua="$ua" -v ub="$ub" \
    'BEGIN { printf "%-18s %11.0f %11.0f %6.2f %9.2f %9.2f %6.2f\n", name, ra, rb, rb / ra, ua, ub, ub / ua }'
done

#!/usr/bin/env bash
# geo_memory.sh PORT_A PORT_B [MEMBERS]: used_memory of one geo set of MEMBERS [1000000] random
# points, A = redis-server, B = rkv-server, both already running. Each server is FLUSHALLed, its
# used_memory read, the same GEOADDs of 1000 points sent, and used_memory read again; the report
# gives each server's growth (the set's cost) and B/A, and checks both hold MEMBERS members.
set -euo pipefail
A=$1; B=$2; MEMBERS=${3:-1000000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -v members="$MEMBERS" 'BEGIN {
  srand(1)
  for (n = 0; n < members; n += 1000) {
    line = "GEOADD geo"
    for (i = n; i < n + 1000 && i < members; i++)
      line = line sprintf(" %.6f %.6f member:%d", rand() * 360 - 180, rand() * 170 - 85, i)
    print line
  }
}' > "$tmp/geoadd"
used() { redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }'; }
grow() { # port -> bytes the set added
  local before after
  redis-cli -p "$1" flushall > /dev/null
  before=$(used "$1")
  redis-cli -p "$1" < "$tmp/geoadd" > /dev/null
  after=$(used "$1")
  [ "$(redis-cli -p "$1" zcard geo)" -eq "$MEMBERS" ] || { echo "port $1 lost members" >&2; exit 1; }
  echo $((after - before))
}
a=$(grow "$A"); b=$(grow "$B")
awk -v a="$a" -v b="$b" -v m="$MEMBERS" \
  'BEGIN { printf "geo set of %d members: redis %.1f MB, rkv %.1f MB, rkv/redis %.3f\n", m, a / 1e6, b / 1e6, b / a }'

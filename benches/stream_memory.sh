#!/usr/bin/env bash
# stream_memory.sh PORT [N]: used_memory delta of one N-entry stream (default 1M) on a running
# server, flushed first (DESTRUCTIVE). Entries: XADD s * temp <6 digits> hum <3 digits>, piped in
# RESP. Run it against rkv-server and redis-server with the same stream-node-* settings.
set -euo pipefail
PORT=$1; N=${2:-1000000}
cli() { redis-cli -p "$PORT" "$@"; }
used() { cli INFO memory | tr -d '\r' | sed -n 's/^used_memory://p'; }
cli FLUSHALL SYNC >/dev/null; sleep 1
before=$(used)
awk -v n="$N" 'BEGIN{ for(i=0;i<n;i++){ t=sprintf("%06d",i%1000000); h=sprintf("%03d",i%1000);
  printf "*7\r\n$4\r\nXADD\r\n$1\r\ns\r\n$1\r\n*\r\n$4\r\ntemp\r\n$6\r\n%s\r\n$3\r\nhum\r\n$3\r\n%s\r\n",t,h } }' \
  | cli --pipe >/dev/null
sleep 1
after=$(used)
echo "port $PORT: XLEN $(cli XLEN s), used_memory delta $((after-before)) B, $(( (after-before)/N )) B/entry"

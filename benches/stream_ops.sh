#!/usr/bin/env bash
# stream_ops.sh: paired cost of stream reads, group reads, claims, deletes and trims on a 1M-entry
# stream (IDs 1-0 .. 1000000-0, fields temp/hum as stream_memory.sh), with redis-benchmark
# (-c 50 -P 16, N requests, random IDs, pinned to CPU 1) against two servers on PORT_A and PORT_B
# (start both pinned to CPU 0; DESTRUCTIVE: each round flushes and reloads them), in ROUNDS
# alternating rounds (default 3). Prints per test the server CPU time per request (user + system
# from /proc, which other load on a shared machine disturbs far less than the request rate) and
# the median ratio B/A of that cost (below 1: B is cheaper), then the rates for reference.
# TESTS picks tests by name (space-separated, in the order below; later ones see the stream that
# earlier ones changed).
PORT_A=${PORT_A:-30021}; PORT_B=${PORT_B:-30022}; ROUNDS=${ROUNDS:-3}; N=${N:-300000}
tests=(${TESTS:-xrange xrevrange xread xreadgroup xclaim xadd_maxlen xdel xadd_approx})
declare -A costs rates
load() { # port
  redis-cli -p "$1" FLUSHALL >/dev/null
  awk 'BEGIN{ for(i=1;i<=1000000;i++){ id=i "-0"; t=sprintf("%06d",i%1000000); h=sprintf("%03d",i%1000);
    printf "*7\r\n$4\r\nXADD\r\n$1\r\ns\r\n$%d\r\n%s\r\n$4\r\ntemp\r\n$6\r\n%s\r\n$3\r\nhum\r\n$3\r\n%s\r\n",length(id),id,t,h } }' \
    | redis-cli -p "$1" --pipe >/dev/null
  redis-cli -p "$1" XGROUP CREATE s g 0 >/dev/null
  redis-cli -p "$1" XREADGROUP GROUP g c1 COUNT 200000 STREAMS s '>' >/dev/null
}
bench() { # port test
  local args
  case $2 in
    xrange) args=(XRANGE s __rand_int__ + COUNT 10) ;;
    xrevrange) args=(XREVRANGE s __rand_int__ - COUNT 10) ;;
    xread) args=(XREAD COUNT 10 STREAMS s __rand_int__) ;;
    xreadgroup) args=(XREADGROUP GROUP g c1 COUNT 1 STREAMS s '>') ;;
    xclaim) args=(XCLAIM s g c2 0 __rand_int__) ;;
    xadd_maxlen) args=(XADD s MAXLEN 900000 '*' f v) ;;
    xdel) args=(XDEL s __rand_int__) ;;
    xadd_approx) args=(XADD s MAXLEN '~' 100000 '*' f v) ;;
  esac
  taskset -c 1 redis-benchmark -p "$1" -c 50 -P 16 -n "$N" -r 1000000 --csv "${args[@]}" 2>/dev/null \
    | tail -1 | cut -d, -f2 | tr -d '"'
}
cpu_ticks() { # pid: user + system clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
for r in $(seq "$ROUNDS"); do
  for port in $PORT_A $PORT_B; do
    load "$port"
    pid=$(redis-cli -p "$port" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
    for t in "${tests[@]}"; do
      before=$(cpu_ticks "$pid")
      rates[$t,$port]+="$(bench "$port" "$t") "
      costs[$t,$port]+="$(awk -v t=$(( $(cpu_ticks "$pid") - before )) -v hz="$(getconf CLK_TCK)" -v n="$N" \
        'BEGIN{printf "%.3f", t / hz * 1e6 / n}') "
    done
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
for t in "${tests[@]}"; do
  a=${costs[$t,$PORT_A]}; b=${costs[$t,$PORT_B]}
  echo "$t cpu us/req A=${a% } B=${b% } median ratio B/A=$(awk -v x="$(median "$b")" -v y="$(median "$a")" \
    'BEGIN{printf "%.3f", x/y}') (req/s A=${rates[$t,$PORT_A]% } B=${rates[$t,$PORT_B]% })"
done

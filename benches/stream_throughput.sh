#!/usr/bin/env bash
# stream_throughput.sh: XADD (MAXLEN ~ 100000, auto IDs) and XREADGROUP COUNT 1 throughput with
# redis-benchmark (-c 50, pinned to CPU 1), redis-server on port 32012 against rkv-server on 32011
# (start both pinned to CPU 0), P1 and P16, 3 alternating rounds; prints the median ratio rkv/redis.
# PORT_A/PORT_B override the ports.
PORT_A=${PORT_A:-32012}; PORT_B=${PORT_B:-32011}
run() { # port P N cmd...
  local port=$1 p=$2 n=$3; shift 3
  taskset -c 1 redis-benchmark -p $port -c 50 -P $p -n $n --csv "$@" 2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"'
}
for P in 1 16; do
  n=$(( P == 1 ? 200000 : 1000000 ))
  for test in xadd xreadgroup; do
    a=(); b=()
    for r in 1 2 3; do
      for port in $PORT_A $PORT_B; do
        if [[ $test == xadd ]]; then v=$(run $port $P $n XADD bench MAXLEN '~' 100000 '*' field value)
        else
          redis-cli -p $port DEL rg >/dev/null
          redis-cli -p $port XGROUP CREATE rg g '$' MKSTREAM >/dev/null
          # fill n entries
          awk -v n=$n 'BEGIN{for(i=1;i<=n;i++) printf "*5\r\n$4\r\nXADD\r\n$2\r\nrg\r\n$%d\r\n%d-1\r\n$1\r\nf\r\n$1\r\nv\r\n", length(i ""), i}' | redis-cli -p $port --pipe >/dev/null
          v=$(run $port $P $n XREADGROUP GROUP g c COUNT 1 STREAMS rg '>')
        fi
        if [[ $port == "$PORT_A" ]]; then a+=($v); else b+=($v); fi
      done
    done
    ma=$(printf '%s\n' "${a[@]}" | sort -g | sed -n 2p); mb=$(printf '%s\n' "${b[@]}" | sort -g | sed -n 2p)
    echo "P$P $test redis=${a[*]} rkv=${b[*]} median ratio rkv/redis=$(awk -v x=$mb -v y=$ma 'BEGIN{printf "%.2f", x/y}')"
  done
done

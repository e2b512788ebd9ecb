#!/usr/bin/env bash
# pubsub_fanout.sh PORT_A PORT_B: PUBLISH fan-out side by side, A = redis-server, B = rkv-server,
# both already running pinned to CPU 0. For K = 1, 100, 1000 subscribers (redis-cli processes,
# pinned to CPU 1 with redis-benchmark publishing): messages delivered per second at the
# subscribers and server CPU microseconds per delivered message, per round, with rkv/redis ratios
# (ratio_rate > 1 and ratio_cpu < 1 favour rkv). ROUNDS [2]. Stops every subscriber it starts.
set -u
A=$1; B=$2; ROUNDS=${ROUNDS:-2}
TCK=$(getconf CLK_TCK)
pid_of() { redis-cli -p "$1" info server | awk -F: '/^process_id:/{print $2+0}'; }
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12+$13}'; }
run() { # port k n -> "delivered_per_s cpu_us_per_delivered"
  local port=$1 k=$2 n=$3 pids=() pid t0 t1 c0 c1
  pid=$(pid_of "$port")
  for _ in $(seq "$k"); do taskset -c 1 redis-cli -p "$port" subscribe ch > /dev/null & pids+=($!); done
  while [ "$(redis-cli -p "$port" pubsub numsub ch | tail -1)" -lt "$k" ]; do sleep 0.05; done
  c0=$(ticks "$pid"); t0=$(date +%s%N)
  taskset -c 1 redis-benchmark -p "$port" -c 20 -n "$n" -q PUBLISH ch hello-subscribers > /dev/null 2>&1
  t1=$(date +%s%N); c1=$(ticks "$pid")
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  while [ "$(redis-cli -p "$port" pubsub numsub ch | tail -1)" -gt 0 ]; do sleep 0.05; done
  awk -v n="$n" -v k="$k" -v dt="$((t1 - t0))" -v dc="$((c1 - c0))" -v tck="$TCK" \
    'BEGIN { d = n * k; printf "%.0f %.3f\n", d / (dt / 1e9), (dc / tck * 1e6) / d }'
}
for k in 1 100 1000; do
  n=$((2000000 / k)); [ "$n" -lt 2000 ] && n=2000
  for r in $(seq "$ROUNDS"); do
    a=$(run "$A" "$k" "$n"); b=$(run "$B" "$k" "$n")
    echo "k=$k round=$r redis: $a  rkv: $b" | awk '{ printf "%s ratio_rate=%.2f ratio_cpu=%.2f\n", $0, $7/$4, $8/$5 }'
  done
done

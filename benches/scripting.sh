#!/usr/bin/env bash
# scripting.sh PORT_A PORT_B: EVALSHA of a 3-command and a 21-command script and FCALL of the
# 3-command one, side by side with redis-benchmark (-c 50, pinned to CPU 1), A = redis-server,
# B = rkv-server, both already running pinned to CPU 0. Each round runs every test at -P 1 and
# -P 16 on A then B (B then A in even rounds). Prints, per test, each server's median requests/s
# and server CPU microseconds per request (user + system from /proc), and B/A of each (rps
# ratio > 1 and CPU ratio < 1 favour B).
# Knobs: ROUNDS [3] N [200000 requests at -P 1; 3x at -P 16; a quarter for the 21-command script]
set -euo pipefail
A=$1; B=$2; ROUNDS=${ROUNDS:-3}; N=${N:-200000}
S3='redis.call("SET", KEYS[1], ARGV[1]); redis.call("INCR", KEYS[2]); return redis.call("GET", KEYS[1])'
S21='for i = 1, 10 do redis.call("SET", KEYS[1], ARGV[1]); redis.call("INCR", KEYS[2]) end return redis.call("GET", KEYS[1])'
LIB="#!lua name=bench
redis.register_function('f3', function(keys, args) redis.call('SET', keys[1], args[1]); redis.call('INCR', keys[2]); return redis.call('GET', keys[1]) end)"
pid_of() { redis-cli -p "$1" INFO server | tr -d '\r' | sed -n 's/^process_id://p'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A rps cpu sha3 sha21
for port in "$A" "$B"; do
  redis-cli -p "$port" FUNCTION LOAD REPLACE "$LIB" >/dev/null
  sha3[$port]=$(redis-cli -p "$port" SCRIPT LOAD "$S3")
  sha21[$port]=$(redis-cli -p "$port" SCRIPT LOAD "$S21")
done
run() { # port test pipeline -> "rps cpu_us"
  local port=$1 test=$2 p=$3 n args pid t0 t1 r
  n=$N; [[ $p == 16 ]] && n=$((N * 3)); [[ $test == evalsha21 ]] && n=$((n / 4))
  case $test in
    evalsha3) args=(EVALSHA "${sha3[$port]}" 2 k:a k:b v) ;;
    evalsha21) args=(EVALSHA "${sha21[$port]}" 2 k:a k:b v) ;;
    fcall3) args=(FCALL f3 2 k:a k:b v) ;;
  esac
  pid=$(pid_of "$port"); t0=$(cpu_ticks "$pid")
  r=$(taskset -c 1 redis-benchmark -p "$port" -n "$n" -c 50 -P "$p" -q "${args[@]}" | grep -o '[0-9.]* requests per second' | cut -d' ' -f1)
  t1=$(cpu_ticks "$pid")
  echo "$r $(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.3f", (b - a) / hz * 1e6 / n}')"
}
for ((round = 1; round <= ROUNDS; round++)); do
  order=("$A" "$B"); ((round % 2 == 0)) && order=("$B" "$A")
  for test in evalsha3 evalsha21 fcall3; do
    for p in 1 16; do
      for port in "${order[@]}"; do
        read -r r c < <(run "$port" "$test" "$p")
        rps[$test,$p,$port]+="$r "; cpu[$test,$p,$port]+="$c "
      done
    done
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '%-14s %11s %11s %6s %9s %9s %6s\n' test redis_rps rkv_rps ratio redis_us rkv_us ratio
for test in evalsha3 evalsha21 fcall3; do
  for p in 1 16; do
    ra=$(echo "${rps[$test,$p,$A]}" | median); rb=$(echo "${rps[$test,$p,$B]}" | median)
    ca=$(echo "${cpu[$test,$p,$A]}" | median); cb=$(echo "${cpu[$test,$p,$B]}" | median)
    awk -v t="$test P$p" -v ra="$ra" -v rb="$rb" -v ca="$ca" -v cb="$cb" \
      'BEGIN{printf "%-14s %11.0f %11.0f %6.2f %9.2f %9.2f %6.2f\n", t, ra, rb, rb / ra, ca, cb, cb / ca}'
  done
done

#!/bin/bash
# small_collections_memory.sh PORT TYPE [N]: used_memory growth per structure of 10 members
# (TYPE: intset zset hash list set string), N structures (default 100k); run it against rkv
# and redis-server side by side.
P=$1; T=$2; N=${3:-100000}
redis-cli -p $P flushall >/dev/null; sleep 0.3
b=$(redis-cli -p $P info memory | grep '^used_memory:' | cut -d: -f2 | tr -d '\r')
python3 - "$T" "$N" <<'PY' | redis-cli -p $P --pipe >/dev/null
import sys
t, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout
def cmd(*a):
    out.write("*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a))
for i in range(n):
    k = "k:%012d" % i
    if t == "intset": cmd("SADD", k, *[str(i * 10 + j) for j in range(10)])
    elif t == "zset": cmd("ZADD", k, *sum([[str(j), "m:%06d" % j] for j in range(10)], []))
    elif t == "hash": cmd("HSET", k, *sum([["f%d" % j, "v:%06d" % j] for j in range(10)], []))
    elif t == "list": cmd("RPUSH", k, *["e:%06d" % j for j in range(10)])
    elif t == "set": cmd("SADD", k, *["m:%06d" % j for j in range(10)])
    elif t == "string": cmd("SET", k, "v:%013d" % i)
PY
a=$(redis-cli -p $P info memory | grep '^used_memory:' | cut -d: -f2 | tr -d '\r')
echo "$T $(( (a - b) / N )) B/structure"

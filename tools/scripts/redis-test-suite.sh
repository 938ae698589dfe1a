#!/usr/bin/env bash
# Runs Redis 7.0.15's own test suite (tests/unit/*.tcl, from Debian's source package) against mini-redis-server: the
# suite starts "src/redis-server" with its generated config files and waits for its log lines, exactly as it starts
# Redis, and here that name runs our built CLI. Not part of `pnpm test` (a full run takes a long while and the units
# that need what we do not have yet, e.g. ACL, replication or RDB, stop at their first missing command); run it after
# `pnpm build` when touching behaviour the suite covers, and see the server README ("Redis's own test suite").
#
#   bash tools/scripts/redis-test-suite.sh                    # the units listed below
#   bash tools/scripts/redis-test-suite.sh unit/type/list ... # chosen units
#
# Needs: Debian's source package (deb-src lines are added for bookworm if missing), tclsh, redis-cli/redis-benchmark.
# Output: one log per unit and summary.txt in $OUT (default /tmp/mini-redis-redis-tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-/tmp/mini-redis-redis-tests}"
CLI="$ROOT/packages/server/dist/mini-redis-server.cjs"
[ -f "$CLI" ] || { echo "$CLI is missing: run pnpm build first" >&2; exit 1; }
command -v tclsh >/dev/null || { echo "tclsh is missing: apt-get install tcl" >&2; exit 1; }
mkdir -p "$OUT"

SRC="$OUT/redis-7.0.15"
if [ ! -d "$SRC/tests" ]; then
  if ! ls /etc/apt/sources.list.d/*.sources 2>/dev/null | xargs grep -q '^Types: deb-src'; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/mini-redis-src.sources
    apt-get update -qq
  fi
  (cd "$OUT" && apt-get source --download-only redis=7.0.15-1~deb12u10 >/dev/null 2>&1 || apt-get source --download-only redis >/dev/null)
  tar xzf "$OUT"/redis_7.0.15.orig.tar.gz -C "$OUT"
fi

# The suite runs src/redis-server: ours, in memory (the suite's config files have save points).
cat > "$SRC/src/redis-server" <<EOF
#!/bin/sh
MINI_REDIS_IN_MEMORY=1 exec "$(command -v node)" "$CLI" "\$@"
EOF
chmod +x "$SRC/src/redis-server"
for tool in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
  ln -sf "$(command -v $tool || echo /usr/bin/$tool)" "$SRC/src/$tool"
done

# Tests that need persistence, replication, DUMP/RESTORE or DEBUG subcommands of the RDB/quicklist internals are
# skipped by name (whole units stop at their first unknown command otherwise).
python3 - "$SRC/tests/unit" > "$OUT/skip.txt" <<'EOF'
import glob, re, sys
needs = re.compile(r'debug reload|\bdump\b|restore|debug loadaof|quicklist-packed-threshold|debug jmap|'
                   r'debug stringmatch-len|debug listpack|debug quicklist|needs:repl|bgsave|bgrewriteaof|'
                   r'debug protocol|debug set-disable-deny-scripts|debug replybuffer|object freq|'
                   r'debug change-repl-id|wait_for_ofs_sync|\brepl\b|replicaof|slaveof|appendonly|rdb|aof|\bacl\b',
                   re.I)
names = set()
for path in glob.glob(sys.argv[1] + '/**/*.tcl', recursive=True):
    source = open(path, errors='replace').read()
    starts = list(re.finditer(r'^\s*test\s+(\{[^}\n]*\}|"[^"\n]*")', source, re.M))
    for i, match in enumerate(starts):
        body = source[match.end():starts[i + 1].start() if i + 1 < len(starts) else len(source)]
        if not needs.search(body):
            continue
        name = match.group(1)[1:-1]
        if '$' in name or '[' in name:
            pattern = re.sub(r'\\\$\w+|\\\$\\\{\w+\\\}|\\\[[^\]]*\\\]', '.*', re.escape(name))
            if pattern != '.*':
                names.add('/^' + pattern + '$')
        else:
            names.add(name)
print('\n'.join(sorted(names)))
EOF

UNITS=("$@")
if [ ${#UNITS[@]} -eq 0 ]; then
  UNITS=(unit/type/string unit/type/incr unit/type/list unit/type/list-2 unit/type/list-3 unit/type/hash unit/type/set
    unit/type/zset unit/type/stream unit/type/stream-cgroups unit/keyspace unit/expire unit/scan unit/bitops
    unit/bitfield unit/geo unit/hyperloglog unit/sort unit/auth unit/protocol unit/quit unit/info-command unit/slowlog
    unit/tracking unit/pubsub unit/pubsubshard unit/multi unit/pause unit/scripting unit/functions)
fi
: > "$OUT/summary.txt"
cd "$SRC"
for unit in "${UNITS[@]}"; do
  log="$OUT/$(echo "$unit" | tr / _).log"
  set +e
  timeout 900 ./runtest --single "$unit" --clients 2 --timeout 120 --tags -needs:repl --tags -needs:save \
    --skipfile "$OUT/skip.txt" > "$log" 2>&1
  rc=$?
  set -e
  # A server the suite could not stop must not outlive it: a script spinning inside pcall holds the event loop, so
  # neither SCRIPT KILL nor SIGTERM reaches it (see the server README); SIGKILL does.
  pkill -9 -f "$CLI ./tests/tmp/" 2>/dev/null || true
  ok=$(grep -ac '^\[.*ok.*\]:' "$log" || true)
  failed=$(grep -ac '^\[.*\(err\|exception\|TIMEOUT\).*\]:' "$log" || true)
  echo "$unit rc=$rc ok=$ok failed=$failed" | tee -a "$OUT/summary.txt"
done

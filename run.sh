#!/usr/bin/env bash
# busflow's command line. Builds target/busflow.jar when it is missing or older than pom.xml or src/.
#   ./run.sh                      the main job: the demo pipeline on bundled data, one node
#   ./run.sh test                 every test (what CI runs)
#   ./run.sh test-long            long soak / kill / 1M-row tests (Maven profile 'long')
#   ./run.sh serve [args]         a node with the HTTP bridge, until SIGTERM / Ctrl-C
#   ./run.sh pipeline FILE        run the pipeline declared in FILE (conf/pipelines/*.json)
#   ./run.sh score FILE SOURCE [OUTPUT]  apply FILE's saved preprocessor and model to SOURCE
#   ./run.sh tutorial             the tutorial's three-actor chain, working
#   ./run.sh cluster-demo         three JVMs on 127.0.0.1, one per role, running the demo pipeline
#   ./run.sh bench ping|w1|w2|cluster|train [options]   (benchmarks: src/bench/java, built into target/busflow-bench.jar)
# Batch jobs (demo, pipeline, score) open no port unless given --http or --port N; each command takes --help.
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/busflow.jar
# the benchmarks (src/bench/java) are not in busflow.jar: the build packages them alone, beside it
BENCH_JAR=target/busflow-bench.jar
# a JVM that ran out of memory exits (status 3) rather than limping on: see README "Fail loud"
JAVA_OPTS="-XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-}"
# what the jar's manifest gives `java -jar` (Hazelcast's reflective access), for the -cp launches
ADD_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.management/sun.management=ALL-UNNAMED
 --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED"

build_if_needed() {
  # conf/ is read at run time (pipeline files, node configuration): editing it needs no build
  if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]; then
    echo "building $JAR …" >&2
    mvn -q -B -DskipTests package
  fi
}

# The jars the commands run: a copy of each, made once per build under target/run/ and named by its size and time.
# The next build's jar plugin rewrites target/busflow.jar in place, and a JVM still running from it then finds the
# classes it has not loaded yet gone (a node whose event loops die of NoClassDefFoundError and answer nothing). A
# running JVM keeps its copy; a build's first command makes the new one and removes the old ones no process holds
# open (the JVM reopens its jar by name for resources, so one in use must stay).
run_copy() {
  local jar=$1 name old
  name="target/run/$(basename "$jar" .jar)-$(stat -c '%s-%Y' "$jar" 2>/dev/null || stat -f '%z-%m' "$jar").jar"
  if [ ! -f "$name" ]; then
    mkdir -p target/run
    cp "$jar" "$name.$$" && mv -f "$name.$$" "$name"
    for old in target/run/"$(basename "$jar" .jar)"-*.jar; do
      [ "$old" = "$name" ] || held_open "$old" || rm -f "$old"
    done
  fi
  echo "$name"
}

# Whether a process (of those this user may see) has FILE open: from /proc on Linux, else lsof (macOS); when
# neither can tell, it is taken as held, and kept.
held_open() {
  local file fd
  if [ -d /proc/self/fd ]; then
    file=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
    for fd in /proc/[0-9]*/fd/*; do
      [ "$(readlink "$fd" 2>/dev/null)" = "$file" ] && return 0
    done
    return 1
  fi
  ! command -v lsof >/dev/null || [ -n "$(lsof -t "$1" 2>/dev/null)" ]
}

# the Node test clients (src/test/node), from the npm registry: the official SockJS event-bus client for the
# bridge test, puppeteer-core for the console's browser test; and Debian's chromium for the latter
node_test_deps() {
  local dir=src/test/node
  if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium for the console's browser test (apt-get install -y chromium) …" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d "$dir/node_modules/@vertx/eventbus-bridge-client.js" ] || [ ! -d "$dir/node_modules/puppeteer-core" ] \
      || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "installing the Node test client (npm ci in $dir) …" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The JVM options of the commands run by the command line (demo, pipeline, score, tutorial, cluster-demo), before
# JAVA_OPTS: BATCH_JAVA_OPTS when set (empty: the JVM's defaults), else the serial collector unless JAVA_OPTS names
# a collector. A one-shot job on a few cores spent 10–30% less CPU (user + sys) with it than with G1, the JVM's
# default, and kept less memory resident (BENCHMARKS.md, "Cold start and the collector"). Exported for the
# benchmark that starts such commands (bench cold).
if [ -z "${BATCH_JAVA_OPTS+set}" ]; then
  BATCH_JAVA_OPTS="-XX:+UseSerialGC"
  for opt in $JAVA_OPTS; do
    case "$opt" in -XX:+Use*GC) BATCH_JAVA_OPTS="" ;; esac
  done
fi
export BATCH_JAVA_OPTS

# Class data sharing (the JDK's AppCDS): the first batch command after a build records the classes it loaded in
# target/busflow.jsa; later ones map them instead of loading them from the jar (a cold job starts ~0.3 s sooner).
CDS=target/busflow.jsa
cli() {
  build_if_needed
  local jar
  jar=$(run_copy "$JAR")
  if [ -f "$CDS" ] && [ "$CDS" -nt "$jar" ]; then
    # shellcheck disable=SC2086
    exec java -XX:SharedArchiveFile="$CDS" -Xlog:cds=off -Xlog:cds+dynamic=off $BATCH_JAVA_OPTS $JAVA_OPTS -cp "$jar" io.busflow.Cli "$@"
  fi
  local status=0 dump="$CDS.$$"
  # shellcheck disable=SC2086
  java -XX:ArchiveClassesAtExit="$dump" -Xlog:cds=off -Xlog:cds+dynamic=off $BATCH_JAVA_OPTS $JAVA_OPTS -cp "$jar" io.busflow.Cli "$@" \
    || status=$?
  if [ -s "$dump" ]; then mv -f "$dump" "$CDS"; else rm -f "$dump"; fi
  exit "$status"
}

cmd=${1:-demo}
[ $# -gt 0 ] && shift
case "$cmd" in
  demo)        cli demo "$@" ;;
  test)        node_test_deps; exec mvn -B verify "$@" ;;
  test-long)   node_test_deps; exec mvn -B verify -Plong "$@" ;;
  serve)
    build_if_needed
    # shellcheck disable=SC2086
    # $ADD_OPENS: the Add-Opens/Add-Exports the jar's manifest gives `java -jar` (Hazelcast needs them)
    exec java $JAVA_OPTS $ADD_OPENS -cp "$(run_copy "$JAR")" io.busflow.Launcher io.busflow.BusflowNode -conf conf/busflow.json "$@" ;;
  pipeline|score|tutorial|cluster-demo) cli "$cmd" "$@" ;;
  bench)
    build_if_needed
    [ -f "$BENCH_JAR" ] || { echo "building $BENCH_JAR …" >&2; mvn -q -B -DskipTests package; }
    # shellcheck disable=SC2086
    # $ADD_OPENS: the clustered benches (cluster, scale) join Hazelcast in this JVM
    exec java $JAVA_OPTS $ADD_OPENS -cp "$(run_copy "$JAR"):$(run_copy "$BENCH_JAR")" io.busflow.bench.Bench "$@" ;;
  -h|--help|help) sed -n '2,/^set -euo pipefail$/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command '$cmd'; try ./run.sh help" >&2; exit 2 ;;
esac

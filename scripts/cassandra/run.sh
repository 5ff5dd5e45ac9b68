#!/usr/bin/env bash
# Runs one Cassandra 5.0 node on loopback in the foreground (logs on stdout) for tests and local use.
#   run.sh [--dir DIR] [--native-port 9042] [--storage-port 7000] [--heap 1g] [--watch-pid PID]
# Without --dir the node lives in a fresh temp folder that is deleted when it stops (and is killed
# hard: there is nothing to keep). With --watch-pid the node stops when that process is gone, so a
# test runner that dies cannot leak a JVM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir="" native_port=9042 storage_port=7000 heap=1g watch_pid=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2 ;;
    --native-port) native_port=$2 ;;
    --storage-port) storage_port=$2 ;;
    --heap) heap=$2 ;;
    --watch-pid) watch_pid=$2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done

lib=$("$here/fetch.sh")
ephemeral=false
if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tickflow-cassandra.XXXXXX")
  ephemeral=true
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sed -e "s/\$NATIVE_PORT/$native_port/g" -e "s/\$STORAGE_PORT/$storage_port/g" \
  "$here/cassandra.yaml" >"$dir/cassandra.yaml"

jamm=$(ls "$lib"/jamm-*.jar | head -1)
# JPMS flags of Cassandra 5.0's conf/jvm17-server.options.
jpms=(
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
  --add-exports java.sql/java.sql=ALL-UNNAMED
  --add-exports java.base/java.lang.ref=ALL-UNNAMED
  --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
  --add-opens java.base/java.lang.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
  --add-opens java.base/jdk.internal.math=ALL-UNNAMED
  --add-opens java.base/jdk.internal.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/java.io=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/java.util=ALL-UNNAMED
  -Djdk.attach.allowAttachSelf=true
  -Dio.netty.tryReflectionSetAccessible=true
)
java -Xms"$heap" -Xmx"$heap" -Xss256k -XX:+UseG1GC -XX:MaxGCPauseMillis=300 -XX:+ExitOnOutOfMemoryError \
  -javaagent:"$jamm" "${jpms[@]}" \
  -Djava.net.preferIPv4Stack=true \
  -Dcassandra.config="file://$dir/cassandra.yaml" \
  -Dcassandra.storagedir="$dir" \
  -Dcassandra-foreground=yes \
  -Dcassandra.skip_wait_for_gossip_to_settle=0 \
  -Dcassandra.ring_delay_ms=100 \
  -Dcassandra.unsafesystem=true \
  -Dlogback.configurationFile="file://$here/logback.xml" \
  -cp "$lib/*" org.apache.cassandra.service.CassandraDaemon &
java_pid=$!

stop() {
  if $ephemeral; then kill -KILL "$java_pid" 2>/dev/null || true; else kill -TERM "$java_pid" 2>/dev/null || true; fi
}
trap stop TERM INT HUP
# Whoever reads our output may be gone already (a test runner that exited): keep going to clean up.
trap '' PIPE
if [ -n "$watch_pid" ]; then
  (
    while kill -0 "$watch_pid" 2>/dev/null && kill -0 "$java_pid" 2>/dev/null; do sleep 1; done
    kill -TERM $$ 2>/dev/null || true
  ) &
fi
status=0
# `wait` returns early when a trapped signal arrives; keep waiting until the JVM is really gone.
while kill -0 "$java_pid" 2>/dev/null; do wait "$java_pid" || status=$?; done
if $ephemeral; then rm -rf "$dir"; fi
exit "$status"

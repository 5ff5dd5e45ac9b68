#!/usr/bin/env bash
# Fetches Cassandra's runtime classpath (cassandra-all and its dependencies, jamm included) from Maven
# Central into .cache/cassandra/lib, and prints that folder. Reused while pom.xml is unchanged; safe to
# run from several processes at once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CASSANDRA_CACHE_DIR:-$(cd "$here/../.." && pwd)/.cache/cassandra}
lib="$cache/lib"
stamp=$(sha256sum "$here/pom.xml" | cut -c1-16)

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ "$(cat "$lib/.complete" 2>/dev/null)" != "$stamp" ]; then
  command -v mvn >/dev/null || { echo "fetch.sh: Maven (mvn) is required to fetch Cassandra" >&2; exit 1; }
  staging=$(mktemp -d "$cache/lib.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  mvn -B -q -f "$here/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$staging" >&2
  echo "$stamp" >"$staging/.complete"
  rm -rf "$lib"
  mv "$staging" "$lib"
fi
echo "$lib"

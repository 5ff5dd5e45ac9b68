#!/usr/bin/env bash
# Copies Kafka's broker jars (see pom.xml) from Maven Central into .cache/kafka/lib, once: later runs
# reuse them until pom.xml changes. Needs Java 17+ and Maven. Prints the lib folder on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$(cd "$here/../.." && pwd)/.cache/kafka"
lib="$cache/lib"
stamp="$(sha256sum "$here/pom.xml" | cut -c1-16)"

if [ -f "$lib/.complete-$stamp" ]; then
  echo "$lib"
  exit 0
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "kafka fetch: '$tool' is not on PATH (needs Java 17+ and Maven)" >&2; exit 1; }
done

mkdir -p "$cache"
work="$(mktemp -d "$cache/fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "kafka fetch: downloading the Kafka broker from Maven Central into $lib (first run only)" >&2
if ! mvn -B -q -Dstyle.color=never -f "$here/pom.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$work/lib" >"$work/mvn.log" 2>&1; then
  echo "kafka fetch: Maven failed; last lines of its output:" >&2
  tail -n 40 "$work/mvn.log" >&2
  exit 1
fi
touch "$work/lib/.complete-$stamp"
# Swap the folder in whole, so a concurrent run never sees half a classpath.
rm -rf "$lib.old"
[ -d "$lib" ] && mv "$lib" "$lib.old"
mv "$work/lib" "$lib"
rm -rf "$lib.old"
echo "$lib"

#!/usr/bin/env bash
# Runs a command (the broker) as a child and guarantees it dies with its owner:
#   TERM       -> clean shutdown of the child (KILL after 15 s), data folder kept for a restart;
#   HUP or INT -> KILL the child and remove the data folder;
#   owner pid gone (a crashed or killed test run) -> same as HUP.
# usage: supervise.sh <owner-pid> <data-folder> <command...>
set -uo pipefail
owner="$1" data="$2"
shift 2
"$@" &
child=$!
mode=""
trap 'mode=graceful' TERM
trap 'mode=discard' HUP INT
while [ -z "$mode" ] && kill -0 "$child" 2>/dev/null; do
  if kill -0 "$owner" 2>/dev/null; then
    sleep 0.5 &
    wait $! 2>/dev/null
  else
    mode=discard
  fi
done
if [ "$mode" = graceful ]; then
  kill -TERM "$child" 2>/dev/null
  for _ in $(seq 60); do
    kill -0 "$child" 2>/dev/null || break
    sleep 0.25
  done
fi
kill -KILL "$child" 2>/dev/null
wait "$child"
status=$?
if [ "$mode" = discard ] || ! kill -0 "$owner" 2>/dev/null; then rm -rf "$data"; fi
exit "$status"

#!/usr/bin/env bash
# Starts or stops Azurite's Table service on loopback for the state tests.
#
#   .ci/azurite.sh start   install azurite@3.37.0 into the cache if missing,
#                          start it (in memory) on 127.0.0.1:$AZURITE_TABLE_PORT,
#                          wait until the port answers, and print the
#                          VNETDRIFT_TEST_AZURITE export line
#   .ci/azurite.sh stop    stop the Azurite this script started (by PID)
#   .ci/azurite.sh env     print the export line only
#
# Usage in CI:  .ci/azurite.sh start && eval "$(.ci/azurite.sh env)"; ...; .ci/azurite.sh stop
set -euo pipefail

VERSION=3.37.0
CACHE="${VNETDRIFT_CI_CACHE:-$HOME/.cache/vnetdrift-ci}/azurite"
PORT="${AZURITE_TABLE_PORT:-10002}"
PIDFILE="$CACHE/azurite-$PORT.pid"
LOG="$CACHE/azurite-$PORT.log"
# The well-known development account key (public; Azurite's default).
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

env_line() {
  echo "export VNETDRIFT_TEST_AZURITE='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;TableEndpoint=http://127.0.0.1:$PORT/devstoreaccount1;'"
}

install() {
  local main="$CACHE/node_modules/azurite/dist/src/table/main.js"
  if [ -f "$main" ] && grep -q "\"version\": \"$VERSION\"" "$CACHE/node_modules/azurite/package.json"; then
    return
  fi
  echo "azurite: installing azurite@$VERSION into $CACHE" >&2
  mkdir -p "$CACHE"
  (cd "$CACHE" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund "azurite@$VERSION" >&2)
}

start() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "azurite: already running (PID $(cat "$PIDFILE")) on 127.0.0.1:$PORT" >&2
    return
  fi
  if answers; then
    echo "azurite: 127.0.0.1:$PORT is already taken by another process; set AZURITE_TABLE_PORT" >&2
    exit 1
  fi
  install
  node "$CACHE/node_modules/azurite/dist/src/table/main.js" --tableHost 127.0.0.1 --tablePort "$PORT" \
    --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    if answers; then
      echo "azurite: Table service on 127.0.0.1:$PORT (PID $(cat "$PIDFILE"))" >&2
      return
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "azurite: exited at start; log:" >&2
      cat "$LOG" >&2
      rm -f "$PIDFILE"
      exit 1
    fi
    sleep 0.1
  done
  echo "azurite: 127.0.0.1:$PORT did not answer within 10 s; log:" >&2
  cat "$LOG" >&2
  stop
  exit 1
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  echo "azurite: stopped" >&2
}

case "${1:-}" in
  start) start; env_line ;;
  stop) stop ;;
  env) env_line ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac

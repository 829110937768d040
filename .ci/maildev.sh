#!/usr/bin/env bash
# Starts or stops maildev, the SMTP sink the notify/email tests send to.
#
#   eval "$(.ci/maildev.sh start)"   # installs maildev@3.0.0 if missing, starts it on loopback,
#                                    # waits until it answers, prints `export VNETDRIFT_TEST_MAILDEV=…`
#   .ci/maildev.sh env               # prints that line again
#   .ci/maildev.sh stop              # stops the maildev this script started (by its PID file)
#
# SMTP on 127.0.0.1:$MAILDEV_SMTP_PORT (1025) with AUTH required
# ($MAILDEV_USER / $MAILDEV_PASS), web + REST API on 127.0.0.1:$MAILDEV_WEB_PORT (1080).
# Progress goes to stderr, so only the export line is on stdout.
set -euo pipefail

VERSION=3.0.0
CACHE="${VNETDRIFT_CI_CACHE:-$HOME/.cache/vnetdrift-ci}"
DIR="$CACHE/maildev"
PIDFILE="$CACHE/maildev.pid"
LOG="$CACHE/maildev.log"
SMTP_PORT="${MAILDEV_SMTP_PORT:-1025}"
WEB_PORT="${MAILDEV_WEB_PORT:-1080}"
USER_NAME="${MAILDEV_USER:-vnetdrift}"
PASS="${MAILDEV_PASS:-maildev-test-only-pw}"

say() { echo "maildev: $*" >&2; }

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

print_env() {
  echo "export VNETDRIFT_TEST_MAILDEV='smtp=127.0.0.1:$SMTP_PORT,api=http://127.0.0.1:$WEB_PORT,user=$USER_NAME,pass=$PASS'"
}

install() {
  if [ -f "$DIR/node_modules/maildev/package.json" ] &&
     [ "$(node -p "require('$DIR/node_modules/maildev/package.json').version")" = "$VERSION" ]; then
    return
  fi
  say "installing maildev@$VERSION into $DIR"
  mkdir -p "$DIR"
  (cd "$DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --loglevel=error "maildev@$VERSION" >&2)
}

wait_ready() {
  for _ in $(seq 1 100); do
    if node -e "fetch('http://127.0.0.1:$WEB_PORT/api/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null &&
       node -e "const s=require('net').connect($SMTP_PORT,'127.0.0.1',()=>{s.end();process.exit(0)});s.on('error',()=>process.exit(1))" 2>/dev/null; then
      return 0
    fi
    if ! running; then
      say "exited during start-up; log:"; cat "$LOG" >&2; return 1
    fi
    sleep 0.2
  done
  say "not ready after 20 s; log:"; cat "$LOG" >&2
  return 1
}

start() {
  mkdir -p "$CACHE"
  if running; then
    say "already running (pid $(cat "$PIDFILE"))"
    print_env
    return
  fi
  install
  say "starting: smtp 127.0.0.1:$SMTP_PORT, web 127.0.0.1:$WEB_PORT"
  nohup node "$DIR/node_modules/maildev/dist/bin/maildev.js" --ip 127.0.0.1 --smtp "$SMTP_PORT" \
    --web-ip 127.0.0.1 --web "$WEB_PORT" --incoming-user "$USER_NAME" --incoming-pass "$PASS" \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
  say "ready (pid $(cat "$PIDFILE"))"
  print_env
}

stop() {
  if running; then
    pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "stopped (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac

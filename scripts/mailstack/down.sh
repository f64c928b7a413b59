#!/usr/bin/env bash
# Stop the private mail stack started by up.sh on $MAILSTACK_DIR (its own daemons only, found by their pid
# files) and wait until they are gone, so the caller may remove the dir and reuse the ports.
#   MAILSTACK_DISCARD=1  kill at once (SIGKILL) instead of a clean shutdown (~2 s): for a stack whose dir is
#                        deleted right after, as the test harness does.
set -uo pipefail
DIR=${MAILSTACK_DIR:-/tmp/mailstack}
postfix_pid=$(tr -d ' ' < "$DIR/spool/pid/master.pid" 2>/dev/null || true)
dovecot_pid=$(cat "$DIR/run/master.pid" 2>/dev/null || true)
# A dead master may linger as a zombie until whoever adopted it reaps it (slowly, in some containers): that
# counts as gone.
alive() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]; }
masters=()
for pid in $postfix_pid $dovecot_pid; do
  # Postfix leaves its pid file behind: make sure the pid is still that stack's master before signalling it.
  grep -qs -e "$DIR" "/proc/$pid/cmdline" 2>/dev/null || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = master ] \
    && masters+=("$pid")
done
if [ "${MAILSTACK_DISCARD:-0}" = 1 ]; then
  for pid in "${masters[@]}"; do
    children=$(pgrep -P "$pid" || true)
    kill -KILL "$pid" $children 2>/dev/null
  done
else
  # SIGTERM to each master is what `postfix stop` and `doveadm stop` do; signalling directly and polling every
  # 0.05 s avoids their one-second sleeps.
  for pid in "${masters[@]}"; do kill -TERM "$pid" 2>/dev/null; done
fi
for pid in "${masters[@]}"; do
  for _ in $(seq 200); do alive "$pid" || break; sleep 0.05; done
  # Still there after 10 s: the master is stuck; kill it and its children.
  if alive "$pid"; then
    children=$(pgrep -P "$pid" || true)
    kill -KILL "$pid" $children 2>/dev/null
  fi
done
echo "stopped ($DIR)"

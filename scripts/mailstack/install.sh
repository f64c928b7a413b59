#!/usr/bin/env bash
# Install Dovecot (IMAP + LMTP) and Postfix from Debian's packages when missing, without configuring the
# system-wide instances (the stack runs its own). Safe to call from many stacks at once: one installs, the
# others wait for it.
set -euo pipefail
missing() {
  local need=()
  command -v dovecot >/dev/null || need+=(dovecot-core dovecot-imapd)
  [ -x /usr/lib/dovecot/imap ] || need+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
  command -v postfix >/dev/null || need+=(postfix)
  echo "${need[@]}"
}
[ -z "$(missing)" ] && exit 0
exec 9>/var/lock/mailstack-install.lock
flock 9
need=$(missing)
[ -z "$need" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
# "No configuration": Postfix's package must not set up (or start) the system's own instance.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq -o DPkg::Lock::Timeout=300 $need >/dev/null

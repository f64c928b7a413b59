#!/usr/bin/env bash
# Bring up a private, loopback-only mail stack for tests and demos:
#   Dovecot  IMAP on 127.0.0.1:$IMAP_PORT (plaintext, loopback only), LMTP on 127.0.0.1:$LMTP_PORT
#   Postfix  SMTP on 127.0.0.1:$SMTP_PORT, delivering every user of the test domains into Dovecot over LMTP
# With MAILSTACK_TLS_CERT and MAILSTACK_TLS_KEY (PEM files), Dovecot also offers STARTTLS on the IMAP port and
# implicit TLS on 127.0.0.1:$IMAPS_PORT, and Postfix offers STARTTLS, all with that certificate.
# Every file of the stack lives under $MAILSTACK_DIR, so stacks on other dirs and ports run side by side.
# Idempotent: a second run on the same dir restarts the stack and keeps its mail.
# Needs root (it installs the Debian packages when missing and runs the daemons' own users).
# Starts daemons: call it with stdout/stderr sent to a file, never to a pipe someone waits on.
set -euo pipefail
DIR=${MAILSTACK_DIR:-/tmp/mailstack}
IMAP_PORT=${IMAP_PORT:-10143}
SMTP_PORT=${SMTP_PORT:-10025}
LMTP_PORT=${LMTP_PORT:-10024}
USERS=${MAILSTACK_USERS:-"consultas@osce.test contacto@osce.test supervisor@osce.test coordinador@osce.test ciudadano1@example.test ciudadano2@example.test ciudadano3@example.test ciudadano4@example.test ciudadano5@example.test"}
NO_MOVE=${MAILSTACK_NO_MOVE:-0}
# Every user's password (a test that looks for the password in logs wants one nothing else contains).
PASSWORD=${MAILSTACK_PASSWORD:-secret}
TLS_CERT=${MAILSTACK_TLS_CERT:-}
TLS_KEY=${MAILSTACK_TLS_KEY:-}
IMAPS_PORT=${IMAPS_PORT:-0}
# With MAILSTACK_ACL (the lines of a global ACL file: "<mailbox> <identifier> <rights>"), Dovecot enforces folder
# permissions (acl + imap_acl plugins, RFC 4314) and every user sees the mailboxes shared with them under
# "shared/<owner>/" (how a supervisor with his own account works in the office's shared mailbox).
ACL=${MAILSTACK_ACL:-}
# With AUTH_PORT, Postfix offers SMTP AUTH (PLAIN, LOGIN) checked by Dovecot's auth service on that port.
AUTH_PORT=${AUTH_PORT:-}
# With OAUTH_INTROSPECTION_URL, Dovecot (and through it Postfix's SMTP AUTH) also accepts OAuth 2.0 access tokens
# (SASL XOAUTH2 and OAUTHBEARER), checked by its oauth2 passdb against that token introspection endpoint
# (RFC 7662, POST token=…); the token's "username" must be the account logging in. Passwords keep working.
OAUTH_INTROSPECTION_URL=${OAUTH_INTROSPECTION_URL:-}
HERE=$(cd "$(dirname "$0")" && pwd)
# INTERNALDATE of delivered mail renders in the server's zone: make it the office's.
export TZ=America/Lima

"$HERE/install.sh"

"$HERE/down.sh" >/dev/null 2>&1 || true
mkdir -p "$DIR"/{run,mail,postfix,spool,log}
# Dovecot's processes run as dovecot/dovenull and must reach their sockets and the mail below this dir.
chmod 755 "$DIR"

: > "$DIR/users"
: > "$DIR/postfix/recipients"
for u in $USERS; do
  case $u in *@*.*) ;; *) echo "up.sh: '$u' is not an address (user@domain)" >&2; exit 2 ;; esac
  echo "$u:{PLAIN}$PASSWORD:$(id -u dovecot):$(id -g dovecot)::$DIR/mail/${u#*@}/${u%@*}" >> "$DIR/users"
  echo "$u ok" >> "$DIR/postfix/recipients"
done
chown -R dovecot:dovecot "$DIR/mail"

# Dovecot 2.3 cannot subtract one capability, so the "no MOVE" server announces the full default list minus MOVE
# (the list Dovecot 2.3.19 announces after login). The MOVE command itself still works; a client that checks
# capabilities, as it must, falls back to COPY + \Deleted + UID EXPUNGE.
if [ "$NO_MOVE" = 1 ]; then
  capability="imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
else
  capability="# imap_capability: Dovecot's defaults (MOVE included)"
fi
if [ -n "$TLS_CERT" ]; then
  ssl=yes; ssl_cert="ssl_cert = <$TLS_CERT"; ssl_key="ssl_key = <$TLS_KEY"
else
  ssl=no; ssl_cert="# no certificate: no TLS"; ssl_key="#"; IMAPS_PORT=0
fi
if [ -n "$OAUTH_INTROSPECTION_URL" ]; then
  passwd_mechanisms="mechanisms = plain login"
else
  passwd_mechanisms="# every mechanism"
fi
sed -e "s|@DIR@|$DIR|g" -e "s|@IMAP_PORT@|$IMAP_PORT|g" -e "s|@LMTP_PORT@|$LMTP_PORT|g" \
  -e "s|@IMAP_CAPABILITY@|$capability|" -e "s|@IMAPS_PORT@|$IMAPS_PORT|g" -e "s|@SSL@|$ssl|" \
  -e "s|@SSL_CERT@|$ssl_cert|" -e "s|@SSL_KEY@|$ssl_key|" -e "s|@PASSWD_MECHANISMS@|$passwd_mechanisms|" \
  "$HERE/dovecot.conf.in" > "$DIR/dovecot.conf"
if [ -n "$OAUTH_INTROSPECTION_URL" ]; then
  # Dovecot 2.3's oauth2 passdb (doc.dovecot.org, "Open Authentication v2.0 database"; the Debian package ships
  # the settings' reference as /usr/share/dovecot/dovecot-oauth2.conf.ext). No cache: a revoked token is refused
  # at the next login.
  printf '%s\n' "introspection_mode = post" "introspection_url = $OAUTH_INTROSPECTION_URL" \
    "force_introspection = yes" "username_attribute = username" "active_attribute = active" \
    "active_value = true" "timeout_msecs = 10000" > "$DIR/dovecot-oauth2.conf.ext"
  printf '%s\n' "# OAuth 2.0 bearer tokens, checked by introspection" \
    "auth_mechanisms = plain login xoauth2 oauthbearer" "passdb {" "  driver = oauth2" \
    "  mechanisms = xoauth2 oauthbearer" "  args = $DIR/dovecot-oauth2.conf.ext" "}" >> "$DIR/dovecot.conf"
fi
if [ -n "$AUTH_PORT" ]; then
  printf '%s\n' "# SMTP AUTH for Postfix" "service auth {" "  inet_listener auth-smtp {" \
    "    address = 127.0.0.1" "    port = $AUTH_PORT" "  }" "}" >> "$DIR/dovecot.conf"
fi
if [ -n "$ACL" ]; then
  printf '%s\n' "$ACL" > "$DIR/dovecot-acl"
  sed -i 's|^mail_plugins =.*|mail_plugins = acl|' "$DIR/dovecot.conf"
  cat >> "$DIR/dovecot.conf" <<ACLCONF
# Folder permissions (MAILSTACK_ACL)
protocol imap {
  mail_plugins = \$mail_plugins imap_acl
}
plugin {
  acl = vfile:$DIR/dovecot-acl:cache_secs=1
  acl_shared_dict = file:$DIR/mail/shared-mailboxes.db
}
namespace shared {
  type = shared
  separator = /
  prefix = shared/%%u/
  location = sdbox:%%h/sdbox:INDEXPVT=~/sdbox/shared/%%u
  subscriptions = no
  list = children
}
ACLCONF
fi
if [ -n "${IDLE_NOTIFY_SECONDS:-}" ]; then
  printf '%s\n' "# How often an idling client hears «* OK Still here»" \
    "imap_idle_notify_interval = $IDLE_NOTIFY_SECONDS secs" >> "$DIR/dovecot.conf"
fi
dovecot -c "$DIR/dovecot.conf" </dev/null

# Postfix: its own config directory, queue, data directory and pid file (under the queue); nothing chrooted.
domains=$(for u in $USERS; do echo "${u#*@}"; done | sort -u | tr '\n' ' ')
sed -e "s|@DIR@|$DIR|g" -e "s|@LMTP_PORT@|$LMTP_PORT|g" -e "s|@SMTP_PORT@|$SMTP_PORT|g" -e "s|@DOMAINS@|$domains|g" \
  "$HERE/postfix-main.cf.in" > "$DIR/postfix/main.cf"
sed -e "s|@SMTP_PORT@|$SMTP_PORT|g" "$HERE/postfix-master.cf.in" > "$DIR/postfix/master.cf"
if [ -n "$AUTH_PORT" ]; then
  printf '%s\n' "# SMTP AUTH offered (not required), checked by Dovecot" "smtpd_sasl_auth_enable = yes" \
    "smtpd_sasl_type = dovecot" "smtpd_sasl_path = inet:127.0.0.1:$AUTH_PORT" >> "$DIR/postfix/main.cf"
fi
if [ -n "$TLS_CERT" ]; then
  printf '%s\n' "# STARTTLS offered (not required: the harness itself talks plain SMTP)" \
    "smtpd_tls_security_level = may" "smtpd_tls_cert_file = $TLS_CERT" "smtpd_tls_key_file = $TLS_KEY" \
    >> "$DIR/postfix/main.cf"
fi
# Postfix reports configuration errors to its log, not to the terminal: show the log when it refuses to start.
if ! postfix -c "$DIR/postfix" start </dev/null >>"$DIR/log/postfix-start.log" 2>&1; then
  echo "up.sh: Postfix did not start; its log says:" >&2
  tail -n 20 "$DIR/log/postfix-start.log" "$DIR/log/postfix.log" >&2 2>/dev/null || true
  exit 1
fi

up=0
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
    up=1; break
  fi
  sleep 0.1
done
if [ $up = 0 ]; then
  echo "up.sh: IMAP 127.0.0.1:$IMAP_PORT or SMTP 127.0.0.1:$SMTP_PORT did not answer within 10 s; logs:" >&2
  tail -n 20 "$DIR/log/dovecot.log" "$DIR/log/postfix.log" >&2 2>/dev/null || true
  exit 1
fi

# A test killed before it could clean up (a timeout, SIGKILL) must not leave daemons behind: when the owner
# process is gone, the watchdog stops the stack. It also ends when the dir is removed (normal cleanup).
if [ -n "${MAILSTACK_OWNER_PID:-}" ]; then
  setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
                  [ -d "$2" ] && MAILSTACK_DIR="$2" "$3/down.sh"' \
    watchdog "$MAILSTACK_OWNER_PID" "$DIR" "$HERE" </dev/null >>"$DIR/log/watchdog.log" 2>&1 &
fi

echo "imap 127.0.0.1:$IMAP_PORT  smtp 127.0.0.1:$SMTP_PORT  lmtp 127.0.0.1:$LMTP_PORT  users: $USERS (password: $PASSWORD)  dir: $DIR"

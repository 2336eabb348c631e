#!/bin/bash
# Stand-in for "stap --all-modules SCRIPT" (a test fixture, not SystemTap): prints the documented
# dropwatch-reason format (stap/dropwatch-reason.stp header; shared FORMATS.md 3.1) every 0.2 s
# instead of 5 s, then sleeps until signalled. On SIGINT it prints the end probe's line and exits
# 0, as stap does. Directives in SCRIPT (the last argument), one per line, change the behaviour:
#   #fake INTERVALS=N   print N intervals (default 3)
#   #fake ERROR=TEXT    print TEXT on stderr after the first interval
#   #fake EXIT=N        exit with N after the intervals instead of sleeping (a stap that dies)
trap 'echo "Stopping dropped packet monitor"; exit 0' INT
script="${*: -1}"
directive() { sed -n "s/^#fake $1=//p" "$script" 2>/dev/null | head -1; }
intervals=$(directive INTERVALS); error=$(directive ERROR); code=$(directive EXIT)
echo "Monitoring for dropped packets"
for i in $(seq 1 "${intervals:-3}"); do
  sleep 0.2
  printf '\n%s\n' "$(LC_ALL=C date -u '+%a %b %e %H:%M:%S %Y')"
  echo "100 packets dropped at nf_hook_slow+0x7d/0x110 [kernel] for reason: 12"
  echo "7 packets dropped at tcp_v4_rcv+0x91/0x13f0 [kernel] for reason: 3"
  if [ "$i" = 1 ] && [ -n "$error" ]; then echo "$error" >&2; fi
done
if [ -n "$code" ]; then exit "$code"; fi
while :; do sleep 0.1; done

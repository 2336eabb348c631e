#!/usr/bin/env bash
# Records samples/bpftrace/closed-ports-packets.bpftrace.txt: probes/drops-packets.bt in mode 3
# (flows + packets, rate 5/s) while two test namespaces joined by veth (198.18.150.1 -> .2) see
# (with the --host filter 198.18.150.2 applied in the kernel) 8 UDP datagrams to closed port 9999, 2 TCP connects to closed port 8080, and 3 UDP datagrams to
# [::1]:5353 inside the second namespace. Bounded, cleans up after itself. Run as root from the
# project directory.
set -euo pipefail
out=samples/bpftrace/closed-ports-packets.bpftrace.txt
a=dtr-a-$$; b=dtr-b-$$; va=dra$$; vb=drb$$
cleanup() { ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$a"; ip netns add "$b"
ip link add "$va" netns "$a" type veth peer name "$vb" netns "$b"
ip -n "$a" addr add 198.18.150.1/24 dev "$va"; ip -n "$b" addr add 198.18.150.2/24 dev "$vb"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set "$va" up; ip -n "$b" link set "$vb" up
# HOST4 43389638 = 198.18.150.2 as the kernel holds it (bytes 198,18,150,2 as a little-endian u32):
# flows and packets of other tests running on this machine stay out, their drops stay in @drops
timeout -s INT 60 bpftrace probes/drops-packets.bt 1000 3 128 5 43389638 0 0 > "$out" 2> /tmp/record-packets.err &
tpid=$!
until grep -q '^@@ interval' "$out" 2>/dev/null; do sleep 0.2; done
ip netns exec "$a" python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(8): s.sendto(b'x' * 40, ('198.18.150.2', 9999))
for i in range(2):
    t = socket.socket(); t.settimeout(1)
    try: t.connect(('198.18.150.2', 8080))
    except OSError: pass
    t.close()
"
ip netns exec "$b" python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(3): s.sendto(b'y' * 20, ('::1', 5353))
"
sleep 3
kill -INT "$tpid"; wait "$tpid" || true
grep -v RLIMIT /tmp/record-packets.err >&2 || true
rm -f /tmp/record-packets.err

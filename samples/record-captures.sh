#!/usr/bin/env bash
# Records one droptop capture file per live backend into samples/captures/ (root; bounded load).
# Load, inside a private netns (lo only, 127.0.0.1): 600 TCP connects to closed port 1
# (tcp_v4_rcv / NO_SOCKET) and 2000 UDP datagrams to port 9999 dropped by an nftables rule
# (nft_do_chain / NETFILTER_DROP). The netns (and its nft table) is deleted on exit.
# Usage: samples/record-captures.sh [tracefs perf bpftrace perf-native]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$here"
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
mvn -q -o -DskipTests test-compile package >/dev/null
ns=droptop-cap-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
printf 'table inet dtcap {\n chain input {\n  type filter hook input priority 0;\n  udp dport 9999 drop\n }\n}\n' \
    | ip netns exec "$ns" nft -f -
load="ip netns exec $ns java -cp target/test-classes dev.droptop.testing.DropGen"
for b in "${@:-tracefs perf bpftrace perf-native}"; do
  for backend in $b; do
    out=samples/captures/closed-port-and-nft-udp.$backend.jsonl
    # warm-up so the backend is attached before the load; then the load as the capture's command
    bin/droptop capture -o "$out" --backend "$backend" --stacks -- bash -c \
        "sleep 2; $load tcp 127.0.0.1 1 600 10 && $load udp 127.0.0.1 9999 2000 10; sleep 1.5"
    { echo "file: $out"
      echo "command: samples/record-captures.sh $backend"
      echo "  bin/droptop capture -o $out --backend $backend --stacks -- bash -c 'sleep 2; DropGen tcp 127.0.0.1 1 600 10 && DropGen udp 127.0.0.1 9999 2000 10; sleep 1.5'"
      echo "  (DropGen = ip netns exec <netns> java -cp target/test-classes dev.droptop.testing.DropGen; netns with lo up and nft 'udp dport 9999 drop')"
      echo "expected: tcp_v4_rcv NO_SOCKET ~600, nft_do_chain NETFILTER_DROP ~2000 (plus whatever else the machine dropped meanwhile)"
      echo "kernel: $(uname -r)"
      echo "recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
      bin/droptop report --top 5 "$out" | sed -n '2,10p' | sed 's/^/report: /'
    } > "${out%.jsonl}.meta"
  done
done

#!/bin/bash
# ab -c 200 against nginx through the lab's NAT topology (same addresses and ruleset as dev.droptop.lab.Topology)
# Used for the lab note: droptop lab run ethip4tcp-nat44ed-h512-p39-s19968-cps vs this. Needs nginx-light, apache2-utils.
# Kills only the nginx it started (its own child, by PID); deletes its namespaces on every exit.
set -eu
P=droptop-lab-ab$$; C=$P-client; N=$P-nat; S=$P-server; W=$(mktemp -d)
NGPID=""
cleanup() { set +e; [ -n "$NGPID" ] && kill "$NGPID" && wait "$NGPID"; for ns in $C $N $S; do ip netns del $ns 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
for ns in $C $N $S; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add name c0 netns $C type veth peer name n0 netns $N
ip link add name s0 netns $S type veth peer name n1 netns $N
ip -n $C addr add 198.18.0.2/24 dev c0; ip -n $C link set c0 up
ip -n $N addr add 198.18.0.1/24 dev n0; ip -n $N link set n0 up
ip -n $N addr add 198.19.0.1/24 dev n1; ip -n $N link set n1 up
ip -n $S addr add 198.19.0.2/24 dev s0; ip -n $S link set s0 up
ip -n $C route add default via 198.18.0.1; ip -n $S route add default via 198.19.0.1
ip netns exec $N sysctl -qw net.ipv4.ip_forward=1
ip netns exec $N nft -f - <<'NFT'
table ip droptop-lab-nat {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "n0" meta l4proto { tcp, udp } th dport 8080 dnat to 198.19.0.2:8080
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "n1" masquerade
  }
}
NFT
cat > $W/nginx.conf <<NG
worker_processes auto; pid $W/nginx.pid; error_log $W/error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 198.19.0.2:8080 backlog=4096; location / { return 200 "ok\n"; } } }
NG
ip netns exec $S timeout 120 nginx -c $W/nginx.conf -g 'daemon off;' & NGPID=$!
for i in $(seq 50); do ip netns exec $S ss -ltn | grep -q 198.19.0.2:8080 && break; sleep 0.1; done
ip netns exec $C timeout 60 ab -q -n 20000 -c 200 -s 2 http://198.18.0.1:8080/ 2>&1 | grep -E 'Complete|Failed|Requests per|Time per request.*mean\)|  50%|  99%'

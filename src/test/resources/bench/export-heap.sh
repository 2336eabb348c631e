#!/bin/bash
# export-heap.sh MINUTES RATE OUTDIR: droptop export (bpftrace) under a bounded UDP flood dropped by
# nftables in a private netns, scraped every 10 s; samples RSS, heap and the live set (heap used after a
# forced full GC) and the exporter's CPU into OUTDIR/heap.tsv. As root. Listens on 127.0.0.1 only.
# Example: src/test/resources/bench/export-heap.sh 10 100000 /tmp/export-heap
set -euo pipefail
minutes=$1; rate=$2; out=$3
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
mkdir -p "$out"
ns=droptop-xheap-$$
gen=$out/dropflood-bpf
gcc -O2 -pthread -o "$gen" "$repo/src/test/resources/bench/dropflood-bpf.c"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [[ -n ${exp:-} ]] && kill -TERM "$exp" 2>/dev/null && wait "$exp" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft -f - <<'NFT'
table inet droptopxheap {
  chain input {
    type filter hook input priority 0;
    udp dport 9999 drop
  }
}
NFT
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}" "$repo/bin/droptop" export --backend bpftrace --listen "127.0.0.1:$port" \
  >"$out/export.out" 2>&1 &
exp=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 1; done
printf 't_s\trss_kb\tlive_after_full_gc_kb\tcpu_ticks\tsent\texported\tscrape_ms\n' >"$out/heap.tsv"
t0=$(date +%s)
end=$((t0 + minutes * 60))
sent=0
while (( $(date +%s) < end )); do
  r=$(ip netns exec "$ns" "$gen" 9999 "$rate" 10 2)
  sent=$((sent + $(sed -E 's/.*sent=([0-9]+).*/\1/' <<<"$r")))
  ms=$(curl -s -o "$out/metrics.txt" -w '%{time_total}' "http://127.0.0.1:$port/metrics" | awk '{printf "%.1f", $1*1000}')
  exported=$(awk -v ns="netns=\"$ns\"" 'index($0,"droptop_drops_total{") && index($0,"nft_do_chain") && index($0,ns){s+=$NF} END{printf "%d", s}' "$out/metrics.txt")
  jcmd "$exp" GC.run >/dev/null
  live=$(jstat -gc "$exp" | awk 'NR==2{printf "%.0f", $3+$4+$6+$8}')
  rss=$(awk '/VmRSS/{print $2}' /proc/$exp/status)
  ticks=$(awk '{print $14+$15}' /proc/$exp/stat)
  printf '%d\t%s\t%s\t%s\t%d\t%s\t%s\n' $(( $(date +%s) - t0 )) "$rss" "$live" "$ticks" "$sent" "$exported" "$ms" >>"$out/heap.tsv"
done
kill -TERM "$exp"; wait "$exp" || true; exp=
cat "$out/export.out"

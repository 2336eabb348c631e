#!/bin/bash
# live-heap.sh BACKEND MINUTES RATE OUTDIR: a droptop capture (--stacks) under a bounded UDP flood
# dropped by nftables in a private netns; samples heap (jstat), RSS and the live set (heap used after a
# forced full GC) every 10 s into OUTDIR/heap.tsv. As root; MINUTES of flood, RATE datagrams/s.
# Example: src/test/resources/bench/live-heap.sh bpftrace 10 200000 /tmp/heap-bpftrace
set -euo pipefail
backend=$1; minutes=$2; rate=$3; out=$4
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
mkdir -p "$out"
ns=droptop-heap-$$
gen=$out/dropflood-bpf
gcc -O2 -pthread -o "$gen" "$repo/src/test/resources/bench/dropflood-bpf.c"
cleanup() {
  [[ -n ${cap:-} ]] && kill -TERM "$cap" 2>/dev/null && wait "$cap" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft -f - <<'NFT'
table inet droptopheap {
  chain input {
    type filter hook input priority 0;
    udp dport 9999 drop
  }
}
NFT
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}" "$repo/bin/droptop" capture --backend "$backend" --stacks \
  --duration "$((minutes * 60 + 20))s" -o "$out/capture.jsonl" >"$out/capture.out" 2>&1 &
cap=$!
sleep 8
jpid=$cap   # bin/droptop execs java: the capture pid is the JVM
printf 't_s\tyoung_used_kb\told_used_kb\theap_committed_kb\tyoung_gcs\trss_kb\tsent\tlive_after_full_gc_kb\n' >"$out/heap.tsv"
t0=$(date +%s)
end=$((t0 + minutes * 60))
sent=0
while (( $(date +%s) < end )); do
  r=$(ip netns exec "$ns" "$gen" 9999 "$rate" 10 2)
  sent=$((sent + $(sed -E 's/.*sent=([0-9]+).*/\1/' <<<"$r")))
  # jstat -gc columns: S0C S1C S0U S1U EC EU OC OU ... YGC (13th); then the live set: heap used
  # right after a full GC (jcmd GC.run), which is what must stay flat
  line=$(jstat -gc "$jpid" | awk -v t=$(( $(date +%s) - t0 )) -v rss="$(awk '/VmRSS/{print $2}' /proc/$jpid/status)" \
    -v sent="$sent" 'NR==2{printf "%d\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d", t, $3+$4+$6, $8, $1+$2+$5+$7, $13, rss, sent}')
  jcmd "$jpid" GC.run >/dev/null
  live=$(jstat -gc "$jpid" | awk 'NR==2{printf "%.0f", $3+$4+$6+$8}')
  printf '%s\t%s\n' "$line" "$live" >>"$out/heap.tsv"
done
kill -INT "$cap"; wait "$cap" || true; cap=
echo "sent=$sent" >>"$out/heap.tsv"
cat "$out/capture.out"

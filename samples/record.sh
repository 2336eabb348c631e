#!/bin/bash
# samples/record.sh -- record droptop's real sample traces on this machine, reproducibly.
#
# Usage: samples/record.sh [STEP...]        (default: all, in this order)
#   format                copy the kfree_skb tracepoint format file       -> tracefs/kfree_skb.format.txt
#   closed-port-tcp       perf record (file mode) + perf script           -> perf/closed-port-tcp.perf.{txt,data}
#   closed-port-tcp-pipe  perf record -o - | perf script -i -             -> perf/closed-port-tcp.pipe.perf.txt
#   nft-udp-drop          perf, UDP to a port an nftables rule drops      -> perf/nft-udp-drop.perf.txt
#   nat-conntrack-full    perf, client->NAT(DNAT+masquerade)->server with nf_conntrack_max lowered
#                                                                          -> perf/nat-conntrack-full.{perf,conntrack}.txt
#   tracefs               trace_pipe of a private instance, plain and with the stacktrace trigger
#                                                                          -> tracefs/closed-port-tcp{,-stacks}.tracefs.txt
#   bpftrace              probes/drops.bt and probes/drops-stacks.bt      -> bpftrace/*.bpftrace.txt
#   kallsyms              /proc/kallsyms lines for every kernel address in the samples -> kallsyms/
#   fixtures              hand-written stap dropwatch output, one per upstream variant -> stap/*.fixture.txt
#   readme                regenerate samples/README.md from the .meta files
# kallsyms, fixtures and readme read the other samples: run them last (and in the same boot).
#
# House rules: traffic only to 127.0.0.1 inside a netns this script creates, or to 198.18.0.0/15
# inside namespaces it creates. Every load is bounded in count and time. On every exit path
# (trap EXIT) it removes its namespaces (their nft tables go with them), its tracefs instance,
# kills the processes it started (by PID) and restores net.netfilter.nf_conntrack_max.
# Needs root, perf, bpftrace, nft, ip, gcc, python3, conntrack (optional).
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TRACING=/sys/kernel/tracing
INST=$TRACING/instances/droptop-sample-$$
NSP=droptop-s$$                      # prefix of every netns this run creates
KREL=$(uname -r)
BOOT_ID=$(cat /proc/sys/kernel/random/boot_id)
PERF_VER=$(perf version 2>/dev/null || echo "perf ?")
BPFTRACE_VER=$(bpftrace --version 2>/dev/null || echo "bpftrace ?")
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root" >&2; exit 1; }

CT_MAX_FILE=/proc/sys/net/netfilter/nf_conntrack_max
CT_MAX_ORIG=""
[ -r "$CT_MAX_FILE" ] && CT_MAX_ORIG=$(cat "$CT_MAX_FILE")
WORK=$(mktemp -d -t droptop-record.XXXXXX)
PIDS=()

cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  if [ -n "$CT_MAX_ORIG" ] && [ "$(cat "$CT_MAX_FILE" 2>/dev/null)" != "$CT_MAX_ORIG" ]; then
    echo "$CT_MAX_ORIG" > "$CT_MAX_FILE" && echo "record.sh: restored nf_conntrack_max=$CT_MAX_ORIG" >&2
  fi
  if [ -d "$INST" ]; then
    echo 0 > "$INST/tracing_on" 2>/dev/null
    echo '!stacktrace' > "$INST/events/skb/kfree_skb/trigger" 2>/dev/null
    echo 0 > "$INST/events/skb/kfree_skb/enable" 2>/dev/null
    rmdir "$INST" || echo "record.sh: could not remove $INST" >&2
  fi
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NSP-"); do ip netns del "$ns"; done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "record.sh: $*" >&2; }
now_utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# ---- load generator (bounded; refuses destinations outside 127/8 and 198.18/15) ----------------
cat > "$WORK/droptop-gen.c" <<'CEOF'
// droptop-gen.c - bounded packet-drop load for samples/record.sh (loopback or 198.18.0.0/15 only).
// Usage: droptop-gen MODE DST_IP DST_PORT COUNT MAX_SECONDS [RATE_PER_S] [INFLIGHT] [TIMEOUT_MS]
//   connect : blocking TCP connect() to a closed port, close  -> tcp_v4_rcv NO_SOCKET
//   udp     : UDP datagrams (sendto)                          -> nft drop rule / closed port
//   cps     : TCP connections like CSIT's CPS profile: nonblocking connect, on success close,
//             up to INFLIGHT at once, each abandoned after TIMEOUT_MS. For the NAT case.
// COUNT and MAX_SECONDS both bound the run; RATE_PER_S (0 = unpaced) paces starts/sends.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}
static void pace(double rate, double t0, long n) {
    if (rate <= 0) return;
    double due = t0 + n / rate, t = now();
    if (due > t) {
        struct timespec ts = { (time_t)(due - t), (long)(((due - t) - (time_t)(due - t)) * 1e9) };
        nanosleep(&ts, NULL);
    }
}
#define MAXF 1024
int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s connect|udp|cps DST_IP PORT COUNT MAX_SECONDS [RATE] [INFLIGHT] [TIMEOUT_MS]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[3])) };
    if (inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) { fprintf(stderr, "bad ip\n"); return 2; }
    unsigned a = ntohl(dst.sin_addr.s_addr);
    if ((a >> 24) != 127 && (a >> 17) != (0xC6120000u >> 17)) {   /* 127/8 or 198.18.0.0/15 */
        fprintf(stderr, "refusing destination outside 127.0.0.0/8 and 198.18.0.0/15\n"); return 2;
    }
    long count = atol(argv[4]);
    double maxs = atof(argv[5]);
    double rate = argc > 6 ? atof(argv[6]) : 0;
    int inflight = argc > 7 ? atoi(argv[7]) : 100;
    int tmo_ms = argc > 8 ? atoi(argv[8]) : 1000;
    if (count <= 0 || count > 1000000 || maxs <= 0 || maxs > 120) { fprintf(stderr, "bounds: COUNT<=1e6, 0<SECS<=120\n"); return 2; }
    if (inflight < 1) inflight = 1;
    if (inflight > MAXF) inflight = MAXF;
    { char nm[16]; snprintf(nm, sizeof nm, "dg-%s", mode); prctl(PR_SET_NAME, nm, 0, 0, 0); }
    long sent = 0, ok = 0, fail = 0, tmo = 0;
    double t0 = now();
    if (!strcmp(mode, "connect")) {
        while (sent < count && now() - t0 < maxs) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            if (fd < 0) { perror("socket"); break; }
            if (connect(fd, (struct sockaddr *)&dst, sizeof dst) == 0) ok++; else fail++;
            close(fd);
            sent++;
            pace(rate, t0, sent);
        }
    } else if (!strcmp(mode, "udp")) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) { perror("socket"); return 1; }
        static const char payload[16] = "droptop-gen";
        while (sent < count && now() - t0 < maxs) {
            if (sendto(fd, payload, sizeof payload, 0, (struct sockaddr *)&dst, sizeof dst) < 0) fail++; else ok++;
            sent++;
            pace(rate, t0, sent);
        }
        close(fd);
    } else if (!strcmp(mode, "cps")) {
        static struct pollfd pf[MAXF];
        static double started[MAXF];
        int n = 0;
        while ((sent < count || n > 0) && now() - t0 < maxs) {
            while (sent < count && n < inflight && (rate <= 0 || sent < (now() - t0) * rate)) {
                int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                if (fd < 0) { perror("socket"); maxs = 0; break; }
                sent++;
                int r = connect(fd, (struct sockaddr *)&dst, sizeof dst);
                if (r == 0) { ok++; close(fd); continue; }
                if (errno != EINPROGRESS) { fail++; close(fd); continue; }
                pf[n].fd = fd; pf[n].events = POLLOUT; pf[n].revents = 0; started[n] = now(); n++;
            }
            poll(pf, n, 10);
            double t = now();
            for (int i = 0; i < n; ) {
                int done = 0;
                if (pf[i].revents) {
                    int err = 0; socklen_t el = sizeof err;
                    getsockopt(pf[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
                    if (err == 0) ok++; else fail++;
                    done = 1;
                } else if ((t - started[i]) * 1000 >= tmo_ms) { tmo++; done = 1; }
                if (done) { close(pf[i].fd); pf[i] = pf[n - 1]; started[i] = started[n - 1]; n--; }
                else i++;
            }
        }
        for (int i = 0; i < n; i++) { close(pf[i].fd); tmo++; }
    } else { fprintf(stderr, "unknown mode\n"); return 2; }
    double t = now() - t0;
    fprintf(stderr, "droptop-gen mode=%s dst=%s:%s attempts=%ld ok=%ld failed=%ld timedout=%ld secs=%.3f\n",
            mode, argv[2], argv[3], sent, ok, fail, tmo, t);
    return 0;
}
CEOF
gcc -O2 -Wall -o "$WORK/droptop-gen" "$WORK/droptop-gen.c"
GEN=$WORK/droptop-gen

# ---- helper: counts, top keys, kallsyms excerpt, fixtures (python3) ------------------------------
cat > "$WORK/tool.py" <<'PYEOF'
import bisect, collections, os, re, sys

FMT = "/sys/kernel/tracing/events/skb/kfree_skb/format"

def reasons(path=FMT):
    txt = open(path).read()
    return {int(n): s for n, s in re.findall(r'\{ *(\d+), *"([A-Z0-9_]+)" *\}', txt)}

def kallsyms():
    """Sorted text symbols: list of (addr, line). First name wins on equal addresses."""
    out, seen = [], set()
    for line in open("/proc/kallsyms"):
        p = line.split()
        if len(p) < 3 or p[1] not in "TtWw":
            continue
        a = int(p[0], 16)
        if a == 0 or a in seen:
            continue
        seen.add(a)
        out.append((a, line.rstrip("\n")))
    out.sort()
    return out

def resolve(ks, addr):
    if not hasattr(resolve, "keys"):
        resolve.keys = [a for a, _ in ks]
    keys = resolve.keys
    i = bisect.bisect_right(keys, addr) - 1
    if i < 0:
        return None
    a, line = ks[i]
    nxt = ks[i + 1] if i + 1 < len(ks) else None
    return i, line, nxt, addr - a, (nxt[0] - a) if nxt else 0

def name_of(line):
    p = line.split()
    return p[2] + (" " + p[3] if len(p) > 3 else "")

def events(path):
    kind = kind_of(path)
    txt = open(path, errors="replace").read()
    if kind == "perf":
        return len(re.findall(r": skb:kfree_skb: ", txt))
    if kind == "tracefs":
        return len(re.findall(r": kfree_skb: ", txt))
    if kind == "bpftrace":
        return sum(int(n) for n in re.findall(r"^\]?.*\]: (\d+)$", txt, re.M))
    return 0

def kind_of(path):
    if path.endswith(".perf.txt"): return "perf"
    if path.endswith(".tracefs.txt"): return "tracefs"
    if path.endswith(".bpftrace.txt"): return "bpftrace"
    return "?"

def top(path, n=5):
    kind = kind_of(path)
    txt = open(path, errors="replace").read()
    c = collections.Counter()
    rs = reasons()
    if kind in ("perf", "tracefs"):
        for loc, why in re.findall(r"location=(\S+) reason: (\w+)", txt):
            if loc.startswith("0x"):
                r = resolve(KS, int(loc, 16))
                loc = "%s (%s+0x%x)" % (loc, r[1].split()[2], r[3]) if r else loc
            else:
                loc = re.sub(r"/0x[0-9a-f]+$", "", loc)
            c[(loc, why)] += 1
    elif kind == "bpftrace":
        # entries: "@drops[0x.., R, P, NS, DEV]: N" or multi-line with kstack
        for m in re.finditer(r"^@drops\[(0x[0-9a-f]+), (\d+), (\d+), (\d+), ([^,\]\n]*)[,\]](.*?)\]?: (\d+)$",
                             txt, re.M | re.S):
            loc = int(m.group(1), 16)
            r = resolve(KS, loc)
            name = "%s (%s+0x%x)" % (m.group(1), r[1].split()[2], r[3]) if r else m.group(1)
            why = "%s=%s" % (m.group(2), rs.get(int(m.group(2)), "?"))
            c[(name + " dev=" + (m.group(5) or "<none>"), why)] += int(m.group(7))
    return c.most_common(n)

def addresses(path):
    txt = open(path, errors="replace").read()
    return {int(a, 16) for a in re.findall(r"\b(?:0x)?(ffffffff[89a-f][0-9a-f]{7})\b", txt)}

def cmd_meta_stats(path):
    print("events: %d" % events(path))
    for (loc, why), n in top(path):
        print("top: %6d  %s  %s" % (n, loc, why))

def cmd_kallsyms(out, paths):
    addrs, src = set(), collections.Counter()
    for p in paths:
        a = addresses(p)
        addrs |= a
        src[os.path.basename(p)] = len(a)
    lines = {}
    unresolved = []
    for a in sorted(addrs):
        r = resolve(KS, a)
        if not r:
            unresolved.append(a); continue
        i, line, nxt, off, size = r
        lines[i] = line
        if nxt:
            lines[i + 1] = nxt[1]
    with open(out, "w") as f:
        for i in sorted(lines):
            f.write(lines[i] + "\n")
    for k, v in sorted(src.items()):
        print("addresses from %s: %d" % (k, v))
    print("distinct kernel addresses: %d, symbols: %d, lines written: %d, unresolved: %d"
          % (len(addrs), len({resolve(KS, a)[0] for a in addrs if resolve(KS, a)}), len(lines), len(unresolved)))

def sym_of(path, name):
    """(address, offset, size) of the first address in path that falls inside symbol `name`."""
    for a in sorted(addresses(path)):
        r = resolve(KS, a)
        if r and r[1].split()[2] == name:
            return a, r[3], r[4]
    return None

KS = kallsyms()
if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "stats":
        cmd_meta_stats(sys.argv[2])
    elif cmd == "kallsyms":
        cmd_kallsyms(sys.argv[2], sys.argv[3:])
    elif cmd == "sym":                     # sym FILE NAME -> "addr off size" (hex)
        r = sym_of(sys.argv[2], sys.argv[3])
        print("0x%x 0x%x 0x%x" % r if r else "")
PYEOF
TOOL=(python3 "$WORK/tool.py")

# write_meta FILE  (reads "key: value" lines on stdin, adds the common ones)
write_meta() {
  local f=$1
  {
    cat
    echo "kernel: $KREL"
    echo "boot_id: $BOOT_ID   (kernel addresses are valid for this boot only; see kallsyms/)"
    echo "tools: $PERF_VER; $BPFTRACE_VER; $(nft --version 2>/dev/null)"
    echo "recorded: $(now_utc) by samples/record.sh on $(nproc) CPUs"
  } > "$f"
}

# netns with lo up (and optional nft ruleset on stdin)
mk_lo_ns() {
  local ns=$1
  ip netns add "$ns"
  ip -n "$ns" link set lo up
}

# ---- steps ----------------------------------------------------------------------------------------
step_format() {
  mkdir -p "$HERE/tracefs"
  cat "$TRACING/events/skb/kfree_skb/format" > "$HERE/tracefs/kfree_skb.format.txt"
  chmod 644 "$HERE/tracefs/kfree_skb.format.txt"
  write_meta "$HERE/tracefs/kfree_skb.format.meta" <<EOF
file: tracefs/kfree_skb.format.txt
summary: the kfree_skb tracepoint format file (numeric drop reason -> name table of this kernel)
what: the skb:kfree_skb tracepoint format file of this kernel; its print fmt holds the
      __print_symbolic table {N, "NAME"} that maps numeric drop reasons to names
      (here 2 = NOT_SPECIFIED, 3 = NO_SOCKET, 12 = NETFILTER_DROP, ...; 0 and 1 are not listed).
command: samples/record.sh format
  cat $TRACING/events/skb/kfree_skb/format > tracefs/kfree_skb.format.txt
reasons: $(grep -o '{ [0-9]*, "' "$HERE/tracefs/kfree_skb.format.txt" | wc -l) entries
EOF
  log "format: ok"
}

# perf_closed_port MODE(file|pipe)
step_closed_port_tcp() {
  local ns=$NSP-cp out=$HERE/perf/closed-port-tcp
  mkdir -p "$HERE/perf"
  mk_lo_ns "$ns"
  local load="ip netns exec $ns $GEN connect 127.0.0.1 9 1000 10 1000"
  rm -f "$out.perf.data"
  timeout 60 perf record -e skb:kfree_skb -a -g -o "$out.perf.data" -- $load 2> "$WORK/cp.err"
  timeout 120 perf script -i "$out.perf.data" > "$out.perf.txt" 2>> "$WORK/cp.err"
  local lost; lost=$(perf report -i "$out.perf.data" --stats 2>/dev/null | awk '/LOST/ {for (i = 1; i < NF; i++) if ($i == "events:") s += $(i + 1)} END {print s + 0}')
  ip netns del "$ns"
  chmod 644 "$out.perf.data"
  local size; size=$(stat -c %s "$out.perf.data")
  local keep="kept (< 1 MB)"
  if [ "$size" -ge 1000000 ]; then rm -f "$out.perf.data"; keep="NOT kept: $size bytes >= 1 MB"; fi
  write_meta "$out.perf.meta" <<EOF
file: perf/closed-port-tcp.perf.txt  (+ perf/closed-port-tcp.perf.data, $keep)
summary: perf script (file mode) of TCP connect()s to a closed port: tcp_v4_rcv / NO_SOCKET
what: TCP connect() to closed port 127.0.0.1:9 inside a private netns (lo only): each SYN is
      freed by tcp_v4_rcv with reason NO_SOCKET (the RST goes back to the SYN_SENT socket).
      perf script FILE mode: location=sym+0xoff, frames "ADDR sym+0xoff ([kernel.kallsyms])".
command: samples/record.sh closed-port-tcp
  ip netns add $ns; ip -n $ns link set lo up
  perf record -e skb:kfree_skb -a -g -o closed-port-tcp.perf.data -- ip netns exec $ns droptop-gen connect 127.0.0.1 9 1000 10 1000
  perf script -i closed-port-tcp.perf.data > closed-port-tcp.perf.txt
  (droptop-gen: the C load generator embedded in record.sh; 1000 connects paced at 1000/s, max 10 s)
load: $(grep -h droptop-gen "$WORK/cp.err" || true)
perf stderr: $(grep -v droptop-gen "$WORK/cp.err" | tr '\n' ' ')
perf lost events: $lost
perf.data size: $size bytes
count: grep -c ' skb:kfree_skb: ' closed-port-tcp.perf.txt
$("${TOOL[@]}" stats "$out.perf.txt")
expected top: tcp_v4_rcv+0x.. reason NO_SOCKET (other lines are background drops of this host)
EOF
  log "closed-port-tcp: $(grep -c ' skb:kfree_skb: ' "$out.perf.txt") events"
}

step_closed_port_tcp_pipe() {
  local ns=$NSP-cpp out=$HERE/perf/closed-port-tcp.pipe
  mkdir -p "$HERE/perf"
  mk_lo_ns "$ns"
  local load="ip netns exec $ns $GEN connect 127.0.0.1 9 1000 10 1000"
  timeout 60 perf record -e skb:kfree_skb -a -g -o - -- $load 2> "$WORK/cpp.err" \
    | timeout 120 perf script -i - > "$out.perf.txt" 2> "$WORK/cpp.script.err"
  ip netns del "$ns"
  write_meta "$out.perf.meta" <<EOF
file: perf/closed-port-tcp.pipe.perf.txt
summary: the same closed-port load through perf pipe mode: hex location=, frames without offsets
what: the closed-port load of closed-port-tcp.perf.txt, recorded through the PIPE mode. perf 6.1
      prints a different text here: location=0xADDR (raw hex) and frames "ADDR sym" without
      +0xoff and without (dso). Resolve the hex with kallsyms/kallsyms.excerpt.txt.
command: samples/record.sh closed-port-tcp-pipe
  ip netns add $ns; ip -n $ns link set lo up
  perf record -e skb:kfree_skb -a -g -o - -- ip netns exec $ns droptop-gen connect 127.0.0.1 9 1000 10 1000 | perf script -i - > closed-port-tcp.pipe.perf.txt
load: $(grep -h droptop-gen "$WORK/cpp.err" || true)
perf record stderr: $(grep -v droptop-gen "$WORK/cpp.err" | tr '\n' ' ')
perf script stderr: $(tr '\n' ' ' < "$WORK/cpp.script.err")
count: grep -c ' skb:kfree_skb: ' closed-port-tcp.pipe.perf.txt
$("${TOOL[@]}" stats "$out.perf.txt")
expected top: 0x... = tcp_v4_rcv+0x.., reason NO_SOCKET
EOF
  log "closed-port-tcp-pipe: $(grep -c ' skb:kfree_skb: ' "$out.perf.txt") events"
}

nft_udp_ns() {   # nft_udp_ns NS : netns with lo up and "udp dport 9999 drop" in an inet filter input chain
  mk_lo_ns "$1"
  ip netns exec "$1" nft -f - <<'NFT'
table inet droptopfilter {
  chain input {
    type filter hook input priority filter; policy accept;
    udp dport 9999 counter drop
  }
}
NFT
}

step_nft_udp_drop() {
  local ns=$NSP-nft out=$HERE/perf/nft-udp-drop
  mkdir -p "$HERE/perf"
  nft_udp_ns "$ns"
  local load="ip netns exec $ns $GEN udp 127.0.0.1 9999 1000 10 1000"
  rm -f "$WORK/nft.data"
  timeout 60 perf record -e skb:kfree_skb -a -g -o "$WORK/nft.data" -- $load 2> "$WORK/nft.err"
  timeout 120 perf script -i "$WORK/nft.data" > "$out.perf.txt" 2>> "$WORK/nft.err"
  local lost; lost=$(perf report -i "$WORK/nft.data" --stats 2>/dev/null | awk '/LOST/ {for (i = 1; i < NF; i++) if ($i == "events:") s += $(i + 1)} END {print s + 0}')
  local rule; rule=$(ip netns exec "$ns" nft list chain inet droptopfilter input | grep -o 'udp dport 9999 counter.*')
  ip netns del "$ns"
  write_meta "$out.perf.meta" <<EOF
file: perf/nft-udp-drop.perf.txt
summary: perf script of UDP datagrams dropped by an nftables rule: nft_do_chain / NETFILTER_DROP
what: UDP datagrams to 127.0.0.1:9999 inside a private netns whose nftables ruleset drops them:
      table inet droptopfilter { chain input { type filter hook input priority filter; policy accept;
      udp dport 9999 counter drop } }. The drop is freed inside nft_do_chain (reason NETFILTER_DROP),
      called from nf_hook_slow <- ip_local_deliver.
command: samples/record.sh nft-udp-drop
  ip netns add $ns; ip -n $ns link set lo up; ip netns exec $ns nft -f <ruleset above>
  perf record -e skb:kfree_skb -a -g -o nft.data -- ip netns exec $ns droptop-gen udp 127.0.0.1 9999 1000 10 1000
  perf script -i nft.data > nft-udp-drop.perf.txt
load: $(grep -h droptop-gen "$WORK/nft.err" || true)
nft rule after the load: $rule
perf stderr: $(grep -v droptop-gen "$WORK/nft.err" | tr '\n' ' ')
perf lost events: $lost
count: grep -c ' skb:kfree_skb: ' nft-udp-drop.perf.txt
$("${TOOL[@]}" stats "$out.perf.txt")
expected top: nft_do_chain+0x.. reason NETFILTER_DROP
EOF
  log "nft-udp-drop: $(grep -c ' skb:kfree_skb: ' "$out.perf.txt") events"
}

# The case study (README.md, the case it was built for): stateful NAT through conntrack with a
# too-small nf_conntrack_max. client --veth-- nat --veth-- server, 198.18.0.0/24 and 198.18.1.0/24.
NAT_CONNS=${NAT_CONNS:-1400}
NAT_CT_MAX=${NAT_CT_MAX:-500}
NAT_INFLIGHT=${NAT_INFLIGHT:-200}
NAT_TIMEOUT_MS=${NAT_TIMEOUT_MS:-1200}
NAT_MAX_SECS=${NAT_MAX_SECS:-20}
step_nat_conntrack_full() {
  [ -n "$CT_MAX_ORIG" ] || { log "nat-conntrack-full: no $CT_MAX_FILE (nf_conntrack not loaded?)"; return 1; }
  local c=$NSP-client n=$NSP-nat s=$NSP-server out=$HERE/perf/nat-conntrack-full
  mkdir -p "$HERE/perf"
  mk_lo_ns "$c"; mk_lo_ns "$n"; mk_lo_ns "$s"
  ip link add name c0 netns "$c" type veth peer name n0 netns "$n"
  ip link add name s0 netns "$s" type veth peer name n1 netns "$n"
  ip -n "$c" addr add 198.18.0.2/24 dev c0; ip -n "$c" link set c0 up
  ip -n "$n" addr add 198.18.0.1/24 dev n0; ip -n "$n" link set n0 up
  ip -n "$n" addr add 198.18.1.1/24 dev n1; ip -n "$n" link set n1 up
  ip -n "$s" addr add 198.18.1.2/24 dev s0; ip -n "$s" link set s0 up
  ip -n "$c" route add default via 198.18.0.1
  ip -n "$s" route add default via 198.18.1.1
  ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$n" nft -f - <<'NFT'
table ip droptopnat {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "n0" tcp dport 8080 dnat to 198.18.1.2:8080
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "n1" masquerade
  }
}
NFT
  # server: accept and close, bounded in time
  ip netns exec "$s" timeout 60 python3 -c '
import signal, socket, sys, time
signal.signal(signal.SIGTERM, lambda *a: (print("server accepted=%d" % n, file=sys.stderr), sys.exit(0)))
n = 0
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("198.18.1.2", 8080)); ls.listen(4096); ls.settimeout(0.5)
end = time.time() + 55
while time.time() < end:
    try:
        cs, _ = ls.accept(); cs.close(); n += 1
    except socket.timeout:
        pass
print("server accepted=%d" % n, file=sys.stderr)
' 2> "$WORK/server.err" &
  local spid=$!; PIDS+=("$spid")
  for _ in $(seq 50); do ip netns exec "$s" ss -ltn 2>/dev/null | grep -q ':8080' && break; sleep 0.1; done
  # sanity: NAT path works before we shrink the table
  ip netns exec "$c" "$GEN" cps 198.18.0.1 8080 5 5 0 5 2000 2> "$WORK/nat.sanity"
  grep -q 'ok=5 ' "$WORK/nat.sanity" || { log "NAT sanity check failed: $(cat "$WORK/nat.sanity")"; return 1; }
  ip netns exec "$n" conntrack -F 2>/dev/null || true

  local dmesg_before; dmesg_before=$(dmesg | wc -l)
  echo "$NAT_CT_MAX" > "$CT_MAX_FILE"
  log "nat-conntrack-full: nf_conntrack_max $CT_MAX_ORIG -> $NAT_CT_MAX for the load"
  local load="ip netns exec $c $GEN cps 198.18.0.1 8080 $NAT_CONNS $NAT_MAX_SECS 0 $NAT_INFLIGHT $NAT_TIMEOUT_MS"
  rm -f "$WORK/nat.data"
  timeout 90 perf record -e skb:kfree_skb -a -g -o "$WORK/nat.data" -- $load 2> "$WORK/nat.err"
  # snapshot at the end of the load, before restoring the limit
  {
    echo "# recorded $(now_utc) at the end of the nat-conntrack-full load, before restoring nf_conntrack_max"
    echo "# nf_conntrack_max is global (written in the initial netns); nf_conntrack_count and"
    echo "# /proc/net/stat/nf_conntrack are per network namespace: the NAT netns is the one that filled up."
    echo
    echo "## sysctl -a | grep conntrack   (initial netns)"
    sysctl -a 2>/dev/null | grep conntrack || true
    echo
    echo "## ip netns exec <nat> sysctl -a | grep conntrack   (NAT netns)"
    ip netns exec "$n" sysctl -a 2>/dev/null | grep conntrack || true
    echo
    echo "## cat /proc/net/stat/nf_conntrack   (initial netns; hex, one row per CPU)"
    cat /proc/net/stat/nf_conntrack
    echo
    echo "## ip netns exec <nat> cat /proc/net/stat/nf_conntrack   (NAT netns; hex, one row per CPU)"
    ip netns exec "$n" cat /proc/net/stat/nf_conntrack
    echo
    echo "## ip netns exec <nat> conntrack -S   (NAT netns)"
    ip netns exec "$n" conntrack -S 2>&1 || true
    echo
    echo "## ip netns exec <nat> conntrack -L | awk '{print \$4}' | sort | uniq -c   (TCP states in the NAT netns)"
    ip netns exec "$n" conntrack -L 2>/dev/null | awk '{print $4}' | sort | uniq -c || true
    echo
    echo "## dmesg lines logged during the load"
    dmesg | tail -n +"$((dmesg_before + 1))"
  } > "$out.conntrack.txt"
  echo "$CT_MAX_ORIG" > "$CT_MAX_FILE"
  log "nat-conntrack-full: nf_conntrack_max restored to $(cat "$CT_MAX_FILE")"
  timeout 180 perf script -i "$WORK/nat.data" > "$out.perf.txt" 2>> "$WORK/nat.err"
  local lost; lost=$(perf report -i "$WORK/nat.data" --stats 2>/dev/null | awk '/LOST/ {for (i = 1; i < NF; i++) if ($i == "events:") s += $(i + 1)} END {print s + 0}')
  local stats; stats=$(perf report -i "$WORK/nat.data" --stats 2>/dev/null | grep -E 'LOST|THROTTLE|SAMPLE' | tr -s ' ' | tr '\n' ';')
  [ -n "${KEEP_PERF_DATA:-}" ] && cp "$WORK/nat.data" "$KEEP_PERF_DATA"
  kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
  local dm; dm=$(dmesg | tail -n +"$((dmesg_before + 1))" | grep -c 'table full' || true)
  ip netns del "$c"; ip netns del "$n"; ip netns del "$s"
  write_meta "$out.perf.meta" <<EOF
file: perf/nat-conntrack-full.perf.txt  (+ perf/nat-conntrack-full.conntrack.txt)
summary: the NAT case study: DNAT+masquerade with nf_conntrack_max=$NAT_CT_MAX: nf_hook_slow / NETFILTER_DROP (table full); .conntrack.txt = sysctl, /proc/net/stat/nf_conntrack, dmesg at the end of the load
what: the NAT case study (stateful DNAT + masquerade through conntrack) with a conntrack table that
      is too small. Three netns client (198.18.0.2), nat (198.18.0.1 | 198.18.1.1, ip_forward=1),
      server (198.18.1.2) joined by veth pairs. In nat: table ip droptopnat { prerouting:
      iifname "n0" tcp dport 8080 dnat to 198.18.1.2:8080; postrouting: oifname "n1" masquerade }.
      The server accepts and closes on 8080 (python3). The client opens $NAT_CONNS TCP connections
      to 198.18.0.1:8080 (connect, close; $NAT_INFLIGHT in flight, each abandoned after $NAT_TIMEOUT_MS ms,
      whole load max $NAT_MAX_SECS s) while net.netfilter.nf_conntrack_max = $NAT_CT_MAX
      (restored to $CT_MAX_ORIG afterwards). Finished connections stay in the NAT netns' table
      (TIME_WAIT, ASSURED, so no early drop), the table fills, and new SYNs are dropped in
      nf_hook_slow (conntrack's prerouting hook returned NF_DROP) with reason NETFILTER_DROP;
      the client retransmits each SYN after 1 s, so most refused connections show 2 drops.
command: samples/record.sh nat-conntrack-full   (env NAT_CONNS NAT_CT_MAX NAT_INFLIGHT NAT_TIMEOUT_MS NAT_MAX_SECS)
  echo $NAT_CT_MAX > $CT_MAX_FILE
  perf record -e skb:kfree_skb -a -g -o nat.data -- ip netns exec $c droptop-gen cps 198.18.0.1 8080 $NAT_CONNS $NAT_MAX_SECS 0 $NAT_INFLIGHT $NAT_TIMEOUT_MS
  (sysctl/conntrack snapshot -> nat-conntrack-full.conntrack.txt; then echo $CT_MAX_ORIG > $CT_MAX_FILE)
  perf script -i nat.data > nat-conntrack-full.perf.txt
load: $(grep -h droptop-gen "$WORK/nat.err" || true)
server: $(cat "$WORK/server.err" | tr '\n' ' ')
dmesg: $dm "table full" line(s) during the load (net_ratelimit suppresses most); see the .conntrack.txt
perf stderr: $(grep -v droptop-gen "$WORK/nat.err" | tr '\n' ' ')
perf lost events: $lost   (perf report --stats: $stats)
count: grep -c ' skb:kfree_skb: ' nat-conntrack-full.perf.txt
$("${TOOL[@]}" stats "$out.perf.txt")
expected top: nf_hook_slow+0x.. reason NETFILTER_DROP (conntrack table full), then TCP drops.
cross-check: nf_hook_slow NETFILTER_DROP events in the perf text: $(grep -c 'location=nf_hook_slow+0x[0-9a-f]* reason: NETFILTER_DROP' "$out.perf.txt");
      conntrack -S drop total in the NAT netns: $(grep -o 'drop=[0-9]*' "$out.conntrack.txt" | awk -F= '{s += $2} END {print s + 0}') (one per dropped packet; SYN + 1 retransmit per timed-out connection).
      On this VM perf record -a -g silently missed 0-310 of these drops in 5 of 6 runs (no LOST or
      THROTTLE records in perf.data), while a bpftrace count of the same load matched conntrack's
      counter exactly (1800 = 1800). Treat perf counts as a lower bound.
EOF
  log "nat-conntrack-full: $(grep -c ' skb:kfree_skb: ' "$out.perf.txt") events, dmesg table-full lines: $dm"
}

# tracefs_record NAME STACKS(0|1)
tracefs_record() {
  local name=$1 stacks=$2 ns=$NSP-tf out=$HERE/tracefs/$1
  mkdir -p "$HERE/tracefs"
  mk_lo_ns "$ns"
  mkdir "$INST"
  [ "$stacks" = 1 ] && echo stacktrace > "$INST/events/skb/kfree_skb/trigger"
  echo 1 > "$INST/events/skb/kfree_skb/enable"
  timeout 4 cat "$INST/trace_pipe" > "$out.tracefs.txt" &
  local rpid=$!; PIDS+=("$rpid")
  sleep 0.3
  ip netns exec "$ns" "$GEN" connect 127.0.0.1 9 500 5 500 2> "$WORK/tf.err"
  wait "$rpid" || true          # timeout ends the reader (rc 124)
  echo 0 > "$INST/events/skb/kfree_skb/enable"
  [ "$stacks" = 1 ] && echo '!stacktrace' > "$INST/events/skb/kfree_skb/trigger"
  rmdir "$INST"
  ip netns del "$ns"
  local setup="mkdir $TRACING/instances/droptop-sample-PID
  echo 1 > .../events/skb/kfree_skb/enable"
  [ "$stacks" = 1 ] && setup="mkdir $TRACING/instances/droptop-sample-PID
  echo stacktrace > .../events/skb/kfree_skb/trigger
  echo 1 > .../events/skb/kfree_skb/enable"
  write_meta "$out.tracefs.meta" <<EOF
file: tracefs/$name.tracefs.txt
summary: trace_pipe of a private tracefs instance$([ "$stacks" = 1 ] && echo " with the stacktrace trigger"), closed-port TCP load: tcp_v4_rcv / NO_SOCKET
what: trace_pipe of a private tracefs instance with events/skb/kfree_skb enabled$([ "$stacks" = 1 ] && echo " and the
      'stacktrace' trigger: every kfree_skb line is followed by a '<stack trace>' event and ' => func'
      lines (innermost first, starting at trace_event_raw_event_kfree_skb)"), while 500 TCP connect()s
      to closed port 127.0.0.1:9 run in a private netns. The comm may print as <...>.
command: samples/record.sh tracefs
  $setup
  timeout 4 cat .../trace_pipe > $name.tracefs.txt &
  ip netns exec $ns droptop-gen connect 127.0.0.1 9 500 5 500
  (then enable=0, trigger '!stacktrace', rmdir the instance)
load: $(cat "$WORK/tf.err")
count: grep -c ': kfree_skb: ' $name.tracefs.txt$([ "$stacks" = 1 ] && echo "; stacks: grep -c '<stack trace>' $name.tracefs.txt = $(grep -c '<stack trace>' "$out.tracefs.txt")")
$("${TOOL[@]}" stats "$out.tracefs.txt")
expected top: tcp_v4_rcv+0x../0x.. reason NO_SOCKET
EOF
  log "tracefs $name: $(grep -c ': kfree_skb: ' "$out.tracefs.txt") events"
}
step_tracefs() {
  tracefs_record closed-port-tcp 0
  tracefs_record closed-port-tcp-stacks 1
}

# bpftrace_record PROBE OUTNAME LOADKIND(connect|nftudp)
bpftrace_record() {
  local probe=$1 name=$2 kind=$3 ns=$NSP-bt out=$HERE/bpftrace/$2
  mkdir -p "$HERE/bpftrace"
  if [ "$kind" = nftudp ]; then nft_udp_ns "$ns"; else mk_lo_ns "$ns"; fi
  ulimit -l 8192 2>/dev/null || true     # hard limit here; bpftrace still warns (memcg accounting is used)
  timeout -s INT 60 bpftrace "$ROOT/probes/$probe" 1000 > "$out.bpftrace.txt" 2> "$WORK/bt.err" &
  local bpid=$!; PIDS+=("$bpid")
  for _ in $(seq 300); do grep -q '^droptop-bpftrace ' "$out.bpftrace.txt" 2>/dev/null && break; sleep 0.1; done
  grep -q '^droptop-bpftrace ' "$out.bpftrace.txt" || { log "bpftrace did not start: $(cat "$WORK/bt.err")"; return 1; }
  sleep 0.5
  local load
  if [ "$kind" = nftudp ]; then load="droptop-gen udp 127.0.0.1 9999 1200 10 400"
    ip netns exec "$ns" "$GEN" udp 127.0.0.1 9999 1200 10 400 2> "$WORK/bt.load"
  else load="droptop-gen connect 127.0.0.1 9 1200 10 400"
    ip netns exec "$ns" "$GEN" connect 127.0.0.1 9 1200 10 400 2> "$WORK/bt.load"
  fi
  sleep 1.5
  kill -INT "$bpid"                      # timeout forwards SIGINT to bpftrace -> END flush
  wait "$bpid" || true
  local inum; inum=$(ip netns exec "$ns" stat -L -c %i /proc/self/ns/net)
  ip netns del "$ns"
  write_meta "$out.bpftrace.meta" <<EOF
file: bpftrace/$name.bpftrace.txt
summary: output of probes/$probe, $([ "$kind" = nftudp ] && echo "UDP dropped by an nftables rule: nft_do_chain / reason 12" || echo "closed-port TCP load: tcp_v4_rcv / reason 3")
what: stdout of probes/$probe (in-kernel counts per 1000 ms interval, contract in the script header)
      while $([ "$kind" = nftudp ] && echo "1200 UDP datagrams to 127.0.0.1:9999 (dropped by an nftables input rule, see
      perf/nft-udp-drop.perf.meta)" || echo "1200 TCP connect()s to closed port 127.0.0.1:9") run at 400/s in a private netns
      (netns inode $inum, device lo). Lines with another netns/device are background drops on this host.
command: samples/record.sh bpftrace
  ulimit -l 8192
  timeout -s INT 60 bpftrace probes/$probe 1000 > $name.bpftrace.txt 2> stderr &
  (wait for the droptop-bpftrace header line, sleep 0.5)
  ip netns exec $ns $load
  sleep 1.5; kill -INT <timeout pid>   (timeout forwards SIGINT to bpftrace: END flush)
load: $(cat "$WORK/bt.load")
stderr (not in the sample): $(tr '\n' ' ' < "$WORK/bt.err")
exit: after the END flush bpftrace 0.17 prints only blank lines (2 + one per map).
count: sum of the "]: N" counts; intervals: grep -c '^@@ interval' = $(grep -c '^@@ interval' "$out.bpftrace.txt")
$("${TOOL[@]}" stats "$out.bpftrace.txt")
expected top: $([ "$kind" = nftudp ] && echo "nft_do_chain+0x.. reason 12 (NETFILTER_DROP), dev lo" || echo "tcp_v4_rcv+0x.. reason 3 (NO_SOCKET), dev lo")
EOF
  log "bpftrace $name: $(grep "^events:" "$out.bpftrace.meta")"
}
step_bpftrace() {
  bpftrace_record drops.bt closed-port-tcp connect
  bpftrace_record drops-stacks.bt nft-udp-drop-stacks nftudp
}

step_kallsyms() {
  mkdir -p "$HERE/kallsyms"
  local files=()
  for f in "$HERE"/perf/*.perf.txt "$HERE"/bpftrace/*.bpftrace.txt; do [ -f "$f" ] && files+=("$f"); done
  "${TOOL[@]}" kallsyms "$HERE/kallsyms/kallsyms.excerpt.txt" "${files[@]}" > "$WORK/ks.out"
  write_meta "$HERE/kallsyms/kallsyms.excerpt.meta" <<EOF
file: kallsyms/kallsyms.excerpt.txt
summary: /proc/kallsyms lines (containing symbol + next) for every kernel address in the perf and bpftrace samples
what: an excerpt of /proc/kallsyms (same format: "ADDR TYPE NAME [module]") that resolves, offline,
      every kernel text address (ffffffff8.......-ffffffffffffffff) found in the samples:
      perf/*.perf.txt (the pipe-mode file's location=0x... and frames, and the hex frame addresses of
      the file-mode files) and bpftrace/*.bpftrace.txt (the raw location keys).
      For each address it holds the line of the containing symbol (greatest text symbol <= address)
      and the line right after it (the next text symbol, i.e. the end bound: size = next - start).
      Sorted by address, deduplicated. Only text symbols (types T t W w) are considered, and when
      several names share one address the first in /proc/kallsyms order is kept.
      Resolve: binary search for the last line with address <= A; offset = A - that address.
      Valid only for boot_id below (KASLR would move everything on another boot).
command: samples/record.sh kallsyms   (python3 helper embedded in record.sh)
$(cat "$WORK/ks.out")
lines: $(wc -l < "$HERE/kallsyms/kallsyms.excerpt.txt")
EOF
  log "kallsyms: $(tail -1 "$WORK/ks.out")"
}

step_fixtures() {
  mkdir -p "$HERE/stap"
  local nat=$HERE/perf/nat-conntrack-full.perf.txt cp=$HERE/perf/closed-port-tcp.pipe.perf.txt
  local nft=$HERE/perf/nft-udp-drop.perf.txt
  # real address/offset/size of the drop locations in this boot's samples (fallback: made-up)
  local vals; vals=$(TOOLPY=$WORK/tool.py python3 - "$nat" "$cp" "$nft" <<'PY'
import os, re, sys
src = open(os.environ["TOOLPY"]).read().split("KS = kallsyms()")[0]
exec(src)
KS = kallsyms()
def loc(path, name, fallback):
    try:
        txt = open(path).read()
    except OSError:
        return fallback
    for a in sorted(addresses(path)):
        r = resolve(KS, a)
        if r and r[1].split()[2] == name and r[3] > 0 and (
                re.search(r"sk_skb_reason_drop[^\n]*\n\s*%x " % a, txt) or ("location=0x%x" % a) in txt):
            return "0x%x 0x%x 0x%x" % (a, r[3], r[4])
    return fallback
print(loc(sys.argv[1], "nf_hook_slow", "0xffffffff81f28e4d 0x7d 0xf0"),
      loc(sys.argv[2], "tcp_v4_rcv", "0xffffffff82033a51 0x91 0x1400"),
      loc(sys.argv[3], "nft_do_chain", "0xffffffff81f63638 0x478 0x590"))
PY
)
  local nhs_a nhs_o nhs_s tcp_a tcp_o tcp_s nft_a nft_o nft_s
  read -r nhs_a nhs_o nhs_s tcp_a tcp_o tcp_s nft_a nft_o nft_s <<< "$vals"
  local nhs="nf_hook_slow+$nhs_o/$nhs_s [kernel]" tcp="tcp_v4_rcv+$tcp_o/$tcp_s [kernel]"
  local nftd="nft_do_chain+$nft_o/$nft_s [kernel]"
  local hdr="This is a HAND-WRITTEN fixture (not a recording): stap cannot load modules on this machine."
  local addrs="Kernel addresses/offsets/sizes are this boot's real drop locations, taken from the perf samples and
      kallsyms/kallsyms.excerpt.txt by record.sh (nf_hook_slow=$nhs_a, tcp_v4_rcv=$tcp_a, nft_do_chain=$nft_a);
      counts are invented."

  cat > "$HERE/stap/v2009-address.fixture.txt" <<EOF
Monitoring for dropped packets

10031 packets dropped at location $nhs_a
676 packets dropped at location $tcp_a

7284 packets dropped at location $nhs_a
268 packets dropped at location $tcp_a
12 packets dropped at location $nft_a
Stopping dropped packet monitor
EOF
  cat > "$HERE/stap/v2009-address.fixture.meta" <<EOF
file: stap/v2009-address.fixture.txt
summary: hand-written stap dropwatch output, 2009 variant: raw %p addresses
command: samples/record.sh fixtures   (text embedded in record.sh; addresses filled in from this boot's samples)
what: output shape of SystemTap dropwatch.stp as of upstream commit 0e4901b0e (2009-04-17):
      probe begin "Monitoring for dropped packets", every 5 s printf("\n") then
      "%d packets dropped at location %p\n" per location (raw address, count descending),
      probe end "Stopping dropped packet monitor". See docs/trace-formats.md.
$hdr
$addrs
resolve: every address is in kallsyms/kallsyms.excerpt.txt.
written: $(now_utc) by samples/record.sh fixtures
EOF

  cat > "$HERE/stap/v2010-symname.fixture.txt" <<'EOF'
Monitoring for dropped packets

10031 packets dropped at nf_hook_slow
676 packets dropped at tcp_v4_rcv

7284 packets dropped at nf_hook_slow
268 packets dropped at tcp_v4_rcv
Stopping dropped packet monitor
EOF
  cat > "$HERE/stap/v2010-symname.fixture.meta" <<EOF
file: stap/v2010-symname.fixture.txt
summary: hand-written stap dropwatch output, 2010 variant: symname(), the case study's numbers
command: samples/record.sh fixtures   (text embedded in record.sh; addresses filled in from this boot's samples)
what: output shape of SystemTap dropwatch.stp as of upstream commit 336e4e202 (2010-08-30):
      "%d packets dropped at %s\n" with symname(l), blocks separated by printf("\n").
      The numbers are exactly the NAT case study's (README.md, the case it was built for),
      the way \`stap --all-modules dropwatch.stp\` printed them there. See docs/trace-formats.md.
$hdr
written: $(now_utc) by samples/record.sh fixtures
EOF

  cat > "$HERE/stap/v2020-ctime.fixture.txt" <<'EOF'
Monitoring for dropped packets

Mon Nov 23 09:40:12 2026
10031 packets dropped at nf_hook_slow
676 packets dropped at tcp_v4_rcv

Mon Nov 23 09:40:17 2026
7284 packets dropped at nf_hook_slow
268 packets dropped at tcp_v4_rcv
3 packets dropped at unix_stream_recvmsg

Mon Nov 23 09:40:22 2026
Stopping dropped packet monitor
EOF
  cat > "$HERE/stap/v2020-ctime.fixture.meta" <<EOF
file: stap/v2020-ctime.fixture.txt
summary: hand-written stap dropwatch output, 2020 variant: ctime header, symname()
command: samples/record.sh fixtures   (text embedded in record.sh; addresses filled in from this boot's samples)
what: output shape of SystemTap dropwatch.stp as of upstream commit c77a9824d (2020-11-17):
      every 5 s printf("\n%s\n", ctime(gettimeofday_s())) then "%d packets dropped at %s\n" with
      symname(l). The last interval is empty (header only) before the end line.
      See docs/trace-formats.md.
$hdr
written: $(now_utc) by samples/record.sh fixtures
EOF

  cat > "$HERE/stap/v2023-symdata.fixture.txt" <<EOF
Monitoring for dropped packets

Mon Nov 23 09:40:12 2026
10031 packets dropped at $nhs
676 packets dropped at $tcp
41 packets dropped at 0xffffffffc0a3f2b4 [nf_conntrack+0x112b4/0x2f000]

Mon Nov 23 09:40:17 2026
7284 packets dropped at $nhs
268 packets dropped at $tcp
12 packets dropped at $nftd
2 packets dropped at 0xffffffffc0b01a7f
Stopping dropped packet monitor
EOF
  cat > "$HERE/stap/v2023-symdata.fixture.meta" <<EOF
file: stap/v2023-symdata.fixture.txt
summary: hand-written stap dropwatch output, 2023 variant: symdata() sym+0xoff/0xsize [mod], module-only and bare hex
command: samples/record.sh fixtures   (text embedded in record.sh; addresses filled in from this boot's samples)
what: output shape of SystemTap dropwatch.stp as of upstream commit 6f9a9bc6d (2023-03-29):
      ctime header, "%d packets dropped at %s\n" with symdata(l), whose shapes are
      "sym+0xoff/0xsize [module]" (here [kernel]), "0xaddr [mod+0xoff/0xsize]" when only the module
      resolves, and a bare "0xaddr" when nothing resolves (runtime/sym.c _stp_snprint_addr).
      See docs/trace-formats.md.
$hdr
$addrs
      The module line (nf_conntrack) and the bare hex line use MADE-UP module addresses
      (0xffffffffc0......; this kernel has no modules) and are not in the kallsyms excerpt.
written: $(now_utc) by samples/record.sh fixtures
EOF

  cat > "$HERE/stap/v2025-reason.fixture.txt" <<EOF
Monitoring for dropped packets

Mon Nov 23 09:40:12 2026
10031 packets dropped at $nhs for reason: 12
676 packets dropped at $tcp for reason: 3
40 packets dropped at $tcp for reason: 30
2 packets dropped at $nhs for reason: 999

Mon Nov 23 09:40:17 2026
7284 packets dropped at $nhs for reason: 12
268 packets dropped at $tcp for reason: 3
12 packets dropped at $nftd for reason: 12
1 packets dropped at 0xffffffffc0b01a7f for reason: 0
Stopping dropped packet monitor
EOF
  cat > "$HERE/stap/v2025-reason.fixture.meta" <<EOF
file: stap/v2025-reason.fixture.txt
summary: hand-written stap dropwatch output, 2025 variant: symdata() + numeric reason (incl. unknown 999)
command: samples/record.sh fixtures   (text embedded in record.sh; addresses filled in from this boot's samples)
what: output shape of SystemTap dropwatch.stp as of upstream commit 799644b7a (2025-10-02, HEAD):
      locations[\$location, @choose_defined(\$reason, 0)] <<< 1, ctime header,
      "%d packets dropped at %s for reason: %d\n" with symdata(l) and the NUMERIC reason.
      Reasons are this kernel's enum skb_drop_reason values (tracefs/kfree_skb.format.txt):
      12 = NETFILTER_DROP, 3 = NO_SOCKET, 30 = TCP_FLAGS, 0 = no \$reason (not in the table),
      999 = unknown on this kernel (a parser must keep it as a number, not fail).
      See docs/trace-formats.md.
$hdr
$addrs
written: $(now_utc) by samples/record.sh fixtures
EOF
  log "fixtures: 5 written (nf_hook_slow=$nhs_a+$nhs_o/$nhs_s)"
}

step_readme() {
  python3 - "$HERE" <<'PY' > "$HERE/README.md"
import glob, os, re, sys
here = sys.argv[1]
def meta(path):
    d, key = {}, None
    for line in open(path):
        m = re.match(r"^([a-z_ .\-]+): ?(.*)$", line)
        if m and not line.startswith(" "):
            key = m.group(1); d.setdefault(key, []).append(m.group(2))
        elif key:
            d[key].append(line.strip())
    return d
rows = []
for m in sorted(glob.glob(os.path.join(here, "*", "*.meta"))):
    d = meta(m)
    f = d.get("file", ["?"])[0].split()[0]
    rel = os.path.relpath(m, here)
    what = " ".join(d.get("what", [""]))
    what = re.sub(r"\s+", " ", what)
    first = " ".join(d["summary"]) if "summary" in d else what.split(". ")[0].rstrip(".")
    cmd = d.get("command", [""])
    ev = d.get("events", [""])[0]
    if not ev and "count" in d:
        ev = ""
    tops = d.get("top", [])
    top = tops[0].split(None, 1)[1] if tops else ""
    rec = d.get("recorded", d.get("written", [""]))[0].split()[0]
    size = os.path.getsize(os.path.join(here, f)) if os.path.exists(os.path.join(here, f)) else 0
    kern = d.get("kernel", [""])[0] if "fixture" not in f else "(hand-written)"
    rows.append((f, first, cmd, ev, top, kern, rec, size, rel))
print("""# samples/

Real recordings of kernel packet drops made on this machine by `samples/record.sh`, plus hand-written
SystemTap output fixtures (`*.fixture.*`; stap cannot load modules here). Every file has a `.meta`
sidecar with the exact commands, kernel, boot id, date, event count, expected and measured top
location/reason, and the tools' stderr. Kernel addresses are only valid for the recording's boot:
`kallsyms/kallsyms.excerpt.txt` resolves them offline.

Re-record everything (root; ~1 minute; bounded loads, cleans up on every exit path):

    samples/record.sh                 # all steps
    samples/record.sh bpftrace kallsyms readme   # some steps (kallsyms/fixtures/readme read the others)

Kernel: `%s`. Loads: a C generator embedded in record.sh (`droptop-gen`, refuses destinations outside
127.0.0.0/8 and 198.18.0.0/15), always inside network namespaces the script creates.

| File | Shows | Recorded with | Events | Top location / reason | Kernel | Date | Bytes |
|---|---|---|---|---|---|---|---|""" % open("/proc/sys/kernel/osrelease").read().strip())
for f, first, cmd, ev, top, kern, rec, size, rel in rows:
    c = "<br>".join("`%s`" % x.strip() for x in cmd if x.strip() and not x.strip().startswith("("))
    print("| `%s` ([meta](%s)) | %s | %s | %s | %s | %s | %s | %d |" % (f, rel, first.replace("|", "\\|"), c.replace("|", "\\|"), ev, top.replace("|", "\\|"), kern, rec, size))
print("""
All files (bytes):
""")
for dp, dn, fn in sorted(os.walk(here)):
    if "results" in os.path.relpath(dp, here).split(os.sep):
        continue                     # results/ = golden outputs written by droptop's tests
    for n in sorted(fn):
        q = os.path.join(dp, n)
        print("    %-55s %9d" % (os.path.relpath(q, here), os.path.getsize(q)))
print("""
Event counts: perf text `grep -c ' skb:kfree_skb: ' FILE`; tracefs `grep -c ': kfree_skb: ' FILE`;
bpftrace the sum of the `]: N` counts. Lines not from the load (e.g. `eth0` drops in the initial netns)
are real background drops of this host and were left in.

Notes
- `perf/closed-port-tcp.perf.data` is the perf.data behind `perf/closed-port-tcp.perf.txt`
  (`perf script -i perf/closed-port-tcp.perf.data` reproduces the text on the same boot/kernel).
- perf pipe mode (`-o - | perf script -i -`) prints `location=0xADDR` and frames without offsets or dso;
  file mode prints `location=sym+0xoff` and `ADDR sym+0xoff ([kernel.kallsyms])`.
- bpftrace output contract: see the header comment of `probes/drops.bt` / `probes/drops-stacks.bt`.
- `tracefs/kfree_skb.format.txt` maps numeric reasons (bpftrace, stap 2025 variant) to names.
- `stap/*.fixture.txt` are hand-written, one per upstream dropwatch.stp variant (docs/trace-formats.md).
""")
PY
  log "readme: ok"
}

ALL=(format closed-port-tcp closed-port-tcp-pipe nft-udp-drop nat-conntrack-full tracefs bpftrace kallsyms fixtures readme)
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=("${ALL[@]}")
for s in "${steps[@]}"; do
  case $s in
    all) for a in "${ALL[@]}"; do "step_${a//-/_}"; done ;;
    format|closed-port-tcp|closed-port-tcp-pipe|nft-udp-drop|nat-conntrack-full|tracefs|bpftrace|kallsyms|fixtures|readme)
      "step_${s//-/_}" ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "record.sh: unknown step '$s' (see --help)" >&2; exit 2 ;;
  esac
done

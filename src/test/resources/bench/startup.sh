#!/usr/bin/env bash
# Start-up benchmark: wall time of whole commands, run interleaved (A B C A B C ...) so that the host's
# drift (this VM's wall times move by +-20% over minutes) falls on every command alike.
#
#   src/test/resources/bench/startup.sh [-n RUNS] CMD... [::: CMD...]...
#   src/test/resources/bench/startup.sh -n 21 bin/droptop report samples/perf/nat-conntrack-full.perf.txt ::: bin/droptop --version
#
# Prints min, median and third quartile in ms per command; its output goes to /dev/null. One warm-up
# run of each first (a build, the launcher's CDS archive).
set -euo pipefail
runs=21
if [ "${1:-}" = -n ]; then
    runs=$2
    shift 2
fi
[ $# -gt 0 ] || { echo "usage: src/test/resources/bench/startup.sh [-n RUNS] CMD... [::: CMD...]..." >&2; exit 2; }
cmds=()
cur=()
for a in "$@"; do
    if [ "$a" = ::: ]; then
        cmds+=("${cur[*]@Q}")
        cur=()
    else
        cur+=("$a")
    fi
done
cmds+=("${cur[*]@Q}")
declare -A times
for c in "${!cmds[@]}"; do
    eval "set -- ${cmds[$c]}"
    "$@" >/dev/null 2>&1 || { echo "src/test/resources/bench/startup.sh: failed: $*" >&2; exit 1; }
    times[$c]=
done
for ((r = 0; r < runs; r++)); do
    for c in "${!cmds[@]}"; do
        eval "set -- ${cmds[$c]}"
        s=$EPOCHREALTIME
        "$@" >/dev/null 2>&1
        e=$EPOCHREALTIME
        times[$c]+="$(( (${e/./} - ${s/./}) / 1000 )) "
    done
done
for c in "${!cmds[@]}"; do
    eval "set -- ${cmds[$c]}"
    printf '%s\n' ${times[$c]} | sort -n | awk -v cmd="$*" '{a[NR] = $1}
        END {printf "min %4d  median %4d  q3 %4d ms  %s\n", a[1], a[int((NR + 1) / 2)], a[int((NR * 3 + 3) / 4)], cmd}'
done

#!/bin/bash
# stap/check.sh -- parse-check (stap -p1) every stap/*.stp without a kernel tree.
# Builds a minimal "kernel build dir" in a temp dir: .config (from /proc/config.gz,
# or /boot/config-$(uname -r)), include/config/kernel.release, empty Module.symvers.
# Exit status: 0 when every script passes, 1 when one fails, 2 when stap is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
command -v stap >/dev/null || { echo "check.sh: stap not found" >&2; exit 2; }
dir=$(mktemp -d -t droptop-stap.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/include/config"
if [ -r /proc/config.gz ]; then zcat /proc/config.gz > "$dir/.config"
elif [ -r "/boot/config-$(uname -r)" ]; then cp "/boot/config-$(uname -r)" "$dir/.config"
else echo "check.sh: no kernel config (/proc/config.gz or /boot/config-*)" >&2; exit 2; fi
uname -r > "$dir/include/config/kernel.release"
: > "$dir/Module.symvers"
rc=0
for f in "$here"/*.stp; do
  if out=$(stap -p1 -r "$dir" "$f" 2>&1 >/dev/null); then
    echo "ok   $(basename "$f")"
  else
    echo "FAIL $(basename "$f")"; printf '%s\n' "$out" | sed 's/^/     /'; rc=1
  fi
done
exit $rc

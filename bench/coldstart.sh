#!/usr/bin/env bash
# Cold start of the real command: wall time of `anywhere analyze` (a new JVM each round, launcher included) against a
# healthy lab site started once with `anywhere lab up`. The lab binds fixed loopback addresses: run it under the shared
# port lock (flock /tmp/anywhere-ports.lock bench/coldstart.sh ...).
#
#   bench/coldstart.sh [--rounds N] [--command 'CMD ...'] [--label NAME] [--baseline 'CMD ...']
#
# --command: what to time instead of the repository's ./anywhere (e.g. 'java -jar /tmp/old/anywhere.jar' for a
# before/after pair); the lab itself always runs from the repository's ./anywhere. --baseline: a second command timed
# in the same rounds, alternately (baseline first in odd rounds, second in even ones), against the same lab, so that a
# shared machine's changing load falls on both alike. Prints one line per round and command (wall time, the
# analyzer's elapsedMs, the process's CPU time user+sys) and a summary per command (min, median, max in ms); exit 0
# when every round was healthy (exit 0 from analyze), 1 otherwise.
# COLDSTART_KEEP_REPORT=FILE keeps the last round's JSON report (per-step times) there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=10
command="$here/anywhere"
label="anywhere"
baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --command) command="$2"; label="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    *) echo "coldstart.sh: unknown argument '$1' (expected: --rounds N, --command CMD, --label NAME, --baseline CMD)" >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*) echo "coldstart.sh: --rounds: '$rounds' (expected: 1..100)" >&2; exit 2 ;; esac
if [ "$rounds" -lt 1 ] || [ "$rounds" -gt 100 ]; then echo "coldstart.sh: --rounds: $rounds (expected: 1..100)" >&2; exit 2; fi

dir="$(mktemp -d /tmp/anywhere-coldstart.XXXXXX)"
cleanup() { "$here/anywhere" lab down --data-dir "$dir" >/dev/null 2>&1 || true; [ -n "${COLDSTART_KEEP_REPORT:-}" ] && cp "$dir/report.json" "$COLDSTART_KEEP_REPORT"; rm -rf "$dir"; }
trap cleanup EXIT
"$here/anywhere" lab up --data-dir "$dir" >/dev/null
# The client settings lab.json names (DNS server, ports, CA bundle); franky's password from the lab's password file.
read -r dns https http ca passwords < <(python3 - "$dir/lab.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
port = lambda key: s["services"][key].rsplit(":", 1)[1]
print(s["dnsServer"], port("router/tcp443"), port("router/tcp80"), s["caBundle"], s["passwordsFile"])
EOF
)
OA_PASSWORD="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["franky"])' "$passwords")"
export OA_PASSWORD
args=(analyze franky@frankysweb.org --user 'FRANKYSWEB\franky' --password-env OA_PASSWORD --dns-server "$dns"
  --https-port "$https" --http-port "$http" --trust "$ca" --format json --out "$dir/report.json")
healthy=1
# One timed run of "$@" after the array's name and the round: appends the wall time to that array, prints the line.
timed() {
  local name="$1" round="$2"; shift 2
  local start status ms inner cpu
  local -n walls="$name"
  start=$(date +%s%N)
  # bash's time keyword: the child's CPU time (user and system) as well, without another tool
  if { TIMEFORMAT='%U %S'; time "$@" "${args[@]}" >/dev/null 2>"$dir/stderr"; } 2>"$dir/cpu"; then status=0; else status=$?; healthy=0; fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  walls+=("$ms")
  inner=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["elapsedMs"])' "$dir/report.json" 2>/dev/null || echo "?")
  cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' "$dir/cpu" 2>/dev/null || echo "?")
  echo "round $round ${label_of[$name]}: ${ms} ms wall, ${inner} ms inside the run, ${cpu} ms CPU, exit $status"
}
summary() {
  local -n t="$1"
  local sorted n
  sorted=($(printf '%s\n' "${t[@]}" | sort -n))
  n=${#sorted[@]}
  echo "${label_of[$1]}: cold analyze on the lab, $n rounds: min ${sorted[0]} ms, median ${sorted[$((n / 2))]} ms, max ${sorted[$((n - 1))]} ms (goal: <= 1500 ms); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
declare -A label_of=([times]="$label" [base_times]="${baseline:+baseline}")
# shellcheck disable=SC2206
cmd=($command)
# shellcheck disable=SC2206
base=($baseline)
"${cmd[@]}" "${args[@]}" >/dev/null 2>&1 || true   # builds the jar if needed; page cache warm like a user's second run
if [ -n "$baseline" ]; then "${base[@]}" "${args[@]}" >/dev/null 2>&1 || true; fi
times=()
base_times=()
for ((i = 1; i <= rounds; i++)); do
  if [ -n "$baseline" ] && [ $((i % 2)) = 1 ]; then timed base_times "$i" "${base[@]}"; fi
  timed times "$i" "${cmd[@]}"
  if [ -n "$baseline" ] && [ $((i % 2)) = 0 ]; then timed base_times "$i" "${base[@]}"; fi
done
if [ -n "$baseline" ]; then summary base_times; fi
summary times
[ "$healthy" = 1 ]

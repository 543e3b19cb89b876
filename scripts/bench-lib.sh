# Shared by scripts/bench.sh and scripts/bench-templates.sh (sourced, not run). Needs $WORK, a
# scratch directory the caller removes.

# hyperfine for the medians and /usr/bin/time for peak memory, installed when missing.
ensure_tools() {
  if ! command -v hyperfine >/dev/null; then
    apt-get install -y hyperfine >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1) || true
  fi
  if [ ! -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null 2>&1 || true
  fi
  if ! command -v valgrind >/dev/null; then
    apt-get install -y valgrind >/dev/null 2>&1 || true
  fi
}

# median SECONDS of a command run $1 times (after $WARMUP warm-up runs, default 3); hyperfine
# when there, else a date loop. Environment-prefixed commands: hyperfine -N cannot take VAR=x,
# so wrap them in env.
median() {
  local runs=$1; shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup "${WARMUP:-3}" --runs "$runs" --export-json "$WORK/h.json" --style none "$*" >/dev/null 2>&1 \
      || hyperfine --warmup "${WARMUP:-3}" --runs "$runs" --export-json "$WORK/h.json" --style none "$*" >/dev/null 2>&1 \
      || { echo "median: failed or exited non-zero: $*" >&2; return 1; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/h.json"
  else
    local t=()
    for _ in $(seq 1 "$runs"); do
      local a b; a=$(date +%s%N); "$@" >/dev/null 2>&1 || true; b=$(date +%s%N)
      t+=($(( b - a )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1e9}'
  fi
}
# Peak heap KiB of a command (valgrind's massif: the bytes malloc handed out plus its own
# overhead, at the highest snapshot), or `?` without valgrind. Peak RSS also counts the pages of
# the executable the run touched (file-backed and shared), which grow with the code a run uses,
# not with its input.
peak_heap_kib() {
  command -v valgrind >/dev/null || { echo '?'; return; }
  rm -f "$WORK/massif.out"
  # The command may exit non-zero (findings); valgrind's own failure leaves no profile.
  valgrind --tool=massif --massif-out-file="$WORK/massif.out" "$@" >/dev/null 2>&1 || true
  [ -s "$WORK/massif.out" ] || { echo '?'; return; }
  python3 -c '
import re, sys
text = open(sys.argv[1]).read()
heap = [int(a) + int(b) for a, b in re.findall(r"mem_heap_B=(\d+)\nmem_heap_extra_B=(\d+)", text)]
print(max(heap) // 1024)' "$WORK/massif.out"
}
peak_kib() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'; }
# SECONDS as milliseconds, or seconds from 10 s up (the peers).
ms() { python3 -c "t = float(\"$1\"); print(f'{t:.1f} s' if t >= 10 else f'{t*1000:.2f} ms')"; }
ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
verdict() { python3 -c "print('met' if float(\"$1\") $2 else 'MISSED')"; }
cpu_model() { awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo; }

#!/usr/bin/env bash
# Prints every performance figure of the README's table, each with its baseline measured in the
# same run, the ratio and the target. Needs ../shared/corpus beside the repository.
#   scripts/bench.sh            # all rows
#   RUNS=50 scripts/bench.sh    # more runs per command (default 30; the small-file row uses 10×)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${CORPUS:-$ROOT/../shared/corpus/aws-managed}
RUNS=${RUNS:-30}
[ -d "$CORPUS" ] || { echo "bench.sh: no corpus at $CORPUS" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
ensure_tools

echo "building release..." >&2
cargo build --release --quiet --bin iamlint --example serde_baseline
BIN=$ROOT/target/release/iamlint
BASE=$ROOT/target/release/examples/serde_baseline
SMALL=$CORPUS/AWSElementalMediaLiveFullAccess.json
[ -f "$SMALL" ] || SMALL=$(ls "$CORPUS"/*.json | head -1)
CHECK=(check --no-config --quiet --format concise --fail-on never)

# Ten copies of the corpus.
for i in $(seq 1 10); do mkdir -p "$WORK/x10/c$i" && cp "$CORPUS"/*.json "$WORK/x10/c$i/"; done

echo "measuring (runs per command: $RUNS)..." >&2
corpus=$(median "$RUNS" "$BIN" "${CHECK[@]}" "$CORPUS")
serde=$(median "$RUNS" "$BASE" "$CORPUS")
small=$(median $((RUNS * 10)) "$BIN" check --no-config --quiet "$SMALL")
# The same file with the grammar rules only, which never touch the embedded catalog.
grammar=$(median $((RUNS * 10)) "$BIN" check --no-config --quiet --select IAM0 "$SMALL")
# One import scenario written by `init` (with a key): every rule, and the pack's checks.
"$BIN" init cloudwatch-logs-import --role-name ImportRole --dir "$WORK/scenario" \
  --event-data-store-arn arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb \
  --kms-key-arn arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012 >/dev/null
scenario=$(cd "$WORK/scenario" && median $((RUNS * 10)) "$BIN" check --quiet)
empty=$(median $((RUNS * 10)) true)
x10=$(median "$((RUNS / 3 + 1))" "$BIN" "${CHECK[@]}" "$WORK/x10")
one=$(median "$((RUNS / 3 + 1))" env RAYON_NUM_THREADS=1 "$BIN" "${CHECK[@]}" "$WORK/x10")
two=$(median "$((RUNS / 3 + 1))" env RAYON_NUM_THREADS=2 "$BIN" "${CHECK[@]}" "$WORK/x10")
mem=$(peak_kib "$BIN" "${CHECK[@]}" "$CORPUS")
mem_base=$(peak_kib "$BASE" "$CORPUS")
mem_x10=$(peak_kib "$BIN" "${CHECK[@]}" "$WORK/x10")
echo "cover (criterion)..." >&2
cargo bench --quiet --bench cover -- --warm-up-time 1 --measurement-time 3 cover/import_role/least_privilege >"$WORK/cover.txt" 2>&1
cover_line=$(grep 'time:' "$WORK/cover.txt" | head -1)
cover_us=$(echo "$cover_line" | python3 -c '
import re,sys
v,u = re.findall(r"([\d.]+) (ns|µs|us|ms|s)", sys.stdin.read())[1]
print(float(v) * {"ns":1e-3,"µs":1,"us":1,"ms":1e3,"s":1e6}[u])')

cpu=$(cpu_model)
echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), $(grep -c . <(ls "$CORPUS"/*.json)) corpus files, hyperfine medians:"
echo
echo "| figure | measured | baseline (same run) | ratio | target | |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| whole corpus, all rules, one process | $(ms "$corpus") | bare serde_json parse $(ms "$serde") | $(ratio "$corpus" "$serde")× | ≤ 3× | $(verdict "$(ratio "$corpus" "$serde")" "<= 3") |"
echo "| one small policy file, process start to exit | $(ms "$small") | \`true\` $(ms "$empty") | $(ratio "$small" "$empty")× | < 5 ms | $(verdict "$small" "< 0.005") |"
echo "| one small file, every rule vs the grammar rules only (what the embedded catalog costs) | $(ms "$small") | grammar rules $(ms "$grammar") | $(ratio "$small" "$grammar")× | a few ms | $(verdict "$small" "< 0.005") |"
echo "| one import scenario with a key (4 files, every rule and the pack), process start to exit | $(ms "$scenario") | \`true\` $(ms "$empty") | $(ratio "$scenario" "$empty")× | (not a target) | |"
echo "| 10× the corpus (copies) | $(ms "$x10") | 1× $(ms "$corpus") | $(ratio "$x10" "$corpus")× | ≤ 10.5× | $(verdict "$(ratio "$x10" "$corpus")" "<= 10.5") |"
echo "| 10× corpus, 2 threads | $(ms "$two") | 1 thread $(ms "$one") | $(ratio "$two" "$one")× | < 1× | $(verdict "$(ratio "$two" "$one")" "< 1") |"
echo "| peak memory, whole corpus | $((mem / 1024)) MiB | serde_json baseline $((mem_base / 1024)) MiB | $(ratio "$mem" "$mem_base")× | < 64 MB | $(verdict "$mem" "< 62500") |"
echo "| peak memory, 10× corpus | $((mem_x10 / 1024)) MiB | 1× $((mem / 1024)) MiB | $(ratio "$mem_x10" "$mem")× | (not a target) | |"
echo "| \`cover\`, import-role requirements (4 actions), one scenario | $(python3 -c "print(f'{$cover_us:.1f} µs')") | — | $(python3 -c "print(f'{$cover_us/1000:.3f}')")× of target | < 1 ms | $(verdict "$cover_us" "< 1000") |"

# The template rows (CloudFormation and Terraform, with the peers), their own table.
echo
scripts/bench-templates.sh

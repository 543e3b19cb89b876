#!/usr/bin/env bash
# Prints the template rows of the README's performance table: `iamlint check` on real
# CloudFormation templates and Terraform modules against a bare parse of the same files measured
# in the same run (examples/template_baseline.rs), and the peers on the same files: cfn-lint, and
# checkov with its IAM policy checks only. scripts/bench.sh calls it after its own rows.
#
# The repositories are not part of iamlint; clone them once (or point the variables elsewhere):
#   git clone https://github.com/awslabs/aws-cloudformation-templates target/bench-src/aws-cloudformation-templates
#   git clone https://github.com/terraform-aws-modules/terraform-aws-iam target/bench-src/terraform-aws-iam
#   git clone https://github.com/terraform-aws-modules/terraform-aws-s3-bucket target/bench-src/terraform-aws-s3-bucket
#
#   scripts/bench-templates.sh            # every row; the peers take minutes
#   PEERS=0 scripts/bench-templates.sh    # iamlint's rows only
# CFN_TEMPLATES (a directory), TF_MODULES (directories, space-separated), RUNS (default 30; the
# one-template rows use 10×), PEER_RUNS (default 3), PEERS_VENV (default target/peers-venv,
# created with `pip install cfn-lint checkov` when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SRC=$ROOT/target/bench-src
CFN=${CFN_TEMPLATES:-$SRC/aws-cloudformation-templates}
read -r -a TF <<<"${TF_MODULES:-$SRC/terraform-aws-iam $SRC/terraform-aws-s3-bucket}"
RUNS=${RUNS:-30}
PEER_RUNS=${PEER_RUNS:-3}
PEERS=${PEERS:-1}
VENV=${PEERS_VENV:-$ROOT/target/peers-venv}

missing=()
[ -d "$CFN" ] || missing+=("CFN_TEMPLATES: no $CFN (git clone https://github.com/awslabs/aws-cloudformation-templates)")
for dir in "${TF[@]}"; do
  [ -d "$dir" ] || missing+=("TF_MODULES: no $dir (git clone https://github.com/terraform-aws-modules/$(basename "$dir"))")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench-templates.sh: the repositories to measure on are missing (see the comment at the top):" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 2
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
ensure_tools
if [ "$PEERS" = 1 ] && ! { [ -x "$VENV/bin/cfn-lint" ] && [ -x "$VENV/bin/checkov" ]; }; then
  echo "installing cfn-lint and checkov into $VENV..." >&2
  python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet cfn-lint checkov >&2
fi

echo "building release..." >&2
cargo build --release --quiet --bin iamlint --example template_baseline
BIN=$ROOT/target/release/iamlint
BASE=$ROOT/target/release/examples/template_baseline
CHECK=(check --no-config --quiet --format concise --fail-on never)
# One template as a user runs it: the default (human) format; findings do not fail the run.
ONE=(check --no-config --quiet --fail-on never)

# The files `iamlint check DIR` reads: the walk skips hidden paths (and what .gitignore lists).
list_files() {
  find "$@" -path '*/.*' -prune -o -type f \( -iname '*.json' -o -iname '*.yaml' -o -iname '*.yml' \
    -o -iname '*.template' -o -iname '*.tf' \) -print | sort
}
list_files "$CFN" >"$WORK/cfn.list"
list_files "${TF[@]}" >"$WORK/tf.list"
# The baseline walks as iamlint does; its count must be the list's, or the rows compare different files.
for set in cfn tf; do
  if [ $set = cfn ]; then dirs=("$CFN"); else dirs=("${TF[@]}"); fi
  walked=$("$BASE" "${dirs[@]}" | awk '{print $3}')
  listed=$(grep -c . "$WORK/$set.list")
  [ "$walked" = "$listed" ] || { echo "bench-templates.sh: the baseline walked $walked files, find listed $listed" >&2; exit 1; }
done
cfn_files=$(grep -c . "$WORK/cfn.list")
tf_files=$(grep -c . "$WORK/tf.list")

# The largest CloudFormation templates (files that say AWSTemplateFormatVersion), of any syntax and in YAML.
largest() { grep -E "$1" "$WORK/cfn.list" | xargs -d '\n' grep -l AWSTemplateFormatVersion | xargs -d '\n' ls -S | awk 'NR == 1'; }
LARGEST=$(largest '.')
LARGEST_YAML=$(largest '\.ya?ml$')
kib() { python3 -c "print(f'{$(stat -c %s "$1")/1024:.1f} KiB')"; }
printf 'Resources: {}\n' >"$WORK/empty.yaml"

echo "measuring iamlint (runs per command: $RUNS)..." >&2
cfn=$(median "$RUNS" "$BIN" "${CHECK[@]}" "$CFN")
cfn_base=$(median "$RUNS" "$BASE" "$CFN")
one=$(median $((RUNS * 10)) "$BIN" "${ONE[@]}" "$LARGEST")
one_yaml=$(median $((RUNS * 10)) "$BIN" "${ONE[@]}" "$LARGEST_YAML")
empty=$(median $((RUNS * 10)) true)
tf=$(median "$RUNS" "$BIN" "${CHECK[@]}" "${TF[@]}")
tf_base=$(median "$RUNS" "$BASE" "${TF[@]}")
mem_cfn=$(peak_kib "$BIN" "${CHECK[@]}" "$CFN")
mem_cfn_base=$(peak_kib "$BASE" "$CFN")
mem_one=$(peak_kib "$BIN" "${CHECK[@]}" "$LARGEST")
mem_empty=$(peak_kib "$BIN" "${CHECK[@]}" "$WORK/empty.yaml")
mem_tf=$(peak_kib "$BIN" "${CHECK[@]}" "${TF[@]}")
mem_tf_base=$(peak_kib "$BASE" "${TF[@]}")
heap_one=$(peak_heap_kib "$BIN" "${CHECK[@]}" "$LARGEST")
heap_one_yaml=$(peak_heap_kib "$BIN" "${CHECK[@]}" "$LARGEST_YAML")
heap_empty=$(peak_heap_kib "$BIN" "${CHECK[@]}" "$WORK/empty.yaml")
largest_kib=$(python3 -c "print($(stat -c %s "$LARGEST")/1024)")
largest_yaml_kib=$(python3 -c "print($(stat -c %s "$LARGEST_YAML")/1024)")
grown_kib=$((mem_one - mem_empty))
# The heap a template adds: the peak above an empty template's, over the template's size.
heap_row() {
  if [ "$2" = '?' ] || [ "$heap_empty" = '?' ]; then
    echo "| peak heap, $1 | (valgrind missing) | | | < 10× | not measured |"
    return
  fi
  local grown=$(($2 - heap_empty))
  echo "| peak heap, $1, above an empty template's run ($heap_empty KiB) | +$grown KiB ($2 KiB in all) | the template's size $4 | $(python3 -c "print(f'{$grown/$3:.2f}')")× | < 10× | $(verdict "$grown" "< 10 * $3") |"
}

# The peers, each run once first to count what it reports and to catch a crash (that run is
# also their warm-up).
if [ "$PEERS" = 1 ]; then
  cfnlint_version=$("$VENV/bin/cfn-lint" --version | awk '{print $2}')
  checkov_version=$("$VENV/bin/checkov" --version)
  # cfn-lint 1.58.0 stops the whole run with a traceback (AttributeError: 'list_node' object has
  # no attribute 'items') on this macro example, whose Resources is a list: left out of its run.
  grep -v 'MacrosExamples/ShortHand/example.template$' "$WORK/cfn.list" >"$WORK/cfn-lint.list"
  cfnlint_files=$(grep -c . "$WORK/cfn-lint.list")
  cat >"$WORK/cfn-lint.sh" <<EOF
#!/usr/bin/env bash
mapfile -t files <"$WORK/cfn-lint.list"
"$VENV/bin/cfn-lint" --format parseable "\${files[@]}"
exit 0
EOF
  # checkov's IAM policy checks for Terraform (\`checkov --list --framework terraform\`): every
  # check that reads a policy document or a trust policy, not the password-policy or attachment ones.
  CHECKOV_IAM=CKV_AWS_1,CKV_AWS_49,CKV_AWS_60,CKV_AWS_61,CKV_AWS_62,CKV_AWS_63,CKV_AWS_107,CKV_AWS_108,CKV_AWS_109,CKV_AWS_110,CKV_AWS_111,CKV_AWS_283,CKV_AWS_286,CKV_AWS_287,CKV_AWS_288,CKV_AWS_289,CKV_AWS_290,CKV_AWS_355,CKV_AWS_356,CKV_AWS_358,CKV_AWS_393,CKV2_AWS_40
  tf_dirs=()
  for dir in "${TF[@]}"; do tf_dirs+=(-d "$dir"); done
  cat >"$WORK/checkov.sh" <<EOF
#!/usr/bin/env bash
"$VENV/bin/checkov" ${tf_dirs[*]} --framework terraform --check $CHECKOV_IAM --compact --quiet --skip-download
exit 0
EOF
  chmod +x "$WORK/cfn-lint.sh" "$WORK/checkov.sh"
  echo "measuring the peers (runs per command: $PEER_RUNS; minutes)..." >&2
  "$WORK/cfn-lint.sh" >"$WORK/cfn-lint.out" 2>&1
  if grep -q Traceback "$WORK/cfn-lint.out"; then
    echo "bench-templates.sh: cfn-lint crashed: $(tail -1 "$WORK/cfn-lint.out")" >&2
    exit 1
  fi
  cfnlint_found=$(grep -c -E ':[EWI][0-9]+:' "$WORK/cfn-lint.out" || true)
  "$WORK/checkov.sh" >"$WORK/checkov.out" 2>&1
  checkov_failed=$(awk -F'Failed checks: ' '/Failed checks/ {split($2, a, ","); print a[1]; exit}' "$WORK/checkov.out")
  cfnlint=$(WARMUP=0 median "$PEER_RUNS" "$WORK/cfn-lint.sh")
  checkov=$(WARMUP=0 median "$PEER_RUNS" "$WORK/checkov.sh")
  mem_cfnlint=$(peak_kib "$WORK/cfn-lint.sh")
  mem_checkov=$(peak_kib "$WORK/checkov.sh")
fi
iamlint_cfn_found=$("$BIN" "${CHECK[@]}" "$CFN" | grep -c . || true)
iamlint_tf_found=$("$BIN" "${CHECK[@]}" "${TF[@]}" | grep -c . || true)

mib() { python3 -c "print(f'{$1/1024:.1f} MiB')"; }
echo
echo "Templates: measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(cpu_model)), hyperfine medians;"
echo "$(basename "$CFN") at $(git -C "$CFN" rev-parse --short HEAD 2>/dev/null || echo '?') ($cfn_files files),"
for dir in "${TF[@]}"; do echo "$(basename "$dir") at $(git -C "$dir" rev-parse --short HEAD 2>/dev/null || echo '?'),"; done
echo "$tf_files files in all; iamlint $("$BIN" --version | awk '{print $2}')."
echo
echo "| figure | measured | baseline (same run) | ratio | target | |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| CloudFormation: all $cfn_files files of aws-cloudformation-templates, all rules, one process | $(ms "$cfn") | bare parse (saphyr-parser events, serde_json) $(ms "$cfn_base") | $(ratio "$cfn" "$cfn_base")× | ≤ 3× | $(verdict "$(ratio "$cfn" "$cfn_base")" "<= 3") |"
echo "| one template, the largest ($(basename "$LARGEST"), $(kib "$LARGEST")), process start to exit | $(ms "$one") | \`true\` $(ms "$empty") | $(ratio "$one" "$empty")× | < 5 ms | $(verdict "$one" "< 0.005") |"
echo "| one YAML template, the largest ($(basename "$LARGEST_YAML"), $(kib "$LARGEST_YAML")), process start to exit | $(ms "$one_yaml") | \`true\` $(ms "$empty") | $(ratio "$one_yaml" "$empty")× | < 5 ms | $(verdict "$one_yaml" "< 0.005") |"
heap_row "the largest template" "$heap_one" "$largest_kib" "$(kib "$LARGEST")"
heap_row "the largest YAML template" "$heap_one_yaml" "$largest_yaml_kib" "$(kib "$LARGEST_YAML")"
echo "| peak RSS, the largest template, above an empty template's run ($(mib "$mem_empty")): the heap and the executable's pages the rules touch | +$grown_kib KiB ($(mib "$mem_one") in all) | the template's size $(kib "$LARGEST") | $(python3 -c "print(f'{$grown_kib/$largest_kib:.2f}')")× | (not a target) | |"
echo "| peak memory, all $cfn_files files | $(mib "$mem_cfn") | bare parse $(mib "$mem_cfn_base") | $(ratio "$mem_cfn" "$mem_cfn_base")× | (not a target) | |"
echo "| Terraform: all $tf_files files of terraform-aws-iam and terraform-aws-s3-bucket, all rules, one process | $(ms "$tf") | bare \`hcl-edit\` parse $(ms "$tf_base") | $(ratio "$tf" "$tf_base")× | ≤ 3× | $(verdict "$(ratio "$tf" "$tf_base")" "<= 3") |"
echo "| peak memory, all $tf_files files | $(mib "$mem_tf") | bare parse $(mib "$mem_tf_base") | $(ratio "$mem_tf" "$mem_tf_base")× | (not a target) | |"
if [ "$PEERS" = 1 ]; then
  echo
  echo "Side by side on the same files (the peers' time over iamlint's: how many times longer they take):"
  echo
  echo "| tool | files | findings | time | peak memory | time against iamlint |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| iamlint, every rule | $cfn_files CloudFormation | $iamlint_cfn_found | $(ms "$cfn") | $(mib "$mem_cfn") | 1× |"
  echo "| cfn-lint $cfnlint_version, every rule | $cfnlint_files CloudFormation (one left out: it crashes cfn-lint) | $cfnlint_found | $(ms "$cfnlint") | $(mib "$mem_cfnlint") | $(ratio "$cfnlint" "$cfn")× |"
  echo "| iamlint, every rule | $tf_files Terraform | $iamlint_tf_found | $(ms "$tf") | $(mib "$mem_tf") | 1× |"
  echo "| checkov $checkov_version, its 22 IAM policy checks | $tf_files Terraform | $checkov_failed failed checks | $(ms "$checkov") | $(mib "$mem_checkov") | $(ratio "$checkov" "$tf")× |"
fi

#!/usr/bin/env bash
# Runs the offline policy runner (npm run policy) over every *.json state file in a
# folder -- by default ../shared/real-exports beside the repository, real
# `pulumi stack export` files and checkpoints from public Pulumi repositories --
# and fails unless each one gets a verdict: exit 0 or 1 with a JSON report written.
# Exit 2 (the runner refused the file), 3 (internal error), a crash or a missing
# report fails the check. A folder that does not exist is skipped with a message.
#
#   tools/check-real-exports.sh [FOLDER] [--keep DIR] [--spawn]
#
# By default one Node process runs the CLI's main() for each file in turn (the
# code `npm run policy` runs, without paying Node's start-up 71 times); --spawn
# starts `node tools/policy.ts` once per file instead (JOBS in parallel, default
# the number of CPUs). --keep DIR keeps each file's log and JSON report in DIR
# (otherwise a temporary folder, removed when every file passed).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
self="$repo_root/tools/check-real-exports.sh"

# One file: prints "<exit code> <file name>", or "missing-json <file name>".
run_one() {
  local file="$1" out="$2" name code=0
  name="$(basename "$file")"
  rm -f "$out/$name.report.json"
  (cd "$repo_root" && node -r ./tools/ts-register.js tools/policy.ts --state "$file" --json "$out/$name.report.json") \
    >"$out/$name.log" 2>&1 || code=$?
  if [[ "$code" == 0 || "$code" == 1 ]] && [[ ! -s "$out/$name.report.json" ]]; then
    code="missing-json"
  fi
  echo "$code $name"
}

if [[ "${1:-}" == "--one" ]]; then
  run_one "$2" "$3"
  exit 0
fi

folder="$repo_root/../shared/real-exports"
keep=""
spawn=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep="${2:?--keep needs a folder}"; shift 2 ;;
    --spawn) spawn=1; shift ;;
    -h|--help) sed -n '2,15p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-real-exports: unknown option $1" >&2; exit 2 ;;
    *) folder="$1"; shift ;;
  esac
done

if [[ ! -d "$folder" ]]; then
  echo "check-real-exports: $folder does not exist; skipped"
  exit 0
fi
folder="$(cd "$folder" && pwd)"

mapfile -d '' files < <(find "$folder" -maxdepth 1 -type f -name '*.json' -print0 | sort -z)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "check-real-exports: no *.json files in $folder" >&2
  exit 1
fi

if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  out="$(cd "$keep" && pwd)"
else
  out="$(mktemp -d)"
fi

jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
started="$(date +%s%N)"
batch_status=0
if [[ -n "$spawn" ]]; then
  printf '%s\0' "${files[@]}" | xargs -0 -P "$jobs" -I{} "$self" --one {} "$out" >"$out/results.txt" || batch_status=$?
else
  # Same contract as run_one: "<exit code> <file name>" per file, the log and report in $out.
  (cd "$repo_root" && node -r ./tools/ts-register.js - "$out" "${files[@]}" >"$out/results.txt" 2>"$out/batch.log") <<'NODE' || batch_status=$?
const fs = require("fs");
const path = require("path");
const { main } = require("./tools/policy.ts");
const [out, ...files] = process.argv.slice(2);
const { log, error } = console;
for (const file of files) {
  const name = path.basename(file);
  const report = path.join(out, `${name}.report.json`);
  const lines = [];
  fs.rmSync(report, { force: true });
  console.log = console.error = (...items) => void lines.push(items.join(" "));
  let code;
  try {
    code = main(["--state", file, "--json", report]);
  } catch (thrown) {
    code = `crash(${thrown && thrown.message})`;
  } finally {
    console.log = log;
    console.error = error;
  }
  fs.writeFileSync(path.join(out, `${name}.log`), lines.join("\n") + "\n");
  const written = fs.existsSync(report) && fs.statSync(report).size > 0;
  log(`${(code === 0 || code === 1) && !written ? "missing-json" : String(code).replace(/\s+/g, "_")} ${name}`);
}
NODE
fi
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))

declare -A result=()
while read -r code name; do
  result[$name]="$code"
done <"$out/results.txt"

passed=0
failed=0
declare -A by_code=()
for file in "${files[@]}"; do
  name="$(basename "$file")"
  code="${result[$name]:-no-result}"
  by_code[$code]=$(( ${by_code[$code]:-0} + 1 ))
  if [[ "$code" == 0 || "$code" == 1 ]]; then
    passed=$((passed + 1))
    continue
  fi
  failed=$((failed + 1))
  case "$code" in
    missing-json) why="no JSON report" ;;
    no-result) why="no verdict (the run stopped, exit $batch_status: $(grep -m 1 -E '^[A-Za-z]*Error' "$out/batch.log" 2>/dev/null || true))" ;;
    *) why="exit $code" ;;
  esac
  echo "FAIL $name: $why: $(head -n 1 "$out/$name.log" 2>/dev/null || true)" >&2
done

summary=""
for code in $(printf '%s\n' "${!by_code[@]}" | sort); do
  summary+="${summary:+, }${by_code[$code]} × exit $code"
done
printf 'check-real-exports: %d files from %s in %d.%03d s (%s): %d with a verdict, %d without\n' \
  "${#files[@]}" "$folder" $((elapsed_ms / 1000)) $((elapsed_ms % 1000)) "$summary" "$passed" "$failed"

if [[ "$failed" -gt 0 ]]; then
  echo "check-real-exports: logs and reports in $out" >&2
  exit 1
fi
if [[ -z "$keep" ]]; then
  rm -rf "$out"
fi

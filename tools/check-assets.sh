#!/usr/bin/env bash
# Lints every host asset with the tools that run them: renders the assets of every
# stack into a temporary folder (tools/render-assets.ts), then runs
#   - shellcheck on every script in assets/, every rendered user data and every embedded script;
#   - promtool check config on prometheus.yml;
#   - docker-compose config -q on docker-compose.yml;
#   - yamllint (strict, assets/monitoring/yamllint.yml) on every rendered YAML file;
#   - systemd-analyze verify on every embedded systemd unit, when systemd-analyze is installed
#     (Debian's systemd package). It also reports what only the host has (docker.service,
#     /usr/local/bin/minikube, /usr/bin/docker); those lines are expected here and ignored, any
#     other line (an unknown key or section, a bad value) fails.
# Fails on any finding. Installs nothing: CI installs shellcheck, prometheus (promtool),
# docker-compose and yamllint from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in shellcheck promtool docker-compose yamllint; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-assets: $tool is not installed (apt-get install -y shellcheck prometheus docker-compose yamllint)" >&2
    exit 2
  fi
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

node -r ./tools/ts-register.js tools/render-assets.ts --out "$out" >"$out/render.log"
tail -n 1 "$out/render.log"

failures=0
check() {
  local label=$1
  shift
  if "$@"; then
    echo "ok    $label"
  else
    echo "FAIL  $label"
    failures=$((failures + 1))
  fi
}

mapfile -t asset_scripts < <(find assets -type f -name '*.sh' | sort)
mapfile -t user_data < <(find "$out" -type f -name user-data.sh | sort)
mapfile -t embedded_scripts < <(find "$out" -path '*/files/*' -type f -exec grep -lE '^#!/(usr/)?bin/(env )?bash' {} + | sort)
mapfile -t prometheus_configs < <(find "$out" -type f -name prometheus.yml | sort)
mapfile -t compose_files < <(find "$out" -type f -name docker-compose.yml | sort)
mapfile -t yaml_files < <(find "$out" -path '*/files/*' -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
mapfile -t unit_files < <(find "$out" -path '*/files/etc/systemd/system/*' -type f -name '*.service' | sort)

# systemd-analyze verify, minus what exists only on the host.
verify_units() {
  local findings
  findings=$(systemd-analyze verify --man=no "$@" 2>&1 |
    grep -vE "Unit docker\.service not found|Command /usr/(local/)?bin/[a-z-]+ is not executable: No such file or directory" || true)
  if [ -n "$findings" ]; then
    printf '%s\n' "$findings"
    return 1
  fi
}

if [ "${#user_data[@]}" -eq 0 ] || [ "${#compose_files[@]}" -eq 0 ] || [ "${#prometheus_configs[@]}" -eq 0 ]; then
  echo "check-assets: expected rendered user data, docker-compose.yml and prometheus.yml; found none (no stack builds the hosts?)" >&2
  exit 1
fi

check "shellcheck: ${#asset_scripts[@]} asset scripts" shellcheck -x "${asset_scripts[@]}"
check "shellcheck: ${#user_data[@]} rendered user data" shellcheck "${user_data[@]}"
check "shellcheck: ${#embedded_scripts[@]} embedded scripts" shellcheck "${embedded_scripts[@]}"
for file in "${prometheus_configs[@]}"; do
  check "promtool: ${file#"$out"/}" promtool check config "$file"
done
for file in "${compose_files[@]}"; do
  check "docker-compose: ${file#"$out"/}" docker-compose --project-directory "$(dirname "$file")" -f "$file" config -q
done
check "yamllint: ${#yaml_files[@]} YAML files" yamllint --strict -c assets/monitoring/yamllint.yml "${yaml_files[@]}"
if [ "${#unit_files[@]}" -eq 0 ]; then
  echo "FAIL  systemd units: none embedded (expected minikube, argocd-port-forward, monitoring-compose)"
  failures=$((failures + 1))
elif command -v systemd-analyze >/dev/null 2>&1; then
  for file in "${unit_files[@]}"; do
    check "systemd-analyze: ${file#"$out"/}" verify_units "$file"
  done
else
  echo "skip  systemd-analyze verify: systemd-analyze is not installed (apt-get install -y systemd)"
fi

if [ "$failures" -gt 0 ]; then
  echo "check-assets: $failures check(s) failed" >&2
  exit 1
fi
echo "check-assets: all checks passed"

# shellcheck shell=bash
# Functions shared by the host bootstraps. components/shared/host/user-data.ts renders the user data
# as: parameters (readonly UPPERCASE variables), everything below the @body line of
# this file, the embedded files, then the body of the host's script.
# @body

BOOTSTRAP_LOG=/var/log/data-platform-bootstrap.log
INSTALLED_DIR=/var/lib/data-platform/installed

# Append everything this script prints to the bootstrap log (and the console).
start_logging() {
  touch "$BOOTSTRAP_LOG"
  chmod 0600 "$BOOTSTRAP_LOG"
  exec > >(tee -a "$BOOTSTRAP_LOG") 2>&1
  log "bootstrap started"
}

log() {
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"
}

# require_machine MACHINE: stops unless `uname -m` is MACHINE (the pinned downloads are for it).
require_machine() {
  local actual
  actual=$(uname -m)
  if [ "$actual" != "$1" ]; then
    log "this bootstrap downloads $1 tools, but the machine is $actual"
    exit 1
  fi
}

# enable_unit UNIT: loads the systemd units, enables UNIT for every boot and starts it now
# (a no-op when it already runs, so a re-run of the bootstrap does not restart anything).
enable_unit() {
  systemctl daemon-reload
  systemctl enable "$1"
  systemctl start "$1"
}

# retry ATTEMPTS DELAY COMMAND...: runs COMMAND until it succeeds.
retry() {
  local attempts=$1 delay=$2 attempt
  shift 2
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if "$@"; then
      return 0
    fi
    log "attempt $attempt/$attempts of '$1' failed; next in ${delay}s"
    sleep "$delay"
  done
  log "giving up on '$1'"
  return 1
}

# write_file PATH MODE OWNER: writes stdin (base64 of gzip) to PATH, atomically.
write_file() {
  local path=$1 mode=$2 owner=$3 tmp
  install -d -m 0755 "$(dirname "$path")"
  tmp=$(mktemp "$path.XXXXXX")
  base64 -d | gunzip >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv -f "$tmp" "$path"
}

# download URL DEST: fetches URL to DEST (retried; fails on HTTP errors).
download() {
  retry 5 10 curl -fsSL --proto '=https' --tlsv1.2 -o "$2" "$1"
}

# verify_sha256 FILE SHA256: fails unless FILE has the checksum.
verify_sha256() {
  printf '%s  %s\n' "$2" "$1" | sha256sum --check --strict --quiet -
}

# installed NAME STAMP: true when NAME was installed with this exact STAMP (version and checksum).
installed() {
  [ -f "$INSTALLED_DIR/$1" ] && [ "$(cat "$INSTALLED_DIR/$1")" = "$2" ]
}

mark_installed() {
  install -d -m 0755 "$INSTALLED_DIR"
  printf '%s' "$2" >"$INSTALLED_DIR/$1"
}

# install_binary NAME VERSION URL SHA256 [DEST]: a pinned single-file binary.
install_binary() {
  local name=$1 version=$2 url=$3 sha=$4 dest=${5:-/usr/local/bin/$1} tmp
  if installed "$name" "$version $sha"; then
    log "$name $version already installed"
    return 0
  fi
  tmp=$(mktemp)
  download "$url" "$tmp"
  verify_sha256 "$tmp" "$sha"
  install -D -m 0755 "$tmp" "$dest"
  rm -f "$tmp"
  mark_installed "$name" "$version $sha"
  log "installed $name $version"
}

# install_from_tarball NAME VERSION URL SHA256 MEMBER: a pinned binary inside a .tar.gz.
install_from_tarball() {
  local name=$1 version=$2 url=$3 sha=$4 member=$5 tmp dir
  if installed "$name" "$version $sha"; then
    log "$name $version already installed"
    return 0
  fi
  tmp=$(mktemp)
  dir=$(mktemp -d)
  download "$url" "$tmp"
  verify_sha256 "$tmp" "$sha"
  tar -xzf "$tmp" -C "$dir" "$member"
  install -m 0755 "$dir/$member" "/usr/local/bin/$name"
  rm -rf "$tmp" "$dir"
  mark_installed "$name" "$version $sha"
  log "installed $name $version"
}

# install_vendor_checked NAME VERSION URL SUMS_URL ASSET: a pinned binary whose checksum is
# read from the vendor's checksum file of the same release (no checksum pinned here).
install_vendor_checked() {
  local name=$1 version=$2 url=$3 sums_url=$4 asset=$5 tmp sums sha
  if installed "$name" "$version"; then
    log "$name $version already installed"
    return 0
  fi
  tmp=$(mktemp)
  sums=$(mktemp)
  download "$sums_url" "$sums"
  sha=$(awk -v asset="$asset" '$2 == asset || $2 == "*" asset { print $1 }' "$sums")
  if [ -z "$sha" ]; then
    log "no checksum for $asset in $sums_url"
    return 1
  fi
  download "$url" "$tmp"
  verify_sha256 "$tmp" "$sha"
  install -m 0755 "$tmp" "/usr/local/bin/$name"
  rm -f "$tmp" "$sums"
  mark_installed "$name" "$version"
  log "installed $name $version (sha256 $sha from the vendor's checksum file)"
}

# secret_field SECRET_ARN FIELD: prints one JSON field of a Secrets Manager secret.
# The platform writes secret values after the hosts exist, so this waits (60 x 10 s)
# until the secret has a current value. Never logs the value.
secret_field() {
  local secret=$1 field=$2 attempt value
  for ((attempt = 1; attempt <= 60; attempt++)); do
    if value=$(aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$secret" \
      --query SecretString --output text 2>/dev/null | jq -er --arg field "$field" '.[$field]'); then
      printf '%s' "$value"
      return 0
    fi
    log "secret field '$field' not readable yet (attempt $attempt/60)"
    sleep 10
  done
  log "secret field '$field' never became readable"
  return 1
}

# write_secret_file PATH OWNER: writes stdin to PATH, mode 0400, owned by OWNER.
write_secret_file() {
  local path=$1 owner=$2 tmp
  install -d -m 0700 "$(dirname "$path")"
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  chown "$owner" "$tmp"
  chmod 0400 "$tmp"
  mv -f "$tmp" "$path"
}

#!/bin/bash
# Monitoring host bootstrap: Docker and the Compose plugin at a pinned version for the
# host's architecture, the Grafana admin credentials from Secrets Manager into 0400
# files for Compose secrets, then the containers of components/monitoring/catalog.ts
# under a systemd unit (enabled: `docker compose up -d` at every boot, `down` at
# shutdown). components/monitoring/monitoring.ts renders the user data: parameters
# (UPPERCASE), lib.sh, the embedded config files, then everything below @body. Safe to re-run.
set -euo pipefail
# @body
start_logging
require_machine "$HOST_MACHINE"

log "installing packages"
retry 10 15 dnf install -y docker jq
systemctl enable --now docker
install_binary docker-compose "$COMPOSE_VERSION" \
  "https://github.com/docker/compose/releases/download/${COMPOSE_VERSION}/docker-compose-linux-${COMPOSE_ASSET}" \
  "$COMPOSE_SHA256" /usr/local/lib/docker/cli-plugins/docker-compose

# Elasticsearch refuses to start with fewer memory map areas.
printf 'vm.max_map_count = 262144\n' >/etc/sysctl.d/90-elasticsearch.conf
sysctl -q -p /etc/sysctl.d/90-elasticsearch.conf

log "reading the Grafana admin credentials"
user=$(secret_field "$GRAFANA_SECRET_ARN" username)
password=$(secret_field "$GRAFANA_SECRET_ARN" password)
printf '%s' "$user" | write_secret_file "$GRAFANA_USER_FILE" "$GRAFANA_UID"
printf '%s' "$password" | write_secret_file "$GRAFANA_PASSWORD_FILE" "$GRAFANA_UID"
unset user password

log "starting the monitoring containers (${MONITORING_UNIT}, enabled for every boot)"
enable_unit "$MONITORING_UNIT"
log "monitoring containers are up in ${MONITORING_DIR}"

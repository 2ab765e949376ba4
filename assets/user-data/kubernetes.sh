#!/bin/bash
# Kubernetes host bootstrap: Docker, minikube (docker driver, run by an unprivileged
# user), kubectl, Helm and the ArgoCD CLI at pinned versions for the host's
# architecture, then ArgoCD from its Helm chart with the admin password from Secrets
# Manager, bcrypt-hashed on the host. minikube and the ArgoCD forward run under
# systemd units (enabled), so they come back after a stop, start or reboot.
# components/kubernetes/kubernetes.ts renders the user data: parameters (UPPERCASE),
# lib.sh, the embedded unit files, then everything below @body. Safe to re-run.
set -euo pipefail
# @body
start_logging
require_machine "$HOST_MACHINE"

# The unprivileged user that owns the cluster; the systemd units run as the same user.
readonly MINIKUBE_USER=minikube
readonly ARGOCD_NAMESPACE=argocd

as_minikube() {
  runuser -u "$MINIKUBE_USER" -- env HOME="/home/$MINIKUBE_USER" PATH=/usr/local/bin:/usr/bin:/bin "$@"
}

log "installing packages"
retry 10 15 dnf install -y docker jq socat httpd-tools
systemctl enable --now docker

id -u "$MINIKUBE_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$MINIKUBE_USER"
usermod -aG docker "$MINIKUBE_USER"

install_binary minikube "$MINIKUBE_VERSION" \
  "https://github.com/kubernetes/minikube/releases/download/${MINIKUBE_VERSION}/minikube-linux-${TOOL_ARCH}" "$MINIKUBE_SHA256"
install_binary kubectl "$KUBECTL_VERSION" \
  "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TOOL_ARCH}/kubectl" "$KUBECTL_SHA256"
install_from_tarball helm "$HELM_VERSION" \
  "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TOOL_ARCH}.tar.gz" "$HELM_SHA256" "linux-${TOOL_ARCH}/helm"
install_vendor_checked argocd "$ARGOCD_VERSION" \
  "https://github.com/argoproj/argo-cd/releases/download/${ARGOCD_VERSION}/argocd-linux-${TOOL_ARCH}" \
  "https://github.com/argoproj/argo-cd/releases/download/${ARGOCD_VERSION}/cli_checksums.txt" "argocd-linux-${TOOL_ARCH}"

log "starting minikube (enabled for every boot)"
enable_unit minikube.service

log "hashing the ArgoCD admin password"
password=$(secret_field "$ARGOCD_SECRET_ARN" password)
# htpasswd reads the password from stdin (never from the command line); ArgoCD wants $2a$.
hash=$(printf '%s' "$password" | htpasswd -niBC 10 admin | head -n 1 | cut -d: -f2-)
unset password
hash=${hash/#\$2y\$/\$2a\$}
if [ -z "$hash" ]; then
  log "could not hash the ArgoCD admin password"
  exit 1
fi

values="/home/$MINIKUBE_USER/argocd-values.yaml"
install -m 0600 -o "$MINIKUBE_USER" -g "$MINIKUBE_USER" /dev/null "$values"
cat >"$values" <<VALUES
server:
  service:
    type: NodePort
    nodePortHttp: ${ARGOCD_NODE_PORT}
configs:
  secret:
    argocdServerAdminPassword: "${hash}"
VALUES

log "installing ArgoCD chart ${ARGOCD_CHART_VERSION}"
retry 3 30 as_minikube helm repo add argo https://argoproj.github.io/argo-helm --force-update
retry 3 60 as_minikube helm upgrade --install argocd argo/argo-cd --version "$ARGOCD_CHART_VERSION" \
  --namespace "$ARGOCD_NAMESPACE" --create-namespace --values "$values" --wait --timeout 15m
rm -f "$values"

enable_unit argocd-port-forward.service
# A re-run may follow a new minikube start (a new node address): restart the forward.
systemctl restart argocd-port-forward.service
log "ArgoCD serves on port ${ARGOCD_NODE_PORT} of this host (npm run tunnel -- --stack <stack> argocd)"

#!/bin/bash
# With the docker driver, NodePorts listen on the minikube node container's IP
# (192.168.49.x), not on the host. This forwards the host's port to the same
# NodePort on the node: SSM port forwarding (npm run tunnel) connects to it on the
# host, and with hosts.publicAdminIngress the kubernetes group opens it to the admin CIDRs.
set -euo pipefail
port=${ARGOCD_NODE_PORT:?set in /etc/data-platform/minikube.env}
node_ip=$(minikube ip)
exec socat "TCP-LISTEN:${port},fork,reuseaddr" "TCP:${node_ip}:${port}"

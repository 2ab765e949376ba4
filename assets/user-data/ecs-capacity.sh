#!/bin/bash
# User data of the ECS container instances: joins the instance to its cluster. The ECS-optimized
# Amazon Linux 2023 AMI starts the container agent after cloud-init has run this script, and the agent
# reads /etc/ecs/ecs.config when it starts.
# components/containers/capacity.ts renders it: the @parameters line becomes
# `readonly ECS_CLUSTER_NAME='<cluster>'`.
set -euo pipefail
# @parameters
: "${ECS_CLUSTER_NAME:?capacity.ts sets ECS_CLUSTER_NAME}"

install -d -m 0755 /etc/ecs
# ECS_ENABLE_TASK_IAM_ROLE: tasks get their own role's credentials from the agent (169.254.170.2).
# ECS_AWSVPC_BLOCK_IMDS: awsvpc tasks cannot reach the instance metadata service (and the instance role).
cat >>/etc/ecs/ecs.config <<CONFIG
ECS_CLUSTER=${ECS_CLUSTER_NAME}
ECS_ENABLE_TASK_IAM_ROLE=true
ECS_AWSVPC_BLOCK_IMDS=true
CONFIG

#!/usr/bin/env bash
# Renders a docs/iam/*.json template for one environment: replaces every <NAME> with the value given as
# NAME=value and refuses to print a document that still holds a placeholder (an unrendered ARN grants nothing).
#
#   docs/iam/render.sh docs/iam/deployer-policy.json ENV=dev ACCOUNT_ID=111122223333 REGION=us-east-2 \
#       STATE_BUCKET=acme-pulumi-state > deployer-dev.json
set -euo pipefail

if [[ $# -lt 2 || ! -f $1 ]]; then
    echo "usage: $0 TEMPLATE.json NAME=value [NAME=value ...]   (placeholders look like <NAME>)" >&2
    exit 2
fi

template=$1
shift
text=$(<"$template")

for pair in "$@"; do
    name=${pair%%=*}
    value=${pair#*=}
    if [[ ! $name =~ ^[A-Z_]+$ || $pair != *=* ]]; then
        echo "$0: '$pair' is not NAME=value (NAME in capitals, as in <NAME>)" >&2
        exit 2
    fi
    if [[ ! $value =~ ^[A-Za-z0-9._/-]+$ ]]; then
        echo "$0: $name='$value': only letters, digits, '.', '_', '/' and '-' belong in an ARN here" >&2
        exit 2
    fi
    text=${text//"<$name>"/$value}
done

left=$(grep -o '<[A-Z_]*>' <<<"$text" | sort -u | tr '\n' ' ' || true)
if [[ -n $left ]]; then
    echo "$0: $template still has placeholders: $left- pass them as NAME=value" >&2
    exit 2
fi
printf '%s\n' "$text"

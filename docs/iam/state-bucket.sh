#!/usr/bin/env bash
# Creates (or brings into line) the S3 bucket that holds Pulumi's state for a DIY backend: versioned,
# encrypted (SSE-S3 by default, SSE-KMS with --kms-key-id), all public access blocked, ACLs disabled
# (BucketOwnerEnforced), a TLS-only bucket policy, old state versions expiring after 90 days.
# Safe to re-run. Run it once, with administrator credentials, in the account that keeps the state.
#
#   docs/iam/state-bucket.sh BUCKET REGION [--kms-key-id KEY_ARN] [--allow-account ACCOUNT_ID]...
#
# --allow-account lets another account's IAM policies (the deployer and CI roles of an environment that
# lives in its own account) reach the state; their own policies then narrow it to their stack.
set -euo pipefail

usage() {
    echo "usage: $0 BUCKET REGION [--kms-key-id KEY_ARN] [--allow-account ACCOUNT_ID]..." >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
bucket=$1
region=$2
shift 2
kms_key=""
accounts=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --kms-key-id)
            [[ $# -ge 2 ]] || usage
            kms_key=$2
            shift 2
            ;;
        --allow-account)
            [[ $# -ge 2 && $2 =~ ^[0-9]{12}$ ]] || { echo "$0: --allow-account takes a 12-digit account id" >&2; exit 2; }
            accounts+=("$2")
            shift 2
            ;;
        *) usage ;;
    esac
done

[[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || { echo "$0: '$bucket' is not a valid S3 bucket name" >&2; exit 2; }
[[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || { echo "$0: '$region' is not an AWS region name" >&2; exit 2; }
[[ -z $kms_key || $kms_key =~ ^arn:aws[a-z-]*:kms: ]] || { echo "$0: --kms-key-id takes a key ARN" >&2; exit 2; }
command -v aws >/dev/null || {
    echo "$0: needs the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)" >&2
    exit 2
}

s3api() { aws s3api --region "$region" "$@"; }

if s3api head-bucket --bucket "$bucket" 2>/dev/null; then
    echo "bucket $bucket exists: bringing its settings into line"
elif [[ $region == us-east-1 ]]; then
    s3api create-bucket --bucket "$bucket" >/dev/null
else
    s3api create-bucket --bucket "$bucket" --create-bucket-configuration "LocationConstraint=$region" >/dev/null
fi

s3api put-public-access-block --bucket "$bucket" \
    --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
s3api put-bucket-ownership-controls --bucket "$bucket" --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled

if [[ -n $kms_key ]]; then
    encryption='{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'"$kms_key"'"},"BucketKeyEnabled":true}]}'
else
    encryption='{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
fi
s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration "$encryption"

s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration \
    '{"Rules":[{"ID":"expire-old-state-versions","Status":"Enabled","Filter":{"Prefix":""},"NoncurrentVersionExpiration":{"NoncurrentDays":90},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}}]}'

statements='{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::'"$bucket"'","arn:aws:s3:::'"$bucket"'/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}'
if [[ ${#accounts[@]} -gt 0 ]]; then
    principals=""
    for account in "${accounts[@]}"; do
        principals+="${principals:+,}\"arn:aws:iam::$account:root\""
    done
    statements+=',{"Sid":"OtherAccountsList","Effect":"Allow","Principal":{"AWS":['"$principals"']},"Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::'"$bucket"'"}'
    statements+=',{"Sid":"OtherAccountsState","Effect":"Allow","Principal":{"AWS":['"$principals"']},"Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::'"$bucket"'/.pulumi/*"}'
fi
s3api put-bucket-policy --bucket "$bucket" --policy '{"Version":"2012-10-17","Statement":['"$statements"']}'

echo "state bucket ready. Log in with:"
echo "  pulumi login 's3://$bucket?region=$region&awssdk=v2'"

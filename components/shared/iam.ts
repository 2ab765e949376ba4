import * as pulumi from "@pulumi/pulumi";

/**
 * IAM policy documents, built in code (never the getPolicyDocument invoke) so the
 * tests, the simulator and the policy pack read the document AWS will get.
 */

/** One statement. Values may be outputs (ARNs); `policyDocument` resolves them. */
export type PolicyStatement = Readonly<Record<string, unknown>>;

/** `{ Version: "2012-10-17", Statement: [...] }` as a JSON string output. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * A trust policy that lets one AWS service assume the role. `sourceAccount` adds the
 * `aws:SourceAccount` condition; give it only where the service documents sending
 * that key, or the service can never assume the role.
 */
export function serviceTrustPolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
        },
    ]);
}

/** KMS actions on one key, only when the given service calls KMS on the caller's behalf. */
export function keyUseVia(
    sid: string,
    keyArn: pulumi.Input<string> | undefined,
    actions: readonly string[],
    service: string,
    region: string,
): PolicyStatement[] {
    if (keyArn === undefined) return [];
    return [
        {
            Sid: sid,
            Effect: "Allow",
            Action: [...actions],
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com` } },
        },
    ];
}

/** Where the stack runs: what ARNs of its own resources are built from. */
export interface AccountContext {
    readonly partition: pulumi.Input<string>;
    readonly account: pulumi.Input<string>;
    readonly region: string;
}

/** ARN of the log groups matching a name pattern (`*` allowed) in the stack's account and region. */
export function logGroupArn(ctx: AccountContext, namePattern: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${namePattern}`;
}

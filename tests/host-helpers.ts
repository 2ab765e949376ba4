import * as assert from "assert";
import { RecordedResource, revealSecrets } from "../tools/mock-cloud";
import { ProgramRun } from "../tools/run-program";
import { inputsOf, jsonInput, ofType } from "./helpers";

/** Helpers shared by the host specs (kubernetes, monitoring). */

export const INSTANCE = "aws:ec2/instance:Instance";
export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const PROFILE = "aws:iam/instanceProfile:InstanceProfile";
export const EIP = "aws:ec2/eip:Eip";
export const EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";
export const KEY_PAIR = "aws:ec2/keyPair:KeyPair";
export const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECRET = "aws:secretsmanager/secret:Secret";
export const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

/** The children of the host component `${env}-<tier>` of a given type. */
export function hostChildren(run: ProgramRun, tier: string, type: string): RecordedResource[] {
    const component = run.resources.find((r) => !r.custom && r.name === `${envOf(run)}-${tier}`);
    assert.ok(component, `no ${tier} host component`);
    return ofType(run, type).filter((r) => r.parent === component.urn);
}

export function hostChild(run: ProgramRun, tier: string, type: string): RecordedResource {
    const children = hostChildren(run, tier, type);
    assert.strictEqual(children.length, 1, `expected one ${type} under the ${tier} host, found ${children.length}`);
    return children[0];
}

function envOf(run: ProgramRun): string {
    const vpc = ofType(run, "aws:ec2/vpc:Vpc")[0];
    return inputsOf(vpc).tags.Environment;
}

export function userDataOf(run: ProgramRun, tier: string): string {
    const userData = inputsOf(hostChild(run, tier, INSTANCE)).userData;
    assert.strictEqual(typeof userData, "string");
    return userData as string;
}

/** Every value the `random` provider generated in the run (passwords, keys). */
export function generatedSecrets(run: ProgramRun): string[] {
    return ofType(run, "random:index/randomPassword:RandomPassword")
        .map((r) => revealSecrets(r.outputs.result))
        .filter((value): value is string => typeof value === "string" && value.length > 0);
}

/** The statements of the host's inline policy. */
export function statementsOf(run: ProgramRun, tier: string): any[] {
    return jsonInput(hostChild(run, tier, ROLE_POLICY), "policy").Statement;
}

/** The secret whose physical name ends with `-<suffix>`. */
export function secretNamed(run: ProgramRun, suffix: string): RecordedResource {
    const matches = ofType(run, SECRET).filter((s) => String(s.outputs.name).endsWith(suffix));
    assert.strictEqual(matches.length, 1, `expected one secret *${suffix}`);
    return matches[0];
}

/** Ingress rules of the firewall group named `${env}-firewall-<group>`: "protocol from-to source". */
export function ingressOf(run: ProgramRun, group: string): string[] {
    const sg = ofType(run, SECURITY_GROUP).find((g) => g.name.endsWith(`-firewall-${group}`));
    assert.ok(sg, `no ${group} security group`);
    return ofType(run, INGRESS).map(inputsOf).filter((rule) => rule.securityGroupId === sg.id)
        .map((rule) => `${rule.ipProtocol} ${rule.fromPort}-${rule.toPort} ${rule.cidrIpv4 ?? rule.cidrIpv6 ?? `sg:${rule.referencedSecurityGroupId}`}`)
        .sort();
}

/** `PASSWORD=<literal>` anywhere (a shell assignment from `$(...)` is not a literal). */
export const LITERAL_PASSWORD = /PASSWORD=(?!\$\()/i;

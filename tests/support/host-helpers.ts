import * as assert from "assert";
import { RecordedResource, revealSecrets } from "../../tools/mock-cloud";
import { ProgramRun } from "../../tools/run-program";
import { inputsOf, jsonInput, ofType } from "./helpers";
import { TYPE } from "../../policy-pack/policies/types";

/** Helpers shared by the host specs (kubernetes, monitoring). */

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
    const vpc = ofType(run, TYPE.ec2Vpc)[0];
    return inputsOf(vpc).tags.Environment;
}

export function userDataOf(run: ProgramRun, tier: string): string {
    const userData = inputsOf(hostChild(run, tier, TYPE.ec2Instance)).userData;
    assert.strictEqual(typeof userData, "string");
    return userData as string;
}

/** Every value the `random` provider generated in the run (passwords, keys). */
export function generatedSecrets(run: ProgramRun): string[] {
    return ofType(run, TYPE.randomPassword)
        .map((r) => revealSecrets(r.outputs.result))
        .filter((value): value is string => typeof value === "string" && value.length > 0);
}

/** The statements of the host's inline policy. */
export function statementsOf(run: ProgramRun, tier: string): any[] {
    return jsonInput(hostChild(run, tier, TYPE.iamRolePolicy), "policy").Statement;
}

/** The secret whose physical name ends with `-<suffix>`. */
export function secretNamed(run: ProgramRun, suffix: string): RecordedResource {
    const matches = ofType(run, TYPE.secretsmanagerSecret).filter((s) => String(s.outputs.name).endsWith(suffix));
    assert.strictEqual(matches.length, 1, `expected one secret *${suffix}`);
    return matches[0];
}

/** Ingress rules of the firewall group named `${env}-firewall-<group>`: "protocol from-to source". */
export function ingressOf(run: ProgramRun, group: string): string[] {
    const sg = ofType(run, TYPE.ec2SecurityGroup).find((g) => g.name.endsWith(`-firewall-${group}`));
    assert.ok(sg, `no ${group} security group`);
    return ofType(run, TYPE.vpcSecurityGroupIngressRule)
        .map(inputsOf)
        .filter((rule) => rule.securityGroupId === sg.id)
        .map(
            (rule) =>
                `${rule.ipProtocol} ${rule.fromPort}-${rule.toPort} ${rule.cidrIpv4 ?? rule.cidrIpv6 ?? `sg:${rule.referencedSecurityGroupId}`}`,
        )
        .sort();
}

/** `PASSWORD=<literal>` anywhere (a shell assignment from `$(...)` is not a literal). */
export const LITERAL_PASSWORD = /PASSWORD=(?!\$\()/i;

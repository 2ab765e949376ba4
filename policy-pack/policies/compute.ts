import { PackPolicy, StackResource, label, resourceRule, stackRule } from "./rules";
import { T, TYPE, isOneOf } from "./types";
import { Read, UNKNOWN, at, isOpaque, isSet, list } from "./values";

/**
 * The compute rules: auto scaling groups and the metadata hop limit. IMDSv2 on launch templates is
 * `ec2-imdsv2` and their EBS encryption `ebs-encryption`, their public IPs `ec2-no-public-ip`.
 */

const AUTOSCALING_GROUP = [TYPE.autoscalingGroup];

/** Whether a launch template reference names a template (id or name): true, false or UNKNOWN. */
function namesTemplate(reference: Read, idKey: string, nameKey: string): boolean | typeof UNKNOWN {
    if (reference === undefined || reference === null) return false;
    if (isOpaque(reference)) return UNKNOWN;
    const id = at(reference, idKey);
    const name = at(reference, nameKey);
    if (isSet(id) || isSet(name)) return true;
    return isOpaque(id) || isOpaque(name) ? UNKNOWN : false;
}

export const asgLaunchTemplate = resourceRule({
    name: "asg-launch-template",
    description:
        "Auto scaling groups launch from an EC2 launch template (launchTemplate, or mixedInstancesPolicy.launchTemplate), never from a launch configuration, which gets no new EC2 features (no IMDSv2 hop settings, no gp3 throughput, no new instance types).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: AUTOSCALING_GROUP,
    references: { checkov: ["CKV_AWS_315"], securityHub: ["AutoScaling.9"] },
    check: (resource, findings) => {
        const name = label(resource);
        const configuration = at(resource.props, "launchConfiguration");
        if (configuration === UNKNOWN) return findings.unknown("launchConfiguration");
        if (isSet(configuration)) {
            return findings.violation(`${name} launches from a launch configuration; use a launch template (AutoScaling.9, CKV_AWS_315).`);
        }
        const direct = namesTemplate(at(resource.props, "launchTemplate"), "id", "name");
        const mixed = namesTemplate(
            at(resource.props, "mixedInstancesPolicy", "launchTemplate", "launchTemplateSpecification"),
            "launchTemplateId",
            "launchTemplateName",
        );
        if (direct === true || mixed === true) return;
        if (direct === UNKNOWN || mixed === UNKNOWN) return findings.unknown("launchTemplate");
        findings.violation(`${name} names no launch template (launchTemplate.id/name or mixedInstancesPolicy.launchTemplate) (AutoScaling.9).`);
    },
});

/** The subnets of the stack with a given id. */
function subnetsWithId(subnets: readonly StackResource[], id: string): StackResource[] {
    return subnets.filter((subnet) => at(subnet.props, "id") === id);
}

interface Coverage {
    /** Distinct AZs known to be covered. */
    readonly zones: Set<string>;
    /** Entries (subnets or zones) listed. */
    readonly entries: number;
    /** True when some entry's AZ could not be read (unknown id, subnet not in the stack, unknown AZ). */
    readonly unresolved: boolean;
}

function subnetCoverage(ids: readonly unknown[], subnets: readonly StackResource[]): Coverage {
    const zones = new Set<string>();
    let unresolved = false;
    for (const id of ids) {
        const matches = typeof id === "string" ? subnetsWithId(subnets, id) : [];
        if (matches.length !== 1) {
            unresolved = true;
            continue;
        }
        const zone = at(matches[0].props, "availabilityZone") ?? at(matches[0].props, "availabilityZoneId");
        if (typeof zone === "string" && zone !== "") zones.add(zone);
        else unresolved = true;
    }
    return { zones, entries: ids.length, unresolved };
}

function zoneCoverage(azs: readonly unknown[]): Coverage {
    const zones = new Set(azs.filter((zone): zone is string => typeof zone === "string" && zone !== ""));
    return { zones, entries: azs.length, unresolved: zones.size < azs.filter((zone) => zone !== undefined && zone !== null).length };
}

export const asgMultiAz = stackRule<{ minAvailabilityZones: number }>({
    name: "asg-multi-az",
    description:
        "Auto scaling groups span at least minAvailabilityZones (default 2) availability zones: their vpcZoneIdentifiers subnets (resolved to the subnets of the stack) or availabilityZones, so the loss of one zone leaves capacity to reschedule on.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: [...AUTOSCALING_GROUP, ...T.subnet],
    references: { checkov: [], securityHub: ["AutoScaling.2"] },
    parameters: {
        schema: { minAvailabilityZones: { type: "integer", minimum: 2, maximum: 6 } },
        defaults: { minAvailabilityZones: 2 },
    },
    check: (resources, findings, config) => {
        const subnets = resources.filter((resource) => isOneOf(resource.type, T.subnet));
        const minimum = config.minAvailabilityZones;
        for (const group of resources.filter((resource) => isOneOf(resource.type, AUTOSCALING_GROUP))) {
            const ids = list(group.props, "vpcZoneIdentifiers");
            const azs = list(group.props, "availabilityZones");
            if (isOpaque(ids) || (ids.length === 0 && isOpaque(azs))) {
                findings.unknown(`subnets of ${group.name}`);
                continue;
            }
            const coverage = ids.length > 0 ? subnetCoverage(ids, subnets) : zoneCoverage(isOpaque(azs) ? [] : azs);
            if (coverage.zones.size >= minimum) continue;
            if (coverage.unresolved && coverage.entries >= minimum) {
                findings.unknown(`availability zones of ${group.name}`);
                continue;
            }
            const found = coverage.zones.size > 0 ? [...coverage.zones].sort().join(", ") : coverage.entries === 0 ? "none listed" : "unreadable";
            findings.violation(
                `${label(group)} spans ${coverage.zones.size} availability zone(s) (${found}); at least ${minimum} required (AutoScaling.2).`,
                group.urn,
            );
        }
    },
});

/** Resources whose instances take their metadata options from a launch template when they have none. */
const TEMPLATE_USERS = [...T.ec2Instance, ...T.spotInstanceRequest];

export const ec2ImdsHopLimit = resourceRule<{ maxHopLimit: number }>({
    name: "ec2-imds-hop-limit",
    description:
        "Instances, spot requests, launch templates and launch configurations set metadataOptions.httpPutResponseHopLimit to at most maxHopLimit (default 1), so IMDSv2 tokens do not reach containers on a bridge network or leave the instance; unset is not accepted, because instances of AMIs with ImdsSupport v2.0 (Amazon Linux 2023) default to 2. An instance launched from a template is judged on the template; a disabled endpoint passes.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: [...T.ec2Instance, ...T.spotInstanceRequest, ...T.launchTemplate, ...T.launchConfiguration],
    references: { checkov: ["CKV_AWS_341"], securityHub: ["AutoScaling.4"] },
    parameters: { schema: { maxHopLimit: { type: "integer", minimum: 1, maximum: 64 } }, defaults: { maxHopLimit: 1 } },
    check: (resource, findings, config) => {
        const options = at(resource.props, "metadataOptions");
        if (options === UNKNOWN) return findings.unknown("metadataOptions");
        if ((options === undefined || options === null) && isOneOf(resource.type, TEMPLATE_USERS)) {
            const template = at(resource.props, "launchTemplate");
            if (template === UNKNOWN) return findings.unknown("launchTemplate");
            if (isSet(template)) return;
        }
        const endpoint = at(options, "httpEndpoint");
        if (endpoint === "disabled") return;
        const hops = at(options, "httpPutResponseHopLimit");
        if (isOpaque(hops) || endpoint === UNKNOWN) return findings.unknown("metadataOptions.httpPutResponseHopLimit");
        const name = label(resource);
        if (hops === undefined || hops === null) {
            findings.violation(
                `${name} leaves metadataOptions.httpPutResponseHopLimit unset: instances of AMIs with ImdsSupport v2.0 (Amazon Linux 2023) get 2; set at most ${config.maxHopLimit} (CKV_AWS_341).`,
            );
        } else if (!(Number(hops) <= config.maxHopLimit)) {
            findings.violation(
                `${name} sets metadataOptions.httpPutResponseHopLimit ${String(hops)}; at most ${config.maxHopLimit} allowed (CKV_AWS_341).`,
            );
        }
    },
});

export const computeResourcePolicies = [asgLaunchTemplate, ec2ImdsHopLimit];
export const computeStackPolicies = [asgMultiAz];
export const computePolicies: readonly PackPolicy[] = [...computeResourcePolicies, ...computeStackPolicies];

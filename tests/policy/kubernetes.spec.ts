import * as assert from "assert";
import { EKS_LOG_TYPES, eksSchema } from "../../components/kubernetes/config";
import { EksCluster } from "../../components/kubernetes/eks";
import { Naming } from "../../components/shared/naming";
import { toDeploymentResources } from "../../tools/deployment";
import { STRICTEST_CONFIG, StackInput, runPolicies } from "../../tools/policy-runner";
import { runProgram } from "../../tools/run-program";
import { kubernetesPolicies } from "../../policy-pack/policies/kubernetes";
import { allPolicies } from "../../policy-pack/policies";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_OBJECT, UNKNOWN_STRING, describeCases, evaluate, res } from "../fixtures/policy-harness";
import { EKS_NODE_GROUP, IMDSV2, eksCluster, kubernetesCases, nodeGroupWith } from "../fixtures/policy-cases";

// The EKS rules: their cases (tests/fixtures/policy-cases.ts `kubernetesCases`), what they cannot decide, and the pack over the EKS tier.

/** What the rules cannot decide: they say so instead of passing. */
const unknownCases: { policy: string; title: string; resources: StackInput[] }[] = [
    { policy: "eks-supported-version", title: "version not known yet", resources: eksCluster({ version: UNKNOWN_STRING }) },
    { policy: "eks-audit-logging", title: "log types not known yet", resources: eksCluster({ enabledClusterLogTypes: UNKNOWN_ARRAY }) },
    {
        policy: "eks-control-plane-logging",
        title: "one log type not known yet",
        resources: eksCluster({ enabledClusterLogTypes: ["api", UNKNOWN_STRING] }),
    },
    {
        policy: "eks-control-plane-logging-complete",
        title: "log types not known yet",
        resources: eksCluster({ enabledClusterLogTypes: UNKNOWN_ARRAY }),
    },
    { policy: "eks-access-entries", title: "access config not known yet", resources: eksCluster({ accessConfig: UNKNOWN_OBJECT }) },
    {
        policy: "eks-no-creator-admin-bootstrap",
        title: "bootstrap flag not known yet",
        resources: eksCluster({ accessConfig: { bootstrapClusterCreatorAdminPermissions: UNKNOWN_BOOLEAN } }),
    },
    {
        policy: "eks-node-group-imdsv2",
        title: "template's httpTokens not known yet",
        resources: nodeGroupWith({ ...IMDSV2, httpTokens: UNKNOWN_STRING }),
    },
    {
        policy: "eks-node-group-imdsv2",
        title: "template id not known yet and no property dependency",
        resources: [res(EKS_NODE_GROUP, "nodes", { clusterName: "prod-eks", launchTemplate: { id: UNKNOWN_STRING, version: "1" } })],
    },
    {
        policy: "eks-node-group-imdsv2",
        title: "a template outside the stack",
        resources: [res(EKS_NODE_GROUP, "nodes", { clusterName: "prod-eks", launchTemplate: { id: "lt-0elsewhere", version: "3" } })],
    },
];

const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admin";

async function tierFindings(section: unknown, protect: boolean): Promise<string[]> {
    const config = eksSchema.parse(section);
    const run = await runProgram({
        stack: "prod",
        config: { "aws:region": "us-east-2" },
        program: () => {
            new EksCluster("t-eks", {
                naming: new Naming("prod"),
                config,
                region: "us-east-2",
                protect,
                subnetIds: ["subnet-0a", "subnet-0b"],
                nodeSecurityGroupId: "sg-0kubernetes",
                adminCidrs: ["203.0.113.0/24"],
                keys: { kubernetes: "arn:aws:kms:us-east-2:123456789012:key/k", logs: "arn:aws:kms:us-east-2:123456789012:key/l" },
            });
        },
    });
    const names = new Set(kubernetesPolicies.map((policy) => policy.name));
    return runPolicies(toDeploymentResources(run), STRICTEST_CONFIG, "prod")
        .filter((finding) => names.has(finding.policy))
        .map((finding) => `${finding.policy}: ${finding.message}`);
}

describe("policy: kubernetes (EKS) rules", () => {
    describeCases(kubernetesCases);

    describe("cannot tell yet", () => {
        for (const { policy, title, resources } of unknownCases) {
            it(`${policy}: ${title}`, () => {
                const outcome = evaluate(policy, resources);
                assert.deepStrictEqual(outcome.violations, []);
                assert.strictEqual(outcome.unknown, true);
            });
        }
    });

    it("every kubernetes rule is in the pack, with cases", () => {
        for (const policy of kubernetesPolicies) {
            assert.ok(allPolicies.includes(policy), policy.name);
            assert.ok(
                kubernetesCases.some((cases) => cases.policy === policy.name),
                policy.name,
            );
        }
    });

    describe("over what the EKS tier builds", () => {
        it("a prod-like cluster (private, every log type, no bootstrap, spot and on-demand groups) breaks no kubernetes rule at the strictest levels", async () => {
            const findings = await tierFindings(
                {
                    adminRoleArn: ADMIN_ROLE,
                    logTypes: [...EKS_LOG_TYPES],
                    nodeGroups: [
                        { name: "system", instanceTypes: ["m7g.large"], minSize: 2, maxSize: 4, desiredSize: 2 },
                        { name: "spot", capacityType: "SPOT", instanceTypes: ["m6i.large", "m7i.large"], minSize: 0, maxSize: 4, desiredSize: 1 },
                    ],
                },
                true,
            );
            assert.deepStrictEqual(findings, []);
        });

        it("the defaults break only the advisory complete-logging rule (controllerManager and scheduler are off)", async () => {
            const findings = await tierFindings({ adminRoleArn: ADMIN_ROLE }, false);
            assert.deepStrictEqual(findings, [
                "eks-control-plane-logging-complete: t-eks-cluster (Cluster) does not enable control-plane log type(s) controllerManager, scheduler.",
            ]);
        });
    });
});

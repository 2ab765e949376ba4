/**
 * The ONE table of EKS cluster versions this program builds, each with the managed add-on versions
 * pinned for it. Only versions in EKS standard support (14 months from their EKS release) are listed:
 * extended support costs $0.60 per cluster-hour instead of $0.10, and Security Hub EKS.2 fails it.
 *
 * Sources (looked up 2026):
 * - Release calendar: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (1.34: released
 *   2025-10-02, standard support until 2026-12-02); endoflife.date/amazon-eks and the aws-samples EKS
 *   operation-review calendar, verified 2026-04-24 (1.35: released 2026-01-28, until 2027-03-27);
 *   `aws eks describe-cluster-versions` as quoted in public Terraform, 2026 (1.36: the EKS default, standard
 *   support "until 2027-08"; the exact day is not published yet, so the month is recorded, and the release
 *   month is that less the 14 months of standard support).
 * - Add-on versions: each add-on's `defaultVersion` for the cluster version from
 *   `aws eks describe-addon-versions --kubernetes-version <v>`, as recorded in public repositories:
 *   1.36 on 2026-08-27 (all five add-ons); 1.35 on 2026-10-02 (vpc-cni, coredns, kube-proxy,
 *   eks-pod-identity-agent), with aws-ebs-csi-driver v1.64.0-eksbuild.1 as deployed on 1.35 clusters
 *   (2026-08/09); 1.34 from an add-on table of 2026-08 defaults (vpc-cni, coredns, kube-proxy) and a
 *   release lock qualified for 1.34 (aws-ebs-csi-driver, eks-pod-identity-agent).
 *   kube-proxy follows the cluster minor; the others support every version in the table.
 *
 * Moving a stack to a newer version: EKS upgrades one minor at a time, control plane first, then the
 * node groups (which follow the cluster version) and the add-ons, so change `eks.version` one step per
 * `pulumi up`. The policy pack keeps its own copy of the version list (it imports nothing from here);
 * tests/tiers/eks.spec.ts checks that the two agree.
 */

export const EKS_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "aws-ebs-csi-driver"] as const;
export type EksAddon = (typeof EKS_ADDONS)[number];

export interface EksVersion {
    /** Amazon EKS release date of the minor version. */
    readonly released: string;
    /** End of standard support (`YYYY-MM-DD`, or `YYYY-MM` where AWS has published only the month). */
    readonly endOfStandardSupport: string;
    /** Add-on version per add-on, compatible with this cluster version. */
    readonly addons: Readonly<Record<EksAddon, string>>;
}

export const EKS_VERSIONS = {
    "1.34": {
        released: "2025-10-02",
        endOfStandardSupport: "2026-12-02",
        addons: {
            "vpc-cni": "v1.22.4-eksbuild.3",
            "kube-proxy": "v1.34.6-eksbuild.18",
            coredns: "v1.12.4-eksbuild.18",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
            "aws-ebs-csi-driver": "v1.63.0-eksbuild.1",
        },
    },
    "1.35": {
        released: "2026-01-28",
        endOfStandardSupport: "2027-03-27",
        addons: {
            "vpc-cni": "v1.22.4-eksbuild.3",
            "kube-proxy": "v1.35.3-eksbuild.29",
            coredns: "v1.13.2-eksbuild.31",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
            "aws-ebs-csi-driver": "v1.64.0-eksbuild.1",
        },
    },
    "1.36": {
        released: "2026-06",
        endOfStandardSupport: "2027-08",
        addons: {
            "vpc-cni": "v1.22.4-eksbuild.3",
            "kube-proxy": "v1.36.0-eksbuild.17",
            coredns: "v1.14.3-eksbuild.14",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
            "aws-ebs-csi-driver": "v1.64.0-eksbuild.1",
        },
    },
} as const satisfies Readonly<Record<string, EksVersion>>;

export type EksVersionName = keyof typeof EKS_VERSIONS;
export const EKS_VERSION_NAMES = Object.keys(EKS_VERSIONS) as [EksVersionName, ...EksVersionName[]];

/** New clusters start on the newest version in the table (the EKS default since its release). */
export const DEFAULT_EKS_VERSION: EksVersionName = "1.36";

/** The add-on versions pinned for a cluster version. */
export function addonVersions(version: EksVersionName): Readonly<Record<EksAddon, string>> {
    return EKS_VERSIONS[version].addons;
}

/** A managed add-on version as EKS names it: `v<major>.<minor>.<patch>-eksbuild.<n>`. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/**
 * The AWS Load Balancer Controller's Helm chart (the controller fills the edge's target group through a
 * TargetGroupBinding with `edge.service.runtime: eks`), pinned. Since v3.0.0 the chart's version equals the
 * controller's (kubernetes-sigs/aws-load-balancer-controller#4551, "cut v3.0.0 release, also bump helm
 * version to 3.0.0"). v3.5.0: cut 2026-08-03 (kubernetes-sigs/aws-load-balancer-controller#4869) and published
 * to the eks-charts repository the same day (aws/eks-charts#1354). Move it forward on purpose: the chart's
 * CRDs change with it, and the controller's IAM needs are re-checked against eks-iam.ts each time.
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
    repository: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
} as const;

import { RecordedResource, revealSecrets } from "./mock-cloud";
import { ProgramRun } from "./run-program";

/**
 * The plan document (DESIGN.md, interface 1). `deployment.resources` has the
 * shape of `pulumi stack export` resources; secret values appear as "[secret]".
 */

export const SECRET_MARKER = "[secret]";

export interface DeploymentResource {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly id?: string;
    readonly parent?: string;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly dependencies: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** The resource's `ignoreChanges` option, where it has one (the PR report leaves those inputs out). */
    readonly ignoreChanges?: readonly string[];
}

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    readonly urn?: string;
    readonly message: string;
}

export interface CostItem {
    readonly urn: string;
    readonly type: string;
    readonly monthly: number;
    readonly basis: string;
}

export interface CostReport {
    readonly currency: "USD";
    readonly monthlyTotal: number;
    readonly items: readonly CostItem[];
    readonly [extra: string]: unknown;
}

export interface PlanDocument {
    readonly stack: string;
    readonly project: string;
    readonly deployment: { readonly resources: readonly DeploymentResource[] };
    readonly violations: readonly Violation[];
    readonly cost: CostReport;
}

/** A resource's logical name: the last `::` segment of its URN. */
export function logicalName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

const hideSecrets = (value: unknown) => revealSecrets(value, () => SECRET_MARKER) as Record<string, unknown>;

export function toDeploymentResource(resource: RecordedResource): DeploymentResource {
    return {
        urn: resource.urn,
        type: resource.type,
        custom: resource.custom,
        ...(resource.id ? { id: resource.id } : {}),
        ...(resource.parent ? { parent: resource.parent } : {}),
        ...(resource.protect ? { protect: true } : {}),
        ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
        inputs: hideSecrets(resource.inputs),
        outputs: hideSecrets(resource.outputs),
        dependencies: [...resource.dependencies],
        propertyDependencies: resource.propertyDependencies,
        ...(resource.ignoreChanges.length > 0 ? { ignoreChanges: [...resource.ignoreChanges] } : {}),
    };
}

export function toDeploymentResources(run: ProgramRun): DeploymentResource[] {
    return run.resources.map(toDeploymentResource);
}

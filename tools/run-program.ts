import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isLocalTarget } from "../components/config";
import { LOCAL_DOCKER } from "../components/local/config";
import { MockCloud, RecordedResource } from "./mock-cloud";

/**
 * Runs the program (`index.ts`) in-process under the mock cloud, as `pulumi up`
 * would run it, and returns every registered resource with its parent, inputs,
 * outputs and dependencies, plus the stack outputs.
 */

export const PROJECT_NAME = "data-platform";
export const ROOT_DIR = path.resolve(__dirname, "..");
const PROGRAM_PATH = path.join(ROOT_DIR, "index.ts");

export interface ProgramRun {
    readonly stack: string;
    readonly project: string;
    /** The stack's `aws:region`; a local stack (`data-platform:target: local`) has none: LOCAL_DOCKER. */
    readonly region: string;
    readonly resources: readonly RecordedResource[];
    readonly stackOutputs: Record<string, unknown>;
    readonly cloud: MockCloud;
}

export interface RunOptions {
    readonly stack: string;
    /** Config as `namespace:key` → string (structured values JSON-encoded), as Pulumi passes it. */
    readonly config: Readonly<Record<string, string>>;
    /** Keys whose values are secret (`secure:` in the stack file). */
    readonly secretKeys?: readonly string[];
    /** The program to run; defaults to the project's `index.ts`. */
    readonly program?: () => unknown;
}

/**
 * Assets and archives deserialize into SDK objects whose paths are promises (they
 * would print as `{}`); keep them in the wire form a stack export uses instead:
 * `{ "<sig key>": "<asset sig>", "path": "..." }`.
 */
function isAssetOrArchive(value: unknown): boolean {
    return pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
}

function withWireAssets(value: unknown, wire: unknown): unknown {
    if (isAssetOrArchive(value)) return wire;
    if (Array.isArray(value) && Array.isArray(wire)) return value.map((item, i) => withWireAssets(item, wire[i]));
    if (value && typeof value === "object" && wire && typeof wire === "object") {
        const copy: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) copy[key] = withWireAssets(item, (wire as Record<string, unknown>)[key]);
        return copy;
    }
    return value;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getIgnorechangesList(): string[];
    getProvider(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getObject(): { toJavaScript(): unknown };
}

interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): unknown;
}

interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: unknown, resp?: RegisterResponse) => void): Promise<void>;
    newUrn(parent: string, type: string, name: string): string;
}

function loadRuntimeInternals(): { deserializeProperties(struct: unknown, keepUnknowns?: boolean): Record<string, unknown> } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/pulumi/runtime/rpc");
}

/** Real engine URNs qualify a child's type with its parents' types; the stock mock does not. */
function qualifiedUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    const parentType = parent ? parent.split("::")[2] : "";
    const rootStack = "pulumi:pulumi:Stack";
    const qualified = parentType && parentType !== rootStack ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function instrument(cloud: MockCloud, stack: string, project: string, registrationErrors: Error[]): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const rpc = loadRuntimeInternals();
    monitor.newUrn = (parent, type, name) => qualifiedUrn(stack, project, parent, type, name);
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        original(req, (err, resp) => {
            if (!err && resp) {
                try {
                    const propertyDependencies: Record<string, string[]> = {};
                    req.getPropertydependenciesMap().forEach((value, key) => {
                        propertyDependencies[key] = value.getUrnsList();
                    });
                    cloud.record({
                        urn: resp.getUrn(),
                        type: req.getType(),
                        name: req.getName(),
                        custom: req.getCustom(),
                        parent: req.getParent() || undefined,
                        id: resp.getId() || undefined,
                        inputs: withWireAssets(rpc.deserializeProperties(req.getObject(), true), req.getObject().toJavaScript()) as Record<
                            string,
                            unknown
                        >,
                        outputs: rpc.deserializeProperties(resp.getObject(), true),
                        dependencies: req.getDependenciesList(),
                        propertyDependencies,
                        protect: req.getProtect(),
                        retainOnDelete: req.getRetainondelete(),
                        ignoreChanges: req.getIgnorechangesList(),
                        provider: req.getProvider() || undefined,
                    });
                } catch (recordError) {
                    registrationErrors.push(recordError as Error);
                    callback(recordError);
                    return;
                }
            }
            callback(err, resp);
        });
}

/** Waits until no registration is in flight, including ones started from applies. */
async function settle(cloud: MockCloud): Promise<void> {
    const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
    let previous = -1;
    while (previous !== cloud.resources.length) {
        previous = cloud.resources.length;
        if (waitForRPCs) await waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
    }
}

/**
 * The SDK tags every internal promise with `new Error().stack` so that, when a program exits with
 * promises still pending, it can say where they were made. Formatting those stacks is the largest
 * single cost of a mocked run (~130 ms of prod's plan). Offline runs skip it; errors keep their
 * stacks (only the tagging is off). `PULUMI_DEBUG_PROMISE_LEAKS=1` turns it back on.
 */
function skipPromiseStackTags(): void {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
    debuggable.debuggablePromise = (promise) => promise;
}

export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    skipPromiseStackTags();
    const region = options.config["aws:region"] ?? (isLocalTarget(options.config) ? LOCAL_DOCKER : undefined);
    if (!region) throw new Error(`stack ${options.stack}: aws:region is not set`);
    const cloud = new MockCloud({ region });
    await pulumi.runtime.setMocks(cloud, PROJECT_NAME, options.stack, true);
    pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);
    const registrationErrors: Error[] = [];
    instrument(cloud, options.stack, PROJECT_NAME, registrationErrors);

    const program =
        options.program ??
        (() => {
            delete require.cache[require.resolve(PROGRAM_PATH)];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(PROGRAM_PATH);
        });
    const outputs = await pulumi.runtime.runInPulumiStack(async () => program());
    await settle(cloud);
    if (registrationErrors.length > 0) throw registrationErrors[0];
    return {
        stack: options.stack,
        project: PROJECT_NAME,
        region,
        resources: cloud.resources,
        stackOutputs: (outputs ?? {}) as Record<string, unknown>,
        cloud,
    };
}

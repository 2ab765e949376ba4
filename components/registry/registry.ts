import * as path from "path";
import * as aws from "@pulumi/aws";
import type * as awsxTypes from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { KeyArns } from "../encryption/keys";
import { PolicyStatement } from "../shared/iam";
import { ImagesConfig, RegistryConfig } from "./config";
import { Naming, componentType } from "../shared/naming";
import { ASSETS_DIR } from "../shared/paths";
import { TierComponent } from "../shared/tier";
import { recordOf } from "../shared/records";

/**
 * awsx pulls in the Docker providers and an AWS SDK client (~80 ms at start-up);
 * only stacks that build images need it, so it loads on first use.
 */
function loadAwsx(): typeof awsxTypes {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/awsx");
}

/** The repositories every stack builds (the containers tier's task images). */
export type RepositoryPurpose = "sparkApps" | "dataJobs" | "glueJobs";
/** Repositories built only with the tier that runs their image: `web`, the edge's web service. */
export type OptionalRepositoryPurpose = "web";

/** Repository purpose → `${env}-<suffix>` and the `assets/images/<suffix>` build context. */
export const REPOSITORY_NAMES: Readonly<Record<RepositoryPurpose, string>> = {
    sparkApps: "spark-apps",
    dataJobs: "data-jobs",
    glueJobs: "glue-jobs",
};
export const REPOSITORY_PURPOSES = Object.keys(REPOSITORY_NAMES) as RepositoryPurpose[];
export const OPTIONAL_REPOSITORY_NAMES: Readonly<Record<OptionalRepositoryPurpose, string>> = { web: "web" };

export const IMAGES_DIR = path.join(ASSETS_DIR, "images");

/** Fargate tasks run on linux/amd64 unless a task asks for ARM. */
export const IMAGE_PLATFORM = "linux/amd64";

export interface RegistryArgs {
    /** Naming and tagging context of the stack. */
    readonly naming: Naming;
    /** The validated `data-platform:registry` section. */
    readonly config: RegistryConfig;
    /** The validated `data-platform:images` section. */
    readonly images: ImagesConfig;
    /** Customer-managed keys; the `registry` key encrypts the repositories (AES256 without it). */
    readonly keys?: Partial<KeyArns>;
    /** Protect the repositories (and the images in them) from deletion (prod). */
    readonly protect: boolean;
    /** The optional repositories to build too (`web` with the edge). Default none. */
    readonly optional?: readonly OptionalRepositoryPurpose[];
    /** Build the data tasks' repositories (spark-apps, data-jobs, glue-jobs): the stack runs them. Default true. */
    readonly taskImages?: boolean;
}

/**
 * The lifecycle policy of every repository: untagged images expire after
 * `untaggedExpiryDays`; of tagged images only the newest `keepTaggedImages` stay.
 */
export function lifecyclePolicy(config: RegistryConfig): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${config.untaggedExpiryDays} days`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: config.untaggedExpiryDays },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${config.keepTaggedImages} tagged images`,
                selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: config.keepTaggedImages },
                action: { type: "expire" },
            },
        ],
    });
}

/**
 * ECR repositories spark-apps, data-jobs and glue-jobs: scan on push, tag
 * mutability from config, encrypted, lifecycle policy. With `images.build` the
 * images in assets/images are built and pushed (awsx) and tasks run on the
 * pushed digest; otherwise tasks use `<repositoryUrl>:<images.tag>`.
 */
export class Registry extends TierComponent {
    /** The data tasks' repositories, URLs, ARNs and images: empty without `taskImages`. */
    readonly repositories: Readonly<Partial<Record<RepositoryPurpose, aws.ecr.Repository>>>;
    readonly repositoryUrls: Readonly<Partial<Record<RepositoryPurpose, pulumi.Output<string>>>>;
    readonly repositoryArns: Readonly<Partial<Record<RepositoryPurpose, pulumi.Output<string>>>>;
    readonly imageUris: Readonly<Partial<Record<RepositoryPurpose, pulumi.Output<string>>>>;
    /** URL of each optional repository built. */
    readonly optionalRepositoryUrls: Readonly<Partial<Record<OptionalRepositoryPurpose, pulumi.Output<string>>>>;
    /** Image URI of each optional repository built. */
    readonly optionalImageUris: Readonly<Partial<Record<OptionalRepositoryPurpose, pulumi.Output<string>>>>;
    /** ARN of each optional repository built (the task-execution role pulls from them too). */
    readonly optionalRepositoryArns: Readonly<Partial<Record<OptionalRepositoryPurpose, pulumi.Output<string>>>>;
    private readonly baseName: string;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("registry", "Registry"), name, opts);
        this.baseName = name;
        const { naming, config, images } = args;
        const policy = lifecyclePolicy(config);

        const repositories = {} as Record<RepositoryPurpose | OptionalRepositoryPurpose, aws.ecr.Repository>;
        const imageUris = {} as Record<RepositoryPurpose | OptionalRepositoryPurpose, pulumi.Output<string>>;
        const optional = (args.optional ?? []).map((purpose) => [purpose, OPTIONAL_REPOSITORY_NAMES[purpose]] as const);
        const taskPurposes = (args.taskImages ?? true) ? REPOSITORY_PURPOSES : [];
        for (const [purpose, suffix] of [...taskPurposes.map((p) => [p, REPOSITORY_NAMES[p]] as const), ...optional]) {
            const repository = new aws.ecr.Repository(
                `${name}-${suffix}`,
                {
                    name: naming.name(suffix),
                    imageTagMutability: config.imageTagMutability,
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [
                        args.keys?.registry ? { encryptionType: "KMS", kmsKey: args.keys.registry } : { encryptionType: "AES256" },
                    ],
                    // Unprotected stacks can be torn down with their images; prod keeps them.
                    forceDelete: !args.protect,
                    tags: naming.tags("registry", suffix),
                },
                this.child({ protect: args.protect, retainOnDelete: args.protect }),
            );
            new aws.ecr.LifecyclePolicy(
                `${name}-${suffix}-lifecycle`,
                {
                    repository: repository.name,
                    policy,
                },
                this.child(),
            );
            repositories[purpose] = repository;
            imageUris[purpose] = images.build
                ? new (loadAwsx().ecr.Image)(
                      `${name}-${suffix}-image`,
                      {
                          repositoryUrl: repository.repositoryUrl,
                          context: path.join(IMAGES_DIR, suffix),
                          platform: IMAGE_PLATFORM,
                      },
                      this.child(),
                  ).imageUri
                : pulumi.interpolate`${repository.repositoryUrl}:${images.tag}`;
        }
        this.repositories = repositories;
        this.repositoryUrls = recordOf(taskPurposes, (purpose) => repositories[purpose].repositoryUrl);
        this.repositoryArns = recordOf(taskPurposes, (purpose) => repositories[purpose].arn);
        this.imageUris = recordOf(taskPurposes, (purpose) => imageUris[purpose]);
        this.optionalRepositoryUrls = Object.fromEntries(optional.map(([purpose]) => [purpose, repositories[purpose].repositoryUrl]));
        this.optionalImageUris = Object.fromEntries(optional.map(([purpose]) => [purpose, imageUris[purpose]]));
        this.optionalRepositoryArns = Object.fromEntries(optional.map(([purpose]) => [purpose, repositories[purpose].arn]));

        this.registerOutputs({ repositoryUrls: this.repositoryUrls, imageUris: this.imageUris });
    }

    /** The data tasks' images; throws when the registry was built without them (a wiring error). */
    taskImageUris(): Readonly<Record<RepositoryPurpose, pulumi.Output<string>>> {
        const missing = REPOSITORY_PURPOSES.filter((purpose) => this.imageUris[purpose] === undefined);
        if (missing.length > 0)
            throw new Error(`${this.baseName}: the data tasks' repositories were not built (taskImages: false): ${missing.join(", ")}`);
        return this.imageUris as Record<RepositoryPurpose, pulumi.Output<string>>;
    }
}

/** Actions that pull an image from an ECR repository (scoped to repository ARNs). */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"] as const;

/** Pull from these repositories. GetAuthorizationToken has no resource-level permissions: AWS requires "*". */
export function imagePullStatements(repositoryArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
    return [
        { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        ...(repositoryArns.length === 0
            ? []
            : [{ Sid: "EcrPullPlatformRepositories", Effect: "Allow", Action: [...ECR_PULL_ACTIONS], Resource: [...repositoryArns] }]),
    ];
}

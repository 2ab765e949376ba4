import { z } from "zod";
import { positiveDays } from "../shared/config-fields";

/** `data-platform:registry`: the ECR repositories. */
export const registrySchema = z.strictObject({
    enabled: z.boolean().default(true).describe("build the ECR repositories (the data tasks' and, with the edge, the web service's)"),
    imageTagMutability: z.enum(["MUTABLE", "IMMUTABLE"]).default("MUTABLE").describe("ECR tag mutability"),
    keepTaggedImages: z.number().int().min(1).default(10).describe("tagged images kept per repository"),
    untaggedExpiryDays: positiveDays.default(7).describe("days before untagged images expire"),
});

/** `data-platform:images`: what the tasks run. */
export const imagesSchema = z.strictObject({
    build: z.boolean().default(false).describe("build and push assets/images with awsx (needs Docker)"),
    tag: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a Docker tag: 1–128 characters of A-Z a-z 0-9 _ . -, not starting with . or -")
        .default("latest")
        .describe("image tag tasks run when images are not built here (`<repositoryUrl>:<tag>`); ignored with build, which pins the pushed digest"),
});

export type RegistryConfig = z.infer<typeof registrySchema>;
export type ImagesConfig = z.infer<typeof imagesSchema>;

/** An IMMUTABLE repository takes a tag once, so `latest` could never move. */
export function imageTagProblems(registry: RegistryConfig, images: ImagesConfig): { path: string[]; message: string }[] {
    if (registry.imageTagMutability !== "IMMUTABLE" || images.build || images.tag !== "latest") return [];
    return [
        {
            path: ["images", "tag"],
            message:
                "an IMMUTABLE repository accepts a tag once, so `latest` could never move: set a release tag (e.g. v1.4.0), or registry.imageTagMutability: MUTABLE",
        },
    ];
}

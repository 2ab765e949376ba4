/** The @pulumi/docker resource type tokens a local stack registers (the AWS, random and awsx ones are in policy-pack/policies/types.ts). */
export const DOCKER_TYPE = {
    network: "docker:index/network:Network",
    volume: "docker:index/volume:Volume",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    container: "docker:index/container:Container",
} as const;

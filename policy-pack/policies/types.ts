/**
 * Type tokens the rules look at (@pulumi/aws v7; the V2 and `alb` forms are the
 * legacy tokens older programs and state files still carry).
 */
export const T = {
    bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    bucketSse: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    bucketVersioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    bucketAcl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    bucketPublicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    accountPublicAccessBlock: ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"],
    bucketPolicy: ["aws:s3/bucketPolicy:BucketPolicy"],

    rdsInstance: ["aws:rds/instance:Instance"],
    rdsCluster: ["aws:rds/cluster:Cluster"],
    rdsClusterInstance: ["aws:rds/clusterInstance:ClusterInstance"],
    cacheReplicationGroup: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    ec2Instance: ["aws:ec2/instance:Instance"],
    /** Same rootBlockDevice / ebsBlockDevices / metadataOptions / associatePublicIpAddress / launchTemplate inputs as ec2.Instance. */
    spotInstanceRequest: ["aws:ec2/spotInstanceRequest:SpotInstanceRequest"],
    launchTemplate: ["aws:ec2/launchTemplate:LaunchTemplate"],
    launchConfiguration: ["aws:ec2/launchConfiguration:LaunchConfiguration"],
    ebsVolume: ["aws:ebs/volume:Volume"],
    mskCluster: ["aws:msk/cluster:Cluster"],
    eksCluster: ["aws:eks/cluster:Cluster"],
    kmsKey: ["aws:kms/key:Key"],
    logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
    secret: ["aws:secretsmanager/secret:Secret"],
    ecrRepository: ["aws:ecr/repository:Repository"],
    glueJob: ["aws:glue/job:Job"],
    glueCrawler: ["aws:glue/crawler:Crawler"],
    glueSecurityConfiguration: ["aws:glue/securityConfiguration:SecurityConfiguration"],
    listener: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],

    vpc: ["aws:ec2/vpc:Vpc"],
    flowLog: ["aws:ec2/flowLog:FlowLog"],
    securityGroup: ["aws:ec2/securityGroup:SecurityGroup"],
    defaultSecurityGroup: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
    securityGroupRule: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
    vpcIngressRule: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
    vpcEgressRule: ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],

    ecsService: ["aws:ecs/service:Service"],
    ecsTaskDefinition: ["aws:ecs/taskDefinition:TaskDefinition"],

    iamPolicy: ["aws:iam/policy:Policy"],
    iamRolePolicy: ["aws:iam/rolePolicy:RolePolicy"],
    iamUserPolicy: ["aws:iam/userPolicy:UserPolicy"],
    iamGroupPolicy: ["aws:iam/groupPolicy:GroupPolicy"],
    iamRole: ["aws:iam/role:Role"],
    /** Managed-policy attachments: `policyArn` (one) or `policyArns` (the *AttachmentsExclusive forms). */
    iamRolePolicyAttachment: ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    iamUserPolicyAttachment: ["aws:iam/userPolicyAttachment:UserPolicyAttachment"],
    iamGroupPolicyAttachment: ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment"],
    iamPolicyAttachment: ["aws:iam/policyAttachment:PolicyAttachment"],
    iamPolicyAttachmentsExclusive: [
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
        "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
    ],
    sqsQueue: ["aws:sqs/queue:Queue"],
    sqsQueuePolicy: ["aws:sqs/queuePolicy:QueuePolicy"],
    snsTopic: ["aws:sns/topic:Topic"],
    snsTopicPolicy: ["aws:sns/topicPolicy:TopicPolicy"],
    ecrRepositoryPolicy: ["aws:ecr/repositoryPolicy:RepositoryPolicy"],
    secretPolicy: ["aws:secretsmanager/secretPolicy:SecretPolicy"],
} as const;

export function isOneOf(type: string, tokens: readonly string[]): boolean {
    return tokens.includes(type);
}

import * as YAML from "yaml";
import { WORKLOAD_NAMESPACE } from "../kubernetes/eks-iam";
import { WEB_FAMILY, WEB_PORT } from "./web-service";

/**
 * `edge.service.runtime: eks`: the edge owns the ALB and its `ip` target group, Kubernetes owns the pods.
 * The AWS Load Balancer Controller keeps the target group's targets equal to the ready endpoints of one
 * Service through a TargetGroupBinding custom resource (elbv2.k8s.aws/v1beta1; fields: the controller's
 * apis/elbv2/v1beta1/targetgroupbinding_types.go and "TargetGroupBinding" in its docs,
 * kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/).
 * Pure builders; the Edge component renders the binding as an output for `kubectl apply -f -`.
 */

/** The Service whose endpoints become the targets: `data-platform/web`, port 8080 (its targetPort the pods' 8080). */
export const WEB_SERVICE_REF = { namespace: WORKLOAD_NAMESPACE, name: WEB_FAMILY, port: WEB_PORT } as const;

/** The binding's API group/version and kind. */
export const TARGET_GROUP_BINDING_API_VERSION = "elbv2.k8s.aws/v1beta1";
export const TARGET_GROUP_BINDING_KIND = "TargetGroupBinding";

export interface TargetGroupBindingInputs {
    readonly targetGroupArn: string;
    /** The target group's VPC: stated, so the controller's webhook need not look it up. */
    readonly vpcId: string;
}

/**
 * The binding as a Kubernetes object. `targetType`, `ipAddressType` and `vpcID` are stated (the
 * mutating webhook would otherwise infer each with DescribeTargetGroups). There is no `networking`
 * block: the firewall tier owns the rule that lets the ALB's group reach the nodes' group on the port,
 * so the controller never edits a security group (and its role has no ec2:Authorize/RevokeSecurityGroupIngress).
 */
export function targetGroupBinding(inputs: TargetGroupBindingInputs): Record<string, unknown> {
    return {
        apiVersion: TARGET_GROUP_BINDING_API_VERSION,
        kind: TARGET_GROUP_BINDING_KIND,
        metadata: { name: WEB_SERVICE_REF.name, namespace: WEB_SERVICE_REF.namespace },
        spec: {
            targetGroupARN: inputs.targetGroupArn,
            targetType: "ip",
            ipAddressType: "ipv4",
            vpcID: inputs.vpcId,
            serviceRef: { name: WEB_SERVICE_REF.name, port: WEB_SERVICE_REF.port },
        },
    };
}

/** The binding as YAML, ready for `kubectl apply -f -`. */
export function targetGroupBindingYaml(inputs: TargetGroupBindingInputs): string {
    return YAML.stringify(targetGroupBinding(inputs));
}

import { getPath, isObject, type JsonObject, type JsonValue, type Path } from '../json';
import type { Review } from '../templates/types';
import type { Resource } from './resources';

/**
 * The admission view: the objects Gatekeeper reviews when a manifest is applied.
 * Every object is reviewed as it is applied; a workload's Pods are reviewed when its controller creates them.
 */
export interface AdmissionObject {
  resource: Resource;
  review: Review;
  /** The workload kind whose pod template this Pod comes from; undefined for a Pod. */
  workloadKind?: string;
  /** Maps a path in `review.object` to a path in the document; undefined when it has no source. */
  toSourcePath(path: Path): Path | undefined;
}

/** Where each workload kind keeps its pod template. */
const POD_TEMPLATE_PATHS: Record<string, Path> = {
  'apps/Deployment': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  '/ReplicationController': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
  // Custom resources that carry a pod template are judged like Deployments.
  'argoproj.io/Rollout': ['spec', 'template'],
  'keda.sh/ScaledJob': ['spec', 'jobTargetRef', 'template'],
};

const CREATING_CONTROLLER: Record<string, { apiVersion: string; kind: string }> = {
  'apps/Deployment': { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  'batch/CronJob': { apiVersion: 'batch/v1', kind: 'Job' },
  'argoproj.io/Rollout': { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  'keda.sh/ScaledJob': { apiVersion: 'batch/v1', kind: 'Job' },
};

export function podTemplatePath(resource: Resource): Path | undefined {
  return POD_TEMPLATE_PATHS[`${resource.group}/${resource.kind}`];
}

/** Kinds that live outside namespaces: reviewed with an empty namespace, which namespace rules never exclude. */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'scheduling.k8s.io/PriorityClass',
]);

/**
 * What the cluster reviews for one manifest: the object itself as applied (a Pod included), and for a
 * workload also the Pod its controller will create. Constraints pick by kind which of the two they see.
 */
export function admissionObjects(resource: Resource, defaultNamespace: string): AdmissionObject[] {
  const clusterScoped = CLUSTER_SCOPED.has(`${resource.group}/${resource.kind}`);
  const namespace = clusterScoped ? '' : (resource.namespace ?? defaultNamespace);
  const version = resource.apiVersion.slice(resource.apiVersion.indexOf('/') + 1);
  const metadata = clusterScoped ? asObject(resource.value.metadata) : { ...asObject(resource.value.metadata), namespace };
  const applied = { ...resource.value, metadata };
  const asApplied: AdmissionObject = {
    resource,
    review: reviewOf(resource.group === '' && resource.kind === 'Pod' ? withApiServerDefaults(applied) : applied, { group: resource.group, version, kind: resource.kind }, resource.name, namespace),
    toSourcePath: (path) => [...resource.path, ...path],
  };
  const pod = createdPod(resource, namespace);
  return pod ? [asApplied, pod] : [asApplied];
}

/** The Pod a workload's controller creates from its pod template. */
function createdPod(resource: Resource, namespace: string): AdmissionObject | undefined {
  const templatePath = podTemplatePath(resource);
  const template = templatePath && getPath(resource.value, templatePath);
  if (!templatePath || !isObject(template)) return undefined;
  const templateMetadata = asObject(template.metadata);
  const metadata: JsonObject = { name: resource.name, namespace };
  if (templateMetadata.labels !== undefined) metadata.labels = templateMetadata.labels;
  if (templateMetadata.annotations !== undefined) metadata.annotations = templateMetadata.annotations;
  // The controller that creates the Pod owns it (a Deployment through its ReplicaSet, a CronJob through its Job).
  const owner = CREATING_CONTROLLER[`${resource.group}/${resource.kind}`] ?? { apiVersion: resource.apiVersion, kind: resource.kind };
  metadata.ownerReferences = [{ ...owner, name: resource.name, controller: true }];
  const pod = withApiServerDefaults({ apiVersion: 'v1', kind: 'Pod', metadata, spec: template.spec ?? {} });
  const source = [...resource.path, ...templatePath];
  return {
    resource,
    workloadKind: resource.kind,
    review: reviewOf(pod, { group: '', version: 'v1', kind: 'Pod' }, resource.name, namespace),
    toSourcePath: (path) => {
      if (path[0] === 'spec') return [...source, ...path];
      if (path[0] === 'metadata' && (path[1] === 'labels' || path[1] === 'annotations')) return [...source, ...path];
      if (path[0] === 'metadata' && (path[1] === 'name' || path[1] === 'namespace')) return [...resource.path, ...path];
      return undefined;
    },
  };
}

function reviewOf(object: JsonObject, kind: Review['kind'], name: string, namespace: string): Review {
  return { kind, name, namespace, operation: 'CREATE', object };
}

function asObject(value: JsonValue | undefined): JsonObject {
  return isObject(value) ? value : {};
}

/**
 * The API server's defaulting that changes what templates see or print:
 * hostPath `type` defaults to "", with hostNetwork a port's hostPort defaults to its containerPort,
 * and an empty `supplementalGroups` is dropped when the object is serialised (`omitempty`).
 * Only the touched branches are copied; the parsed value stays shared and unchanged.
 */
function withApiServerDefaults(pod: JsonObject): JsonObject {
  const spec = pod.spec;
  if (!isObject(spec)) return pod;
  const defaulted: JsonObject = { ...spec };
  if (Array.isArray(spec.volumes)) {
    defaulted.volumes = spec.volumes.map((volume) =>
      isObject(volume) && isObject(volume.hostPath) && volume.hostPath.type === undefined
        ? { ...volume, hostPath: { ...volume.hostPath, type: '' } }
        : volume,
    );
  }
  const securityContext = spec.securityContext;
  if (isObject(securityContext) && Array.isArray(securityContext.supplementalGroups) && securityContext.supplementalGroups.length === 0) {
    const { supplementalGroups: _dropped, ...rest } = securityContext;
    defaulted.securityContext = rest;
  }
  if (spec.hostNetwork === true) {
    for (const field of ['containers', 'initContainers'] as const) {
      const containers = spec[field];
      if (!Array.isArray(containers)) continue;
      defaulted[field] = containers.map((container) => {
        if (!isObject(container) || !Array.isArray(container.ports)) return container;
        const ports = container.ports.map((port) =>
          isObject(port) && port.hostPort === undefined && typeof port.containerPort === 'number'
            ? { ...port, hostPort: port.containerPort }
            : port,
        );
        return { ...container, ports };
      });
    }
  }
  return { ...pod, spec: defaulted };
}

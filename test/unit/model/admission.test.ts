import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionObjects } from '../../../server/src/model/admission';
import { parseYamlDocument } from '../../../server/src/model/parse';
import { findResources } from '../../../server/src/model/resources';

function view(text: string, defaultNamespace = 'default') {
  const [resource] = findResources(parseYamlDocument(text).value);
  return admissionObjects(resource, defaultNamespace);
}

describe('admissionObjects', () => {
  it('presents a Deployment as itself and as the Pod its ReplicaSet creates', () => {
    const [applied, pod] = view(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {tier: front}}
spec:
  template:
    metadata: {labels: {app: web}, annotations: {a: b}}
    spec:
      containers: [{name: web, image: nginx}]
`);
    assert.deepEqual(applied.review.kind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(applied.workloadKind, undefined);
    assert.deepEqual(applied.toSourcePath(['spec', 'template']), ['spec', 'template']);
    assert.equal(pod.workloadKind, 'Deployment');
    assert.deepEqual(pod.review.kind, { group: '', version: 'v1', kind: 'Pod' });
    assert.equal(pod.review.namespace, 'shop');
    assert.deepEqual(pod.review.object.metadata, {
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true }],
    });
    assert.deepEqual(pod.toSourcePath(['spec', 'containers', 0, 'name']), ['spec', 'template', 'spec', 'containers', 0, 'name']);
    assert.deepEqual(pod.toSourcePath(['metadata', 'labels', 'app']), ['spec', 'template', 'metadata', 'labels', 'app']);
    assert.deepEqual(pod.toSourcePath(['metadata', 'name']), ['metadata', 'name']);
    assert.equal(pod.toSourcePath(['apiVersion']), undefined);
  });

  it('finds the pod template of a CronJob under its job template', () => {
    const [, pod] = view('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {spec: {template: {spec: {hostPID: true}}}}}\n');
    assert.equal(pod.review.object.spec && (pod.review.object.spec as { hostPID: boolean }).hostPID, true);
    assert.deepEqual(pod.toSourcePath(['spec', 'hostPID']), ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'hostPID']);
  });

  it('judges a manifest without a namespace in the default namespace', () => {
    const [pod] = view('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n', 'team-a');
    assert.equal(pod.review.namespace, 'team-a');
    assert.deepEqual(pod.review.object.metadata, { name: 'p', namespace: 'team-a' });
  });

  it('applies the API server defaults that templates can see', () => {
    const [pod] = view(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: true
  securityContext: {supplementalGroups: [], fsGroup: 1}
  volumes: [{name: v, hostPath: {path: /var}}]
  containers: [{name: a, image: x, ports: [{containerPort: 80}, {containerPort: 81, hostPort: 9081}]}]
`);
    const spec = pod.review.object.spec as Record<string, unknown>;
    assert.deepEqual(spec.volumes, [{ name: 'v', hostPath: { path: '/var', type: '' } }]);
    assert.deepEqual((spec.containers as { ports: unknown }[])[0].ports, [{ containerPort: 80, hostPort: 80 }, { containerPort: 81, hostPort: 9081 }]);
    assert.deepEqual(spec.securityContext, { fsGroup: 1 });
  });

  it('reviews other kinds only as applied', () => {
    const [service, ...none] = view('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n');
    assert.deepEqual(none, []);
    assert.deepEqual(service.review.kind, { group: '', version: 'v1', kind: 'Service' });
    assert.equal(service.review.namespace, 'default');
    assert.equal(view('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n').length, 1);
  });

  it('reviews cluster-scoped kinds without a namespace', () => {
    const [role] = view('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: []\n');
    assert.equal(role.review.namespace, '');
    assert.deepEqual(role.review.object.metadata, { name: 'r' });
  });

  it('judges Argo Rollouts and KEDA ScaledJobs like Deployments', () => {
    const rollout = view('apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec: {template: {spec: {hostIPC: true}}}\n');
    assert.equal(rollout[1].workloadKind, 'Rollout');
    const scaledJob = view('apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: j}\nspec: {jobTargetRef: {template: {spec: {hostIPC: true}}}}\n');
    assert.deepEqual(scaledJob[1].toSourcePath(['spec', 'hostIPC']), ['spec', 'jobTargetRef', 'template', 'spec', 'hostIPC']);
  });
});

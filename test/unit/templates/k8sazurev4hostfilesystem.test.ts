import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev3hostfilesystem } from '../../../server/src/templates/k8sazurev3hostfilesystem';
import { k8sazurev4hostfilesystem as template } from '../../../server/src/templates/k8sazurev4hostfilesystem';
import { assertFixesClear, container, culpritPaths, onlyViolation, podReview } from './support';

/** What version 6.3.0 of the definition passes by default (and Baseline, whose allowedHostPaths default is empty). */
const parameters = { allowedHostPaths: [], windowsAllowedHostPaths: [], excludedContainers: [], excludedImages: [] };
const WINDOWS = { 'kubernetes.io/os': 'windows' };

/** A pod whose `app` container mounts the hostPath volume `host` at `path`. */
function hostPathPod(path: string, spec: JsonObject = {}, mount: JsonObject = {}): ReturnType<typeof podReview> {
  return podReview({
    ...spec,
    containers: [container('app', { volumeMounts: [{ name: 'host', mountPath: '/host', ...mount }] })],
    volumes: [{ name: 'host', hostPath: { path, type: '' } }],
  });
}

describe('k8sazurev4hostfilesystem', () => {
  it('judges Linux pods exactly as v3 does, with the same messages', () => {
    const allowing = { ...parameters, allowedHostPaths: [{ pathPrefix: '/var/log', readOnly: true }] };
    for (const [review, values] of [
      [hostPathPod('/etc'), parameters],
      [hostPathPod('/var/log/pods'), allowing],
      [hostPathPod('/var/log/pods', {}, { readOnly: true }), allowing],
      [hostPathPod('/var/logs'), allowing],
    ] as const) {
      assert.deepEqual(template.check(review, values), k8sazurev3hostfilesystem.check(review, values));
    }
    const violation = onlyViolation(template.check(hostPathPod('/var/log/pods'), allowing));
    assert.equal(
      violation.message,
      'HostPath volume {"hostPath": {"path": "/var/log/pods", "type": ""}, "name": "host"} does not meet the readonly requirement, pod: demo. Allowed path: [{"pathPrefix": "/var/log", "readOnly": true}]',
    );
    assert.deepEqual(assertFixesClear(template, hostPathPod('/var/log/pods'), allowing, violation), []);
  });

  it('checks pods pinned to Windows against windowsAllowedHostPaths, which v3 skipped', () => {
    const review = hostPathPod('C:\\var\\log', { nodeSelector: WINDOWS });
    assert.deepEqual(k8sazurev3hostfilesystem.check(review, parameters), []);
    const violation = onlyViolation(template.check(review, { ...parameters, allowedHostPaths: [{ pathPrefix: '/', readOnly: false }] }));
    assert.equal(violation.message, 'HostPath volume {"hostPath": {"path": "C:\\\\var\\\\log", "type": ""}, "name": "host"} is not allowed, pod: demo. Allowed path: []');
    assert.deepEqual(culpritPaths(violation), [['spec', 'volumes', 0, 'hostPath', 'path']]);
  });

  it('matches Windows paths by segment, with either separator and in any letter case; C:\\ allows the whole drive', () => {
    const windowsAllowing = (pathPrefix: string, readOnly = false) => ({ ...parameters, windowsAllowedHostPaths: [{ pathPrefix, readOnly }] });
    const windowsPod = (path: string) => hostPathPod(path, { nodeSelector: WINDOWS });
    for (const path of ['C:\\var\\log', 'c:/VAR/log/app', 'C:\\var\\log\\']) assert.deepEqual(template.check(windowsPod(path), windowsAllowing('C:\\var\\log')), [], path);
    for (const path of ['C:\\var\\logs', 'D:\\var\\log', 'C:\\var']) assert.equal(template.check(windowsPod(path), windowsAllowing('C:\\var\\log')).length, 1, path);
    assert.deepEqual(template.check(windowsPod('C:\\ProgramData\\docker'), windowsAllowing('C:\\')), []);
    assert.equal(template.check(windowsPod('D:\\data'), windowsAllowing('C:\\')).length, 1);
  });

  it('requires read-only mounts of a read-only Windows prefix', () => {
    const readOnly = { ...parameters, windowsAllowedHostPaths: [{ pathPrefix: 'C:\\logs', readOnly: true }] };
    const review = hostPathPod('C:\\logs', { nodeSelector: WINDOWS });
    const violation = onlyViolation(template.check(review, readOnly));
    assert.match(violation.message, /does not meet the readonly requirement, pod: demo\. Allowed path: \[\{"pathPrefix": "C:\\\\logs", "readOnly": true\}\]$/);
    assert.deepEqual(assertFixesClear(template, review, readOnly, violation), []);
  });

  it('gives no verdict when the list of the pod\'s kind is false, as the Rego errs', () => {
    assert.deepEqual(template.check(hostPathPod('C:\\x', { nodeSelector: WINDOWS }), { ...parameters, windowsAllowedHostPaths: false }), []);
    assert.equal(template.check(hostPathPod('/x'), { ...parameters, windowsAllowedHostPaths: false }).length, 1);
  });
});

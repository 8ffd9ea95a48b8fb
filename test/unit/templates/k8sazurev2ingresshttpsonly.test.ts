import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev2ingresshttpsonly as template } from '../../../server/src/templates/k8sazurev2ingresshttpsonly';
import { appliedReview } from './objectReviews';
import { culpritPaths, firstFixOperations, messages, onlyViolation } from './support';

const AGIC_MESSAGE = 'Ingress should allow https only. tls configuration is required for web';
const NGINX_MESSAGE = 'Ingress should allow https only. tls configuration and annotation nginx.ingress.kubernetes.io/force-ssl-redirect=true are required for web';
const FORCE_SSL_REDIRECT = 'nginx.ingress.kubernetes.io/force-ssl-redirect';
const RULE = { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } };

function ingress(annotations: JsonObject, spec: JsonObject, apiVersion = 'networking.k8s.io/v1') {
  return appliedReview({ apiVersion, kind: 'Ingress', metadata: { name: 'web', annotations }, spec: { rules: [RULE], ...spec } });
}

describe('k8sazurev2ingresshttpsonly', () => {
  it('flags AGIC without TLS or an Application Gateway certificate, by annotation or (v2) by IngressClass', () => {
    const byAnnotation = onlyViolation(template.check(ingress({ 'kubernetes.io/ingress.class': 'azure/application-gateway' }, {}), {}));
    assert.equal(byAnnotation.message, AGIC_MESSAGE);
    assert.deepEqual(culpritPaths(byAnnotation), [['metadata', 'annotations', 'kubernetes.io/ingress.class']]);
    const byClass = onlyViolation(template.check(ingress({}, { ingressClassName: 'azure-application-gateway' }), {}));
    assert.deepEqual(culpritPaths(byClass), [['spec', 'ingressClassName']]);
    assert.deepEqual(template.check(ingress({}, { ingressClassName: 'azure-application-gateway', tls: [{ secretName: 'cert' }] }), {}), []);
    assert.deepEqual(template.check(ingress({ 'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'cert' }, { ingressClassName: 'azure-application-gateway' }), {}), []);
  });

  it('flags nginx (and, in v2, application routing) unless it serves TLS and redirects HTTP', () => {
    for (const ingressClassName of ['nginx', 'webapprouting.kubernetes.azure.com']) {
      assert.deepEqual(messages(template.check(ingress({}, { ingressClassName }), {})), [NGINX_MESSAGE], ingressClassName);
      assert.deepEqual(template.check(ingress({ [FORCE_SSL_REDIRECT]: 'true' }, { ingressClassName, tls: [{ secretName: 'cert' }] }), {}), [], ingressClassName);
    }
    assert.deepEqual(template.check(ingress({ 'kubernetes.io/ingress.class': 'nginx', [FORCE_SSL_REDIRECT]: 'true' }, { tls: [{ secretName: 'cert' }] }), {}), []);
  });

  it('counts nginx as redirecting when every rule names a host and ssl-redirect is not "false"', () => {
    const tls = { tls: [{ secretName: 'cert' }] };
    assert.deepEqual(template.check(ingress({}, { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', ...RULE }], ...tls }), {}), []);
    assert.equal(template.check(ingress({}, { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', ...RULE }, RULE], ...tls }), {}).length, 1);
    assert.equal(template.check(ingress({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' }, { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', ...RULE }], ...tls }), {}).length, 1);
  });

  it('accepts client certificates or TLS passthrough in place of a tls section', () => {
    const httpsAnnotations: JsonObject[] = [{ 'nginx.ingress.kubernetes.io/auth-tls-secret': 'ns/ca' }, { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' }];
    for (const https of httpsAnnotations) {
      assert.deepEqual(template.check(ingress({ [FORCE_SSL_REDIRECT]: 'true', ...https }, { ingressClassName: 'nginx' }), {}), []);
    }
  });

  it('points at a force-ssl-redirect that is not "true", and offers to set it when TLS is in place', () => {
    const violation = onlyViolation(template.check(ingress({ [FORCE_SSL_REDIRECT]: 'false' }, { ingressClassName: 'nginx', tls: [{ secretName: 'cert' }] }), {}));
    assert.deepEqual(culpritPaths(violation), [['metadata', 'annotations', FORCE_SSL_REDIRECT]]);
    assert.deepEqual(firstFixOperations(violation), [{ op: 'set', path: ['metadata', 'annotations', FORCE_SSL_REDIRECT], value: 'true' }]);
    const withoutTls = onlyViolation(template.check(ingress({ [FORCE_SSL_REDIRECT]: 'true' }, { ingressClassName: 'nginx' }), {}));
    assert.deepEqual(culpritPaths(withoutTls), [['spec', 'ingressClassName']]);
    assert.equal(withoutTls.culprits[0]?.fixes, undefined, 'no edit can supply a certificate');
  });

  it('ignores other controllers and Ingresses of other API groups', () => {
    assert.deepEqual(template.check(ingress({}, { ingressClassName: 'traefik' }), {}), []);
    assert.deepEqual(template.check(ingress({}, {}), {}), []);
    assert.deepEqual(template.check(ingress({}, { ingressClassName: 'nginx' }, 'example.com/v1'), {}), []);
  });

  // v2 extends v1, so Microsoft's v1 examples must still be judged as they say.
  const v1Examples = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'azure-policy', 'templates', 'ingress-https-only', 'v1', 'examples');
  it("agrees with Microsoft's v1 examples", { skip: !existsSync(v1Examples) && 'reference examples not present' }, () => {
    for (const scenario of readdirSync(v1Examples)) {
      for (const [folder, denied] of [['good', false], ['violations', true]] as const) {
        for (const file of readdirSync(join(v1Examples, scenario, folder))) {
          const documents = parseAllDocuments(readFileSync(join(v1Examples, scenario, folder, file), 'utf8'));
          const findings = documents.flatMap((document) => template.check(appliedReview(document.toJS() as JsonObject), {}));
          assert.equal(findings.length > 0, denied, `${folder}/${file}`);
        }
      }
    }
  });
});

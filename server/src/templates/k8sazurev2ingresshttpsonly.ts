import { getPath, isObject, type JsonObject, type JsonValue, type Path } from '../json';
import { culpritAt, entriesOf, fixIfApplicable, isTruthy, sprintf, storeUrl } from './common';
import type { ConstraintTemplate, Culprit, TemplateViolation } from './types';

const CLASS_ANNOTATION = ['metadata', 'annotations', 'kubernetes.io/ingress.class'];
const CLASS_NAME = ['spec', 'ingressClassName'];
const FORCE_SSL_REDIRECT = ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/force-ssl-redirect'];
/** IngressClass names of the nginx-based controllers: community nginx, and the AKS application routing add-on (inferred for v2). */
const NGINX_CLASSES = ['nginx', 'webapprouting.kubernetes.azure.com'];
/** The IngressClass of the Application Gateway Ingress Controller add-on (inferred for v2; v1 knew only the annotation). */
const AGIC_CLASS = 'azure-application-gateway';

function annotation(ingress: JsonObject, name: string): JsonValue | undefined {
  return getPath(ingress, ['metadata', 'annotations', name]);
}

/** Rego's `count`: items of an array or object, characters of a string; undefined otherwise. */
function count(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'string') return Array.from(value).length;
  return Array.isArray(value) || isObject(value) ? entriesOf(value).length : undefined;
}

const hasTls = (ingress: JsonObject) => (count(getPath(ingress, ['spec', 'tls'])) ?? 0) > 0;

/** The field that selects the controller: `spec.ingressClassName` when it decides, else the class annotation. */
function classCulpritPath(ingress: JsonObject): Path {
  return getPath(ingress, CLASS_NAME) !== undefined ? CLASS_NAME : CLASS_ANNOTATION;
}

/** AGIC serves HTTP unless the Ingress has TLS or an Application Gateway certificate. */
function agicViolation(ingress: JsonObject): TemplateViolation | undefined {
  const isAgic = annotation(ingress, 'kubernetes.io/ingress.class') === 'azure/application-gateway' || getPath(ingress, CLASS_NAME) === AGIC_CLASS;
  if (!isAgic || hasTls(ingress) || isTruthy(annotation(ingress, 'appgw.ingress.kubernetes.io/appgw-ssl-certificate'))) return undefined;
  const message = sprintf('Ingress should allow https only. tls configuration is required for %v', [getPath(ingress, ['metadata', 'name'])]);
  const path = getPath(ingress, CLASS_NAME) === AGIC_CLASS ? CLASS_NAME : CLASS_ANNOTATION;
  return message === undefined ? undefined : { message, culprits: [culpritAt(path)] };
}

function isNginx(ingress: JsonObject): boolean {
  const className = getPath(ingress, CLASS_NAME);
  if (className === undefined || className === false) return annotation(ingress, 'kubernetes.io/ingress.class') === 'nginx';
  return NGINX_CLASSES.some((nginxClass) => nginxClass === className);
}

/**
 * nginx redirects HTTP to HTTPS when told to (`force-ssl-redirect`), or by default when every rule names a host
 * and `ssl-redirect` is not "false".
 */
function redirectsToHttps(ingress: JsonObject): boolean {
  if (annotation(ingress, 'nginx.ingress.kubernetes.io/force-ssl-redirect') === 'true') return true;
  if (annotation(ingress, 'nginx.ingress.kubernetes.io/ssl-redirect') === 'false') return false;
  const rules = getPath(ingress, ['spec', 'rules']);
  const ruleCount = count(rules);
  return ruleCount !== undefined && entriesOf(rules).filter(([, rule]) => getPath(rule, ['host']) !== undefined).length === ruleCount;
}

/** nginx serves HTTPS with TLS, client certificates (`auth-tls-secret`), or TLS passthrough. */
function servesHttps(ingress: JsonObject): boolean {
  return (
    hasTls(ingress) ||
    isTruthy(annotation(ingress, 'nginx.ingress.kubernetes.io/auth-tls-secret')) ||
    annotation(ingress, 'nginx.ingress.kubernetes.io/ssl-passthrough') === 'true'
  );
}

function nginxViolation(ingress: JsonObject): TemplateViolation | undefined {
  if (!isNginx(ingress) || (redirectsToHttps(ingress) && servesHttps(ingress))) return undefined;
  const message = sprintf(
    'Ingress should allow https only. tls configuration and annotation nginx.ingress.kubernetes.io/force-ssl-redirect=true are required for %v',
    [getPath(ingress, ['metadata', 'name'])],
  );
  if (message === undefined) return undefined;
  const redirect = getPath(ingress, FORCE_SSL_REDIRECT);
  const redirectRefused = redirect !== undefined && redirect !== 'true';
  // With TLS in place, forcing the redirect is all that is missing, and it only sends HTTP clients to HTTPS.
  const fix = servesHttps(ingress)
    ? fixIfApplicable(ingress, 'Set nginx.ingress.kubernetes.io/force-ssl-redirect: "true"', true, [{ op: 'set', path: FORCE_SSL_REDIRECT, value: 'true' }])
    : undefined;
  const culprit: Culprit = culpritAt(redirectRefused ? FORCE_SSL_REDIRECT : classCulpritPath(ingress), undefined, [fix]);
  return { message, culprits: [culprit] };
}

/**
 * Ingress served over HTTP, by the controllers it knows (AGIC and nginx; other controllers are not judged).
 * v2 is not published: this is v1's Rego, with the IngressClass names that v1 missed (see the README).
 */
export const k8sazurev2ingresshttpsonly: ConstraintTemplate = {
  name: 'k8sazurev2ingresshttpsonly',
  kind: 'K8sAzureV2IngressHttpsOnly',
  storeUrl: storeUrl('ingress-https-only', 'v2'),
  check(review) {
    if (review.kind.kind !== 'Ingress' || !/^(extensions|networking.k8s.io)$/.test(review.kind.group)) return [];
    return [agicViolation(review.object), nginxViolation(review.object)].filter((violation): violation is TemplateViolation => violation !== undefined);
  },
};

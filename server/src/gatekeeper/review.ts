import { isObject, type JsonObject, type JsonValue } from '../json';
import type { Review } from '../templates/types';

/**
 * `input.review` as Gatekeeper builds it: the JSON of a Kubernetes AdmissionRequest. A plain object (as gator
 * reviews it) becomes a request with no operation; an AdmissionReview brings its own request.
 */
export interface AdmissionReviewInput {
  /** What the template sees as `input.review`. */
  review: JsonObject;
  /** The objects `spec.match` looks at: the object, the old object, or both. */
  matchObjects: JsonObject[];
  /** The request's namespace, used to find the Namespace object for a namespaceSelector. */
  namespace: string;
}

export class ReviewError extends Error {}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function groupVersionKindOf(object: JsonObject): GroupVersionKind {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: typeof object.kind === 'string' ? object.kind : '',
  };
}

export function metadataString(object: JsonObject, field: 'name' | 'namespace'): string {
  const value = isObject(object.metadata) ? object.metadata[field] : undefined;
  return typeof value === 'string' ? value : '';
}

export function isAdmissionReview(object: JsonObject): boolean {
  const { group, kind } = groupVersionKindOf(object);
  return kind === 'AdmissionReview' && group === 'admission.k8s.io';
}

/** The fields of admission/v1 AdmissionRequest; gator refuses a request with any other. */
const REQUEST_FIELDS = new Set([
  'uid',
  'kind',
  'resource',
  'subResource',
  'requestKind',
  'requestResource',
  'requestSubResource',
  'name',
  'namespace',
  'operation',
  'userInfo',
  'object',
  'oldObject',
  'dryRun',
  'options',
]);
const USER_INFO_FIELDS = ['username', 'uid', 'groups', 'extra'];

function stringField(source: JsonObject, key: string): string {
  const value = source[key];
  return typeof value === 'string' ? value : '';
}

function objectField(source: JsonObject, key: string): JsonObject | undefined {
  const value = source[key];
  return isObject(value) ? value : undefined;
}

/** The review of an object as gator makes it: kind and name from the object, no operation, no user. */
export function reviewOfObject(object: JsonObject): AdmissionReviewInput {
  const namespace = metadataString(object, 'namespace');
  return {
    review: admissionRequestJson({ kind: { ...groupVersionKindOf(object) }, name: metadataString(object, 'name'), namespace, object }),
    matchObjects: [object],
    namespace,
  };
}

/** The review of an AdmissionReview's request, checked as gator checks it (no unknown fields, an object to review). */
export function reviewOfAdmissionReview(admissionReview: JsonObject): AdmissionReviewInput {
  const unknownTop = Object.keys(admissionReview).filter((key) => !['apiVersion', 'kind', 'request', 'response'].includes(key));
  if (unknownTop.length > 0) throw new ReviewError(`unable to convert to an AdmissionReview object: unknown field "${unknownTop[0]}"`);
  const request = objectField(admissionReview, 'request');
  if (!request) throw new ReviewError('the AdmissionReview has no request');
  const unknown = Object.keys(request).filter((key) => !REQUEST_FIELDS.has(key));
  if (unknown.length > 0) throw new ReviewError(`unable to convert to an AdmissionReview object: unknown field "request.${unknown[0]}"`);
  let object = objectField(request, 'object');
  const oldObject = objectField(request, 'oldObject');
  if (!object && !oldObject) throw new ReviewError('the AdmissionRequest has no "object" or "oldObject" to review');
  // As the API server does for DELETE: the object under review is the old object.
  if (stringField(request, 'operation') === 'DELETE' && !object) object = oldObject;
  return {
    review: admissionRequestJson({ ...request, object: object ?? null }),
    matchObjects: [object, oldObject].filter((candidate): candidate is JsonObject => candidate !== undefined),
    namespace: stringField(request, 'namespace'),
  };
}

/** An AdmissionRequest as encoding/json writes it: empty strings and nil pointers left out where Go omits them. */
function admissionRequestJson(request: JsonObject): JsonObject {
  const kind = objectField(request, 'kind') ?? {};
  const resource = objectField(request, 'resource') ?? {};
  const review: JsonObject = {
    uid: stringField(request, 'uid'),
    kind: { group: stringField(kind, 'group'), version: stringField(kind, 'version'), kind: stringField(kind, 'kind') },
    resource: { group: stringField(resource, 'group'), version: stringField(resource, 'version'), resource: stringField(resource, 'resource') },
  };
  const optional = (key: string, value: JsonValue | undefined) => {
    if (value !== undefined && value !== null && value !== '') review[key] = value;
  };
  optional('subResource', request.subResource);
  optional('requestKind', request.requestKind);
  optional('requestResource', request.requestResource);
  optional('requestSubResource', request.requestSubResource);
  optional('name', request.name);
  optional('namespace', request.namespace);
  review.operation = stringField(request, 'operation');
  const userInfo = objectField(request, 'userInfo') ?? {};
  review.userInfo = Object.fromEntries(USER_INFO_FIELDS.filter((key) => userInfo[key] !== undefined && userInfo[key] !== '').map((key) => [key, userInfo[key]]));
  review.object = request.object ?? null;
  review.oldObject = request.oldObject ?? null;
  optional('dryRun', request.dryRun);
  review.options = request.options ?? null;
  return review;
}

/** The engine's review of an object (kind, name, namespace, operation) as the admission request Gatekeeper's drivers get. */
export function admissionInputOf(review: Review): AdmissionReviewInput {
  return reviewOfAdmissionReview({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { kind: { ...review.kind }, name: review.name, namespace: review.namespace, operation: review.operation, object: review.object },
  });
}

import { isObject, type JsonObject, type JsonValue, type Path } from '../json';

/** A Kubernetes object found in a YAML document (the document itself, or an item of a `kind: List`). */
export interface Resource {
  /** Where the object is inside the document's JSON value. */
  path: Path;
  apiVersion: string;
  /** API group: '' for the core group (`v1`). */
  group: string;
  kind: string;
  name: string;
  /** `metadata.namespace` when the manifest sets it. */
  namespace?: string;
  value: JsonObject;
}

/** The Kubernetes objects of one document; none for YAML that is not a Kubernetes object. */
export function findResources(value: JsonValue | undefined): Resource[] {
  const top = asResource(value, []);
  if (!top) return [];
  const items = top.value.items;
  if (top.kind.endsWith('List') && Array.isArray(items)) {
    return items.flatMap((item, index) => {
      const resource = asResource(item, ['items', index]);
      return resource ? [resource] : [];
    });
  }
  return [top];
}

function asResource(value: JsonValue | undefined, path: Path): Resource | undefined {
  if (!isObject(value)) return undefined;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const slash = apiVersion.indexOf('/');
  return {
    path,
    apiVersion,
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined,
    value,
  };
}

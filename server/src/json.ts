/** JSON values: what the API server stores and what Gatekeeper's Rego reads. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A step into a JSON value: an object key or an array index. */
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** Reads the value at `path`, or undefined when any step is missing. */
export function getPath(root: JsonValue | undefined, path: Path): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
      node = node[segment];
    }
  }
  return node;
}

import { celMethod, CelScalar, objectType, type CelFunc, type CelObjectType, type CelValue } from '@bufbuild/cel';
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { isReflectMessage, reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

/**
 * Kubernetes' CEL libraries add opaque types (`kubernetes.Quantity`, `kubernetes.URL`, `kubernetes.Semver`, `net.IP`,
 * `net.CIDR`).
 * @bufbuild/cel knows no values but its own and protobuf messages, so each type is a message declared here at run
 * time: CEL then dispatches overloads on its name, `type(x)` names it, and `==` compares the fields, which are
 * chosen so that field equality is Kubernetes' equality for the type.
 */
export interface OpaqueType {
  desc: DescMessage;
  celType: CelObjectType;
}

type FieldSpec = readonly [name: string, type: 'string' | 'bytes' | 'int32'];

const PROTO_TYPES = { string: FieldDescriptorProto_Type.STRING, bytes: FieldDescriptorProto_Type.BYTES, int32: FieldDescriptorProto_Type.INT32 } as const;

function declare(protoPackage: string, messages: Record<string, readonly FieldSpec[]>): Record<string, OpaqueType> {
  const file = create(FileDescriptorProtoSchema, {
    name: `aks-policy-live/${protoPackage}.proto`,
    package: protoPackage,
    syntax: 'proto3',
    messageType: Object.entries(messages).map(([name, fields]) => ({
      name,
      field: fields.map(([fieldName, type], index) => ({ name: fieldName, number: index + 1, type: PROTO_TYPES[type], label: 1, jsonName: fieldName })),
    })),
  });
  const registry = createFileRegistry(file, () => undefined);
  return Object.fromEntries(
    Object.keys(messages).map((name) => {
      const desc = registry.getMessage(`${protoPackage}.${name}`);
      if (!desc) throw new Error(`internal: ${protoPackage}.${name} was not declared`);
      return [name, { desc, celType: objectType(desc) }];
    }),
  );
}

const kubernetes = declare('kubernetes', { Quantity: [['value', 'string']], URL: [['text', 'string']], Semver: [['version', 'string']] });
const net = declare('net', { IP: [['address', 'bytes']], CIDR: [['address', 'bytes'], ['bits', 'int32']] });

export const QUANTITY_TYPE = kubernetes.Quantity;
export const URL_TYPE = kubernetes.URL;
export const SEMVER_TYPE = kubernetes.Semver;
export const IP_TYPE = net.IP;
export const CIDR_TYPE = net.CIDR;

/** A CEL value of `type` with these fields. */
export function opaqueValue(type: OpaqueType, fields: Record<string, unknown>): ReflectMessage {
  return reflect(type.desc, create(type.desc, fields));
}

/** The fields of a CEL value of `type`; an error for any other value (CEL found the overload by type, so rare). */
export function opaqueFields(type: OpaqueType, value: CelValue): Record<string, unknown> {
  if (!isReflectMessage(value, type.desc)) throw new Error(`expected a ${type.desc.typeName}`);
  return value.message as Record<string, unknown>;
}

/**
 * Converts a library's own values to CEL values of `type` and back: the CEL value carries `fieldsOf` (what CEL's `==`
 * compares), and the library's value rides along with it, keyed by its message.
 */
export function opaqueCodec<T>(type: OpaqueType, fieldsOf: (value: T) => Record<string, unknown>, constructor: string): { toCel(value: T): ReflectMessage; fromCel(value: CelValue): T } {
  const valuesOf = new WeakMap<object, T>();
  return {
    toCel(value) {
      const cel = opaqueValue(type, fieldsOf(value));
      valuesOf.set(cel.message, value);
      return cel;
    },
    fromCel(cel) {
      opaqueFields(type, cel);
      const value = valuesOf.get((cel as ReflectMessage).message);
      if (value === undefined) throw new Error(`a ${type.desc.typeName} must come from ${constructor}()`);
      return value;
    },
  };
}

/** `isGreaterThan`, `isLessThan` and `compareTo` of a type whose values `compare` orders as -1, 0 or 1. */
export function comparisonMethods<T>(type: OpaqueType, fromCel: (value: CelValue) => T, compare: (left: T, right: T) => number): CelFunc[] {
  const celType = type.celType;
  return [
    celMethod('isGreaterThan', celType, [celType], CelScalar.BOOL, function (this: CelValue, other: CelValue) {
      return compare(fromCel(this), fromCel(other)) === 1;
    }),
    celMethod('isLessThan', celType, [celType], CelScalar.BOOL, function (this: CelValue, other: CelValue) {
      return compare(fromCel(this), fromCel(other)) === -1;
    }),
    celMethod('compareTo', celType, [celType], CelScalar.INT, function (this: CelValue, other: CelValue) {
      return BigInt(compare(fromCel(this), fromCel(other)));
    }),
  ];
}

/** Whether `parse` accepts its input: the `isX(string)` functions of the Kubernetes libraries. */
export function succeeds(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

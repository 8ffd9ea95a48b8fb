import { RegoObject, RegoSet, typeName } from '../value';
import { define, type BuiltinTable } from './types';

export const typeCheckBuiltins: BuiltinTable = {
  is_string: define(1, (args) => typeof args[0] === 'string'),
  is_number: define(1, (args) => typeof args[0] === 'number'),
  is_boolean: define(1, (args) => typeof args[0] === 'boolean'),
  is_null: define(1, (args) => args[0] === null),
  is_array: define(1, (args) => Array.isArray(args[0])),
  is_set: define(1, (args) => args[0] instanceof RegoSet),
  is_object: define(1, (args) => args[0] instanceof RegoObject),
  type_name: define(1, (args) => typeName(args[0])),
};

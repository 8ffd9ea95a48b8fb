import { goRegExp } from '../goRegex';
import { BuiltinError } from './errors';

/** A Go pattern compiled for Rego's regex built-ins; a pattern Go would reject is a BuiltinError (the call is undefined). */
export function compileGoRegex(pattern: string): RegExp {
  try {
    return goRegExp(pattern);
  } catch (error) {
    throw new BuiltinError((error as Error).message);
  }
}

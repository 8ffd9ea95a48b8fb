import { BuiltinError } from '../errors';
import { define, stringOperand, type BuiltinTable } from './types';

/** Semantic Versioning 2.0.0 (https://semver.org), as OPA's semver built-ins read it: no leading "v". */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version {
  core: [bigint, bigint, bigint];
  prerelease: string[];
}

function parseVersion(text: string, position: number): Version {
  const match = SEMVER.exec(text);
  if (!match) throw new BuiltinError(`operand ${position}: string ${JSON.stringify(text)} is not a valid SemVer`);
  return { core: [BigInt(match[1]), BigInt(match[2]), BigInt(match[3])], prerelease: match[4] ? match[4].split('.') : [] };
}

function sign(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Precedence per semver.org §11: core numerically; a pre-release is lower; identifiers compared one by one. */
function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return sign(a.core[i], b.core[i]);
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return sign(BigInt(b.prerelease.length), BigInt(a.prerelease.length));
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const [x, y] = [a.prerelease[i], b.prerelease[i]];
    if (x === y) continue;
    const [xNumeric, yNumeric] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (xNumeric && yNumeric) return sign(BigInt(x), BigInt(y));
    if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return sign(BigInt(a.prerelease.length), BigInt(b.prerelease.length));
}

export const semverBuiltins: BuiltinTable = {
  'semver.is_valid': define(1, (args) => typeof args[0] === 'string' && SEMVER.test(args[0])),
  'semver.compare': define(2, (args) => compareVersions(parseVersion(stringOperand(args, 0), 1), parseVersion(stringOperand(args, 1), 2))),
};

/** The Pod Security Standards checks, in the order PSA evaluates them: baseline, then restricted, each by id. */
import { pssAllowPrivilegeEscalation } from './allowPrivilegeEscalation';
import { pssAppArmorProfile } from './appArmorProfile';
import { pssCapabilitiesBaseline } from './capabilities_baseline';
import { pssCapabilitiesRestricted } from './capabilities_restricted';
import type { PssCheck } from './common';
import { pssHostNamespaces } from './hostNamespaces';
import { pssHostPathVolumes } from './hostPathVolumes';
import { pssHostPorts } from './hostPorts';
import { pssHostProbesAndHostLifecycle } from './hostProbesAndHostLifecycle';
import { pssPrivileged } from './privileged';
import { pssProcMount } from './procMount';
import { pssProcMountRestricted } from './procMount_restricted';
import { pssRestrictedVolumes } from './restrictedVolumes';
import { pssRunAsNonRoot } from './runAsNonRoot';
import { pssRunAsUser } from './runAsUser';
import { pssSeccompProfileBaseline } from './seccompProfile_baseline';
import { pssSeccompProfileRestricted } from './seccompProfile_restricted';
import { pssSeLinuxOptions } from './seLinuxOptions';
import { pssSysctls } from './sysctls';
import { pssWindowsHostProcess } from './windowsHostProcess';

export type { PssCheck, PssLevel } from './common';

export const pssChecks: readonly PssCheck[] = Object.freeze([
  pssAppArmorProfile,
  pssCapabilitiesBaseline,
  pssHostNamespaces,
  pssHostPathVolumes,
  pssHostPorts,
  pssHostProbesAndHostLifecycle,
  pssPrivileged,
  pssProcMount,
  pssSeLinuxOptions,
  pssSeccompProfileBaseline,
  pssSysctls,
  pssWindowsHostProcess,
  pssAllowPrivilegeEscalation,
  pssCapabilitiesRestricted,
  pssProcMountRestricted,
  pssRestrictedVolumes,
  pssRunAsNonRoot,
  pssRunAsUser,
  pssSeccompProfileRestricted,
]);

import { getPath } from '../../json';
import { culpritAt } from '../common';
import type { Culprit } from '../types';
import { goString, itemsAt, podSecurityContextPath, pssCheck } from './common';

/** The namespaced sysctls that cannot affect other pods, as of policy 1.37. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  // 1.27
  'net.ipv4.ip_local_reserved_ports',
  // 1.29
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  // 1.32
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  // 1.37
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

/** Baseline: the pod may set only safe sysctls. */
export const pssSysctls = pssCheck({
  checkId: 'sysctls',
  level: 'baseline',
  sourceFile: 'check_sysctls.go',
  evaluate(review) {
    const sysctlsPath = podSecurityContextPath('sysctls');
    const forbidden: string[] = [];
    const culprits: Culprit[] = [];
    itemsAt(review, sysctlsPath).forEach((sysctl, index) => {
      const name = goString(getPath(sysctl, ['name']));
      if (SAFE_SYSCTLS.has(name)) return;
      forbidden.push(name);
      culprits.push(culpritAt([...sysctlsPath, index, 'name'], [...sysctlsPath, index]));
    });
    if (forbidden.length === 0) return undefined;
    // Listed as written, repeats included.
    return { reason: 'forbidden sysctls', detail: forbidden.join(', '), culprits };
  },
});

/** The registry of native constraint templates: the only place that lists them. */
import { k8sazurev1allowedsysctls } from './k8sazurev1allowedsysctls';
import { k8sazurev1antiaffinityrules } from './k8sazurev1antiaffinityrules';
import { k8sazurev1blockadminrolebindings } from './k8sazurev1blockadminrolebindings';
import { k8sazurev1blockdefault } from './k8sazurev1blockdefault';
import { k8sazurev1blockendpointeditdefaultrole } from './k8sazurev1blockendpointeditdefaultrole';
import { k8sazurev1blocknakedpods } from './k8sazurev1blocknakedpods';
import { k8sazurev1blockresource } from './k8sazurev1blockresource';
import { k8sazurev1blockwildcardroles } from './k8sazurev1blockwildcardroles';
import { k8sazurev1containerenforceprestophook } from './k8sazurev1containerenforceprestophook';
import { k8sazurev1containerrequests } from './k8sazurev1containerrequests';
import { k8sazurev1containerrestrictedimagepulls } from './k8sazurev1containerrestrictedimagepulls';
import { k8sazurev1enforcecsidriver } from './k8sazurev1enforcecsidriver';
import { k8sazurev1externalips } from './k8sazurev1externalips';
import { k8sazurev1flexvolumes } from './k8sazurev1flexvolumes';
import { k8sazurev1forbiddensysctls } from './k8sazurev1forbiddensysctls';
import { k8sazurev1loadbalancernopublicips } from './k8sazurev1loadbalancernopublicips';
import { k8sazurev1podenforcelabels } from './k8sazurev1podenforcelabels';
import { k8sazurev1printmutationsannotations } from './k8sazurev1printmutationsannotations';
import { k8sazurev1requiredannotations } from './k8sazurev1requiredannotations';
import { k8sazurev1reservedtaints } from './k8sazurev1reservedtaints';
import { k8sazurev1restrictedlabels } from './k8sazurev1restrictedlabels';
import { k8sazurev1restrictednodeedits } from './k8sazurev1restrictednodeedits';
import { k8sazurev1serviceallowedports } from './k8sazurev1serviceallowedports';
import { k8sazurev1uniqueserviceselector } from './k8sazurev1uniqueserviceselector';
import { k8sazurev1windowsblockcontaineradmin } from './k8sazurev1windowsblockcontaineradmin';
import { k8sazurev1windowsblockhostprocess } from './k8sazurev1windowsblockhostprocess';
import { k8sazurev1windowscontainerallowedusernames } from './k8sazurev1windowscontainerallowedusernames';
import { k8sazurev1windowscontainerresources } from './k8sazurev1windowscontainerresources';
import { k8sazurev2blockautomounttoken } from './k8sazurev2blockautomounttoken';
import { k8sazurev2blockhostnamespace } from './k8sazurev2blockhostnamespace';
import { k8sazurev2containerallowedimages } from './k8sazurev2containerallowedimages';
import { k8sazurev2containerallowedpullpolicy } from './k8sazurev2containerallowedpullpolicy';
import { k8sazurev2containerenforceprobes } from './k8sazurev2containerenforceprobes';
import { k8sazurev2containernolatestimage } from './k8sazurev2containernolatestimage';
import { k8sazurev2disallowedbadpoddisruptionbudgets } from './k8sazurev2disallowedbadpoddisruptionbudgets';
import { k8sazurev2ingresshttpsonly } from './k8sazurev2ingresshttpsonly';
import { k8sazurev2noprivilege } from './k8sazurev2noprivilege';
import { k8sazurev2requireingresshost } from './k8sazurev2requireingresshost';
import { k8sazurev2selinux } from './k8sazurev2selinux';
import { k8sazurev2volumetypes } from './k8sazurev2volumetypes';
import { k8sazurev3allowedcapabilities } from './k8sazurev3allowedcapabilities';
import { k8sazurev3allowedseccomp } from './k8sazurev3allowedseccomp';
import { k8sazurev3allowedusersgroups } from './k8sazurev3allowedusersgroups';
import { k8sazurev3blockhostnamespace } from './k8sazurev3blockhostnamespace';
import { k8sazurev3containerlimits } from './k8sazurev3containerlimits';
import { k8sazurev3disallowedcapabilities } from './k8sazurev3disallowedcapabilities';
import { k8sazurev3enforceapparmor } from './k8sazurev3enforceapparmor';
import { k8sazurev3hostfilesystem } from './k8sazurev3hostfilesystem';
import { k8sazurev3hostnetworkingports } from './k8sazurev3hostnetworkingports';
import { k8sazurev3noprivilegeescalation } from './k8sazurev3noprivilegeescalation';
import { k8sazurev3readonlyrootfilesystem } from './k8sazurev3readonlyrootfilesystem';
import { k8sazurev3selinux } from './k8sazurev3selinux';
import { k8sazurev4hostfilesystem } from './k8sazurev4hostfilesystem';
import { k8sazurev4hostnetworkingports } from './k8sazurev4hostnetworkingports';
import { k8sazurev4noprivilegeescalation } from './k8sazurev4noprivilegeescalation';
import { k8sazurev4procmount } from './k8sazurev4procmount';
import { pssChecks } from './pss/index';
import type { ConstraintTemplate } from './types';

export interface TemplateRegistry {
  templates: readonly ConstraintTemplate[];
  byName: ReadonlyMap<string, ConstraintTemplate>;
  byStoreUrl: ReadonlyMap<string, ConstraintTemplate>;
}

/** Indexes templates by name and store URL; a second template with the same name, kind or URL is a programming error. */
export function createTemplateRegistry(templates: readonly ConstraintTemplate[]): TemplateRegistry {
  const byName = new Map<string, ConstraintTemplate>();
  const byKind = new Map<string, ConstraintTemplate>();
  const byStoreUrl = new Map<string, ConstraintTemplate>();
  for (const template of templates) {
    for (const [index, key, label] of [
      [byName, template.name, 'name'],
      [byKind, template.kind, 'kind'],
      [byStoreUrl, template.storeUrl, 'store URL'],
    ] as const) {
      const existing = index.get(key);
      if (existing) throw new Error(`Templates ${existing.name} and ${template.name} have the same ${label}: ${key}`);
      index.set(key, template);
    }
  }
  return { templates: Object.freeze([...templates]), byName, byStoreUrl };
}

const registry = createTemplateRegistry([
  k8sazurev2noprivilege,
  k8sazurev3hostnetworkingports,
  k8sazurev2blockhostnamespace,
  k8sazurev3allowedcapabilities,
  k8sazurev3hostfilesystem,
  k8sazurev3noprivilegeescalation,
  k8sazurev2volumetypes,
  k8sazurev3allowedusersgroups,
  k8sazurev3allowedseccomp,
  // Pod built-ins assigned on their own (aksPolicy.policies), from the reference's versioned templates.
  k8sazurev4procmount,
  k8sazurev2blockautomounttoken,
  k8sazurev2containerallowedimages,
  k8sazurev2containerallowedpullpolicy,
  k8sazurev3disallowedcapabilities,
  k8sazurev2containerenforceprobes,
  k8sazurev3containerlimits,
  k8sazurev1containerrestrictedimagepulls,
  k8sazurev3enforceapparmor,
  k8sazurev1flexvolumes,
  k8sazurev1forbiddensysctls,
  k8sazurev3readonlyrootfilesystem,
  k8sazurev2selinux,
  k8sazurev1windowsblockcontaineradmin,
  k8sazurev1windowscontainerallowedusernames,
  k8sazurev1windowscontainerresources,
  // Current versions of Pod built-ins whose store templates have no published copy (README: Inferred semantics).
  k8sazurev4hostnetworkingports,
  k8sazurev3blockhostnamespace,
  k8sazurev4noprivilegeescalation,
  k8sazurev4hostfilesystem,
  k8sazurev3selinux,
  k8sazurev2containernolatestimage,
  k8sazurev1containerrequests,
  k8sazurev1containerenforceprestophook,
  k8sazurev1windowsblockhostprocess,
  k8sazurev1allowedsysctls,
  k8sazurev1printmutationsannotations,
  // Built-ins that judge objects other than plain Pods: Services, Ingresses, RBAC, Nodes, workloads as applied.
  k8sazurev1externalips,
  k8sazurev1blockdefault,
  k8sazurev1blockendpointeditdefaultrole,
  k8sazurev1blocknakedpods,
  k8sazurev1blockresource,
  k8sazurev1enforcecsidriver,
  k8sazurev1requiredannotations,
  k8sazurev2ingresshttpsonly,
  k8sazurev1loadbalancernopublicips,
  k8sazurev1antiaffinityrules,
  k8sazurev1restrictedlabels,
  k8sazurev1podenforcelabels,
  k8sazurev1reservedtaints,
  k8sazurev1serviceallowedports,
  k8sazurev1restrictednodeedits,
  k8sazurev1blockadminrolebindings,
  k8sazurev1blockwildcardroles,
  k8sazurev2disallowedbadpoddisruptionbudgets,
  k8sazurev2requireingresshost,
  k8sazurev1uniqueserviceselector,
  // The Pod Security Standards checks (pss-<check id>), listed in pss/index.ts.
  ...pssChecks,
]);

export const builtinTemplates: readonly ConstraintTemplate[] = registry.templates;

/** The template `kubectl get constrainttemplates` lists under `name`, e.g. `k8sazurev2noprivilege`. */
export function templateByName(name: string): ConstraintTemplate | undefined {
  return registry.byName.get(name);
}

/** The template at a store URL as definitions name it in `templateInfo.url`. */
export function templateByStoreUrl(url: string): ConstraintTemplate | undefined {
  return registry.byStoreUrl.get(url);
}

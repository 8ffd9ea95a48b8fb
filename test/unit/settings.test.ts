import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/settings';

describe('normalizeSettings', () => {
  it('gives the package.json defaults for nothing, without problems', () => {
    for (const raw of [undefined, null, {}]) {
      const { settings, problems } = normalizeSettings(raw);
      assert.deepEqual(settings, DEFAULT_SETTINGS);
      assert.deepEqual(problems, []);
    }
  });

  it('returns copies, so changing the result leaves the defaults alone', () => {
    const { settings } = normalizeSettings({});
    settings.excludedNamespaces.push('mine');
    assert.deepEqual(DEFAULT_SETTINGS.excludedNamespaces, ['kube-system', 'gatekeeper-system', 'azure-arc', 'azure-extensions-usage-system']);
  });

  it('reads every setting of the section', () => {
    const raw = {
      initiative: ' Restricted ',
      effect: 'Deny',
      excludedNamespaces: ['kube-system', 'team-*'],
      namespaces: ['prod'],
      parameters: { allowedCapabilities: ['CHOWN'] },
      policies: { NoPrivilegedContainers: { effect: 'DISABLED', parameters: { excludedContainers: ['istio-proxy'] } } },
      defaultNamespace: 'apps',
      exclude: ['**/vendor/**'],
      allowSuppressions: false,
      maxFileSize: 2.5,
      checkWorkspaceOnStartup: true,
      assignmentFile: ' azure/assignment.json ',
      customPolicyPaths: ['policies/**/*.json'],
      templateEngine: 'cel',
      initiativePaths: ['azure/sets/*.json'],
      constraintTemplatePaths: ['gatekeeper/**/*.yaml'],
      trace: { server: 'off' },
    };
    const { settings, problems } = normalizeSettings(raw);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      initiative: 'Restricted',
      effect: 'deny',
      excludedNamespaces: ['kube-system', 'team-*'],
      namespaces: ['prod'],
      parameters: { allowedCapabilities: ['CHOWN'] },
      policies: { NoPrivilegedContainers: { effect: 'disabled', parameters: { excludedContainers: ['istio-proxy'] } } },
      defaultNamespace: 'apps',
      exclude: ['**/vendor/**'],
      allowSuppressions: false,
      maxFileSize: 2.5,
      checkWorkspaceOnStartup: true,
      assignmentFile: 'azure/assignment.json',
      customPolicyPaths: ['policies/**/*.json'],
      templateEngine: 'cel',
      initiativePaths: ['azure/sets/*.json'],
      constraintTemplatePaths: ['gatekeeper/**/*.yaml'],
    });
  });

  it('treats null as not set, and ignores inherited properties', () => {
    const { settings, problems } = normalizeSettings({ effect: null, namespaces: null, policies: { A: { effect: null } } });
    assert.deepEqual(problems, []);
    assert.equal(settings.effect, 'audit');
    assert.deepEqual(settings.policies, { A: { parameters: {} } });
    assert.deepEqual(normalizeSettings(Object.create({ effect: 'deny' })), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('reports each bad value once, naming the setting and the fallback', () => {
    const { settings, problems } = normalizeSettings({
      initiative: 42,
      effect: 'block',
      excludedNamespaces: 'kube-system',
      namespaces: ['prod', 7, 'Bad_Name'],
      parameters: ['x'],
      policies: { A: 'off', B: { effect: 'nope', parameters: 3, enabled: false } },
      defaultNamespace: 'Default',
      exclude: ['', '**/tmp/**'],
      allowSuppressions: 'yes',
      maxFileSize: -1,
    });
    assert.deepEqual(problems, [
      'aksPolicy.initiative: expected an initiative\'s short name (e.g. "baseline", "restricted", "pss-restricted") or its GUID, got 42; using "baseline".',
      'aksPolicy.effect: "block" is not audit, deny or disabled; using "audit".',
      'aksPolicy.excludedNamespaces: expected a list of namespace names, got "kube-system"; using ["kube-system","gatekeeper-system","azure-arc","azure-extensions-usage-system"].',
      'aksPolicy.namespaces: ignored entries that are not namespace names: 7, "Bad_Name"; using ["prod"].',
      'aksPolicy.parameters: expected an object, got ["x"]; using {}.',
      'aksPolicy.policies.A: expected an object with "effect" and/or "parameters", got "off"; ignored.',
      'aksPolicy.policies.B.enabled: only "effect" and "parameters" can be set here; ignored.',
      'aksPolicy.policies.B.effect: "nope" is not audit, deny or disabled; using the initiative\'s effect.',
      'aksPolicy.policies.B.parameters: expected an object, got 3; ignored.',
      'aksPolicy.defaultNamespace: "Default" is not a namespace name; using "default".',
      'aksPolicy.exclude: ignored entries that are not glob patterns: ""; using ["**/tmp/**"].',
      'aksPolicy.allowSuppressions: expected true or false, got "yes"; using true.',
      'aksPolicy.maxFileSize: expected a number above 0, got -1; using 10.',
    ]);
    assert.deepEqual(settings, {
      ...DEFAULT_SETTINGS,
      namespaces: ['prod'],
      policies: { B: { parameters: {} } },
      exclude: ['**/tmp/**'],
    });
  });

  it('reads the template engine as auto, rego or cel, and falls back to auto', () => {
    assert.equal(normalizeSettings({}).settings.templateEngine, 'auto');
    assert.equal(normalizeSettings({ templateEngine: 'rego' }).settings.templateEngine, 'rego');
    const { settings, problems } = normalizeSettings({ templateEngine: 'CEL' });
    assert.equal(settings.templateEngine, 'auto');
    assert.deepEqual(problems, ['aksPolicy.templateEngine: "CEL" is not auto, rego or cel; using "auto".']);
  });

  it('never throws, whatever it is given', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const raw of [42, 'deny', [], () => 1, { effect: cyclic }, { parameters: cyclic }, { policies: { A: { parameters: { n: Number.NaN } } } }]) {
      const { settings, problems } = normalizeSettings(raw);
      assert.equal(typeof settings.effect, 'string');
      assert.ok(Array.isArray(problems));
    }
    assert.equal(normalizeSettings(42).problems.length, 1);
    assert.equal(normalizeSettings({ parameters: cyclic }).problems.length, 1);
  });

  it('keeps a "__proto__" reference id as plain data', () => {
    const raw: unknown = JSON.parse('{"policies": {"__proto__": {"effect": "deny"}}}');
    const { settings } = normalizeSettings(raw);
    assert.deepEqual(Object.keys(settings.policies), ['__proto__']);
    assert.equal(Object.getPrototypeOf(settings.policies), Object.prototype);
  });
});

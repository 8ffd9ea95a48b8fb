/**
 * The bundled CLI (dist/cli.js) as CI runs it: output formats, settings discovery, stdin and exit codes.
 * Build first: `node scripts/build.mjs`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const privilegedPod = readFileSync(join(EXAMPLES, 'nginx-privileged.yaml'), 'utf8');

function run(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? EXAMPLES, input: options.input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aks-policy-cli-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('aks-policy check', () => {
  it('prints path:line:col  severity  template  message and exits 0 under audit', () => {
    const { status, stdout } = run(['check', 'nginx-privileged.yaml', 'nginx-unprivileged.yaml']);
    assert.equal(status, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(
      lines[0],
      'nginx-privileged.yaml:11:9  warning  k8sazurev2noprivilege  [azurepolicy-k8sazurev2noprivilege] Privileged container is not allowed: nginx-privileged, securityContext: {"privileged": true}',
    );
    assert.match(lines[1], /^0 error\(s\), 1 warning\(s\) in 2 file\(s\) — .*baseline.*, effect audit$/);
  });

  it('exits 1 when a violation has the deny effect', () => {
    const { status, stdout } = run(['check', '.', '--effect', 'Deny']);
    assert.equal(status, 1);
    assert.match(stdout, /nginx-privileged\.yaml:11:9 {2}error {2}k8sazurev2noprivilege/);
  });

  it('checks a folder recursively and switches initiative', () => {
    const { stdout } = run(['check', '.', '--initiative', 'restricted']);
    assert.match(stdout, /k8sazurev3allowedseccomp/);
    assert.match(stdout, /in 8 file\(s\) — Kubernetes cluster pod security restricted/);
  });

  it('reads a stream of manifests from stdin', () => {
    const { status, stdout } = run(['check', '-', '--effect', 'deny'], { input: `${privilegedPod}---\n${privilegedPod.replace(/nginx-privileged/g, 'second')}` });
    assert.equal(status, 1);
    assert.match(stdout, /^-:11:9 {2}error/m);
    assert.match(stdout, /^-:\d+:9 {2}error .*not allowed: second/m);
  });

  it('writes JSON with 1-based positions', () => {
    const { stdout } = run(['check', 'nginx-privileged.yaml', '--format', 'json']);
    const report = JSON.parse(stdout) as { effect: string; findings: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; template: string; referenceId: string }[] };
    assert.equal(report.effect, 'audit');
    assert.deepEqual(
      report.findings.map(({ line, column, endLine, endColumn, severity, template, referenceId }) => ({ line, column, endLine, endColumn, severity, template, referenceId })),
      [{ line: 11, column: 9, endLine: 11, endColumn: 25, severity: 'warning', template: 'k8sazurev2noprivilege', referenceId: 'NoPrivilegedContainers' }],
    );
  });

  it('writes SARIF 2.1.0 with rules and regions', () => {
    const { stdout } = run(['check', 'nginx-privileged.yaml', '--format', 'sarif', '--effect', 'deny']);
    const sarif = JSON.parse(stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const [runResult] = sarif.runs;
    assert.ok(runResult.tool.driver.rules.some((rule) => rule.id === 'k8sazurev2noprivilege'));
    const [result] = runResult.results;
    assert.equal(result.ruleId, 'k8sazurev2noprivilege');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'nginx-privileged.yaml');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 11, startColumn: 9, endLine: 11, endColumn: 25 });
  });

  it("reads aksPolicy.* from the checked folder's .vscode/settings.json (JSON with comments)", () => {
    const root = workspace({
      '.vscode/settings.json': '{\n  // the team assigns Deny\n  "aksPolicy.effect": "deny",\n  "aksPolicy.exclude": ["**/vendor/**"],\n}\n',
      'app/pod.yaml': privilegedPod,
      'vendor/chart/pod.yaml': privilegedPod,
    });
    const { status, stdout } = run(['check', root], { cwd: root });
    assert.equal(status, 1);
    assert.match(stdout, /app\/pod\.yaml:11:9 {2}error/);
    assert.doesNotMatch(stdout, /vendor/);
    assert.equal(run(['check', root, '--effect', 'audit'], { cwd: root }).status, 0);
  });

  it('takes settings from --settings FILE and reports bad values without stopping', () => {
    const root = workspace({ 'settings.json': '{"aksPolicy.effect": "sometimes", "aksPolicy.initiative": "restricted"}', 'pod.yaml': privilegedPod });
    const { status, stdout, stderr } = run(['check', 'pod.yaml', '--settings', join(root, 'settings.json')], { cwd: root });
    assert.equal(status, 0);
    assert.match(stderr, /aksPolicy\.effect/);
    assert.match(stdout, /restricted/);
  });

  it('judges as an exported Azure assignment does (--assignment, or aksPolicy.assignmentFile)', () => {
    const assignment = JSON.stringify({
      policyDefinitionId: '/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00',
      parameters: { effect: { value: 'Deny' }, excludedNamespaces: { value: ['kube-system', 'legacy'] } },
    });
    const root = workspace({
      'assignment.json': assignment,
      '.vscode/settings.json': '{ "aksPolicy.assignmentFile": "assignment.json" }',
      'pod.yaml': privilegedPod,
      'legacy/pod.yaml': privilegedPod.replace('metadata:', 'metadata:\n  namespace: legacy'),
    });
    const fromSettings = run(['check', root], { cwd: root });
    assert.equal(fromSettings.status, 1);
    assert.match(fromSettings.stdout, /pod\.yaml:\d+:\d+ {2}error {2}k8sazurev3allowedseccomp/);
    assert.doesNotMatch(fromSettings.stdout, /legacy/);
    assert.match(fromSettings.stdout, /restricted standards .*, effect deny$/m);
    const fromOption = run(['check', join(root, 'pod.yaml'), '--settings', join(root, 'none.json'), '--assignment', join(root, 'assignment.json')], { cwd: root });
    assert.equal(fromOption.status, 2, 'a missing --settings file is bad input');
    const alone = run(['check', join(root, 'pod.yaml'), '--assignment', join(root, 'assignment.json'), '--effect', 'audit'], { cwd: tmpdir() });
    assert.equal(alone.status, 0);
    assert.match(alone.stdout, /restricted standards .*, effect audit$/m);
  });

  it('exits 2 with a clear message on bad usage or unreadable input', () => {
    for (const args of [[], ['lint', 'x.yaml'], ['check'], ['check', 'x.yaml', '--format', 'xml'], ['check', 'x.yaml', '--effect', 'sometimes'], ['check', 'no-such-file.yaml']]) {
      const { status, stderr } = run(args);
      assert.equal(status, 2, `aks-policy ${args.join(' ')}`);
      assert.match(stderr, /^aks-policy: /);
    }
  });

  it('notes documents that are not checked and still checks the rest', () => {
    const root = workspace({ 'mixed.yaml': `kind: Pod\nspec: [\n---\n${privilegedPod}` });
    const { status, stdout } = run(['check', 'mixed.yaml'], { cwd: root });
    assert.equal(status, 0);
    assert.match(stdout, /mixed\.yaml:\d+:\d+ {2}note {2}aks-policy {2}AKS Policy: this document is not checked until it parses/);
    assert.match(stdout, /k8sazurev2noprivilege/);
  });

  it('checks the files as one apply: a Service collides with a Service of another file', () => {
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`;
    const root = workspace({
      '.vscode/settings.json': JSON.stringify({ 'aksPolicy.policies': { UniqueServiceSelectors: { effect: 'deny', parameters: {} } } }),
      'a/web.yaml': service('web'),
      'b/web-preview.yaml': service('web-preview'),
    });
    const { status, stdout } = run(['check', '.'], { cwd: root });
    assert.equal(status, 1);
    assert.match(stdout, /^a\/web\.yaml:7:3 {2}error {2}k8sazurev1uniqueserviceselector .*same selector as service <web-preview> in namespace <shop>/m);
    assert.match(stdout, /^b\/web-preview\.yaml:7:3 {2}error {2}k8sazurev1uniqueserviceselector .*same selector as service <web> in namespace <shop>/m);
  });

  it('selects a custom initiative of the checked folder by its name, and reports a broken one', () => {
    const set = (name: string, definitionId: string) =>
      JSON.stringify({
        name,
        properties: {
          displayName: `Team ${name}`,
          parameters: {},
          policyDefinitions: [{ policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${definitionId}`, policyDefinitionReferenceId: 'noPrivileged', parameters: { effect: { value: 'Deny' } } }],
        },
      });
    const root = workspace({
      '.aks-policy/initiatives/team.json': set('team', '95edb821-ddaf-4404-9732-666045e056b4'),
      'broken.initiative.json': set('broken', '00000000-0000-0000-0000-000000000000'),
      'deploy/pod.yaml': privilegedPod,
    });
    const { status, stdout, stderr } = run(['check', root, '--initiative', 'team', '--format', 'json']);
    assert.equal(status, 1, stderr);
    const result = JSON.parse(stdout) as { initiative: { id: string; alias?: string; displayName: string; version: string }; findings: { referenceId: string; severity: string }[] };
    assert.deepEqual(result.initiative, { id: 'team', alias: 'team', displayName: 'Team team', version: '1.0.0' });
    assert.deepEqual(result.findings.map((finding) => [finding.referenceId, finding.severity]), [['noPrivileged', 'error']]);
    assert.match(stderr, /broken\.initiative\.json: member noPrivileged names definition 00000000-0000-0000-0000-000000000000, which is neither a built-in definition nor one of the workspace; left out\./);
  });

  it('prints help', () => {
    const { status, stdout } = run(['--help']);
    assert.equal(status, 0);
    assert.match(stdout, /usage: aks-policy check/);
  });
});

/**
 * Definitions with a parameter that has no default (an allowed-images pattern, resource maximums): Azure
 * refuses an assignment without a value for it, so the catalog does too, and says which setting to add.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assignDefinition, CatalogError, compilePolicySchemas, findDefinition, isMutation, loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { isObject, type JsonObject, type JsonValue } from '../../../server/src/json';
import { DEFAULT_SETTINGS, type PolicyOverride } from '../../../server/src/settings';

const policiesDir = join(__dirname, '..', '..', '..', 'policies');
const catalog = loadCatalog(policiesDir);

function resolveWith(policies: Record<string, PolicyOverride>) {
  return resolvePolicy(catalog, { ...DEFAULT_SETTINGS, policies });
}

function readJsonObject(file: string): JsonObject {
  const json: JsonValue = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(isObject(json));
  return json;
}

describe('parameters without a default', () => {
  it('are kept without a defaultValue, as Azure has them', () => {
    const required = catalog.definitions.flatMap((definition) =>
      Array.from(definition.parameters.values())
        .filter((parameter) => parameter.defaultValue === undefined)
        .map((parameter) => `${definition.name}.${parameter.name}`),
    );
    for (const parameter of [
      'ContainerAllowedImages.allowedContainerImagesRegex',
      'ContainerResourceLimits.cpuLimit',
      'ContainerResourceLimits.memoryLimit',
      'ForbiddenSysctlInterfaces.forbiddenSysctls',
      'WindowsContainerAllowedUsername.allowedUserNames',
    ]) {
      assert.ok(required.includes(parameter), parameter);
    }
    assert.ok(!required.includes('ContainerAllowedImages.excludedContainers'));
  });

  it('leave a definition assigned on its own out, with a problem naming each setting to add', () => {
    const policy = resolveWith({ ContainerAllowedImages: { parameters: {} }, ContainerResourceLimits: { effect: 'deny', parameters: { cpuLimit: '2' } } });
    assert.deepEqual(policy.problems, [
      'aksPolicy.policies.ContainerAllowedImages: set aksPolicy.policies.ContainerAllowedImages.parameters.allowedContainerImagesRegex; Kubernetes cluster containers should only use allowed images has no default for it, so it is not assigned until then.',
      'aksPolicy.policies.ContainerResourceLimits: set aksPolicy.policies.ContainerResourceLimits.parameters.memoryLimit; Kubernetes cluster containers CPU and memory resource limits should not exceed the specified limits has no default for it, so it is not assigned until then.',
    ]);
    assert.deepEqual(
      policy.constraints.filter((constraint) => ['ContainerAllowedImages', 'ContainerResourceLimits'].includes(constraint.referenceId)),
      [],
    );
  });

  it('assign the definition once every value is given, checked like any other', () => {
    const policy = resolveWith({ ContainerAllowedImages: { parameters: { allowedContainerImagesRegex: '^myregistry\\.azurecr\\.io/' } } });
    assert.deepEqual(policy.problems, []);
    const constraint = policy.constraints.find((candidate) => candidate.referenceId === 'ContainerAllowedImages');
    assert.deepEqual(constraint?.parameters, { imageRegex: '^myregistry\\.azurecr\\.io/', excludedContainers: [] });
    assert.equal(constraint?.effect, 'deny', "the definition's own default effect");
  });

  it('report a value of the wrong type as ignored, then the missing value', () => {
    const policy = resolveWith({ ForbiddenSysctlInterfaces: { parameters: { forbiddenSysctls: 'kernel.*' } } });
    assert.deepEqual(policy.problems, [
      'aksPolicy.policies.ForbiddenSysctlInterfaces.parameters.forbiddenSysctls: expected an array, got "kernel.*"; ignored.',
      'aksPolicy.policies.ForbiddenSysctlInterfaces: set aksPolicy.policies.ForbiddenSysctlInterfaces.parameters.forbiddenSysctls; Kubernetes cluster containers should not use forbidden sysctl interfaces has no default for it, so it is not assigned until then.',
    ]);
  });

  it('make assignDefinition report the missing value and leave its key out of the constraint', () => {
    const definition = findDefinition(catalog, 'ContainerResourceLimits');
    assert.ok(definition && !isMutation(definition));
    const { constraint, problems } = assignDefinition(definition, { memoryLimit: '1Gi' });
    assert.deepEqual(problems, ['Kubernetes cluster containers CPU and memory resource limits should not exceed the specified limits needs a value for "cpuLimit", which has no default.']);
    assert.deepEqual(constraint.parameters, { memoryLimit: '1Gi', excludedContainers: [], excludedImages: [] });
  });

  it('are allowed by the schemas, for an initiative parameter too (Deployment Safeguards has five), but not for the effect', () => {
    const schemas = compilePolicySchemas(policiesDir);
    const definition = readJsonObject(join(policiesDir, 'definitions', 'ContainerAllowedImages.json'));
    assert.equal(schemas.validateDefinition(definition), true);
    const parameters = (json: JsonObject, owner: string) => {
      const properties = json.properties;
      assert.ok(isObject(properties) && isObject(properties.parameters));
      const parameter = properties.parameters[owner];
      assert.ok(isObject(parameter));
      return parameter;
    };
    delete parameters(definition, 'effect').defaultValue;
    assert.equal(schemas.validateDefinition(definition), false, 'an effect without a default');
    const initiative = readJsonObject(join(policiesDir, 'initiatives', 'baseline.json'));
    delete parameters(initiative, 'allowedHostPaths').defaultValue;
    assert.equal(schemas.validateInitiative(initiative), true, 'an initiative parameter without a default');
  });

  describe('in an initiative', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'aks-policy-required-'));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it('must be passed by the member, or the catalog refuses to load', () => {
      cpSync(policiesDir, scratch, { recursive: true });
      const initiative = readJsonObject(join(policiesDir, 'initiatives', 'baseline.json'));
      const properties = initiative.properties;
      assert.ok(isObject(properties) && isObject(properties.metadata));
      Object.assign(initiative, { name: '00000000-0000-4000-8000-000000000001', id: '/providers/Microsoft.Authorization/policySetDefinitions/00000000-0000-4000-8000-000000000001' });
      Object.assign(properties.metadata, { aksPolicyAlias: 'images' });
      properties.policyDefinitions = [
        {
          policyDefinitionReferenceId: 'AllowedImages',
          policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/febd0533-8e55-448f-b837-bd0e06f16469',
          definitionVersion: '9.*.*',
          parameters: {},
        },
      ];
      writeFileSync(join(scratch, 'initiatives', 'images.json'), JSON.stringify(initiative));
      try {
        loadCatalog(scratch);
        assert.fail('the catalog loaded');
      } catch (error) {
        assert.ok(error instanceof CatalogError, String(error));
        assert.deepEqual(
          error.problems.map((problem) => problem.replace(/^.*images\.json: /, '')),
          ['member AllowedImages passes no allowedContainerImagesRegex, which ' + join(scratch, 'definitions', 'ContainerAllowedImages.json') + ' requires (it has no default).'],
        );
      }
    });
  });
});

/**
 * fast-check arbitraries for Kubernetes-ish YAML, for the engine and server fuzz tests: workloads with random
 * security-relevant fields, written in random YAML styles (block and flow, anchors and aliases, comments, YAML 1.1
 * spellings, CRLF), and mutations of such texts (characters deleted, inserted and replaced, random bytes spliced in).
 * Every arbitrary is bounded in size, so that each generated case is evaluated in bounded time.
 */
import fc from 'fast-check';
import { Document, isMap, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap } from 'yaml';

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
type PlainObject = { [key: string]: Plain };

const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'] as const;
const OTHER_KINDS = ['Service', 'ConfigMap', 'Namespace'] as const;
const CAPABILITIES = ['NET_ADMIN', 'SYS_ADMIN', 'CHOWN', 'NET_RAW', 'KILL', 'ALL', 'SYS_TIME', 'net_admin'];
const NAMESPACES = ['default', 'team-a', 'kube-system', 'gatekeeper-system', 'prod'];
const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost', 'Unconfined', 'runtime/default'];
const HOST_PATHS = ['/var/log', '/etc', '/', '/var/run/docker.sock', '/var/log/pods'];

/** A value that is sometimes absent (undefined keys are dropped when the object is built). */
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined, freq: 2 });

/** Booleans as manifests spell them, also as YAML 1.1 (`yes`, `on`) and as strings that are not booleans. */
const flag: fc.Arbitrary<Plain> = fc.oneof(fc.boolean(), fc.constantFrom<Plain>('yes', 'no', 'on', 'off', 'True', 'FALSE', 'maybe'));
const userId: fc.Arbitrary<Plain> = fc.oneof(fc.constantFrom<Plain>(0, 1, 1000, 65535, 65536, -1, '1000', 0o777), fc.integer({ min: -5, max: 70_000 }));

function compact(entries: Record<string, Plain | undefined>): PlainObject {
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

const seccompProfile: fc.Arbitrary<Plain> = fc.record({ type: fc.constantFrom(...SECCOMP_TYPES) });

const containerSecurityContext: fc.Arbitrary<Plain> = fc
  .record({
    privileged: maybe(flag),
    allowPrivilegeEscalation: maybe(flag),
    runAsUser: maybe(userId),
    runAsNonRoot: maybe(flag),
    runAsGroup: maybe(userId),
    readOnlyRootFilesystem: maybe(flag),
    seccompProfile: maybe(seccompProfile),
    capabilities: maybe(
      fc.record({ add: maybe(fc.subarray(CAPABILITIES, { maxLength: 3 })), drop: maybe(fc.subarray(CAPABILITIES, { maxLength: 2 })) }).map(compact),
    ),
  })
  .map(compact);

const containerName = fc.constantFrom('app', 'sidecar', 'istio-proxy', 'init', 'log-shipper', 'a-b-c');

const container: fc.Arbitrary<Plain> = fc
  .record({
    name: containerName,
    image: fc.constantFrom('nginx', 'mcr.microsoft.com/azurelinux/base/nginx:1.25', 'busybox@sha256:abc', 'registry.local/app:1'),
    securityContext: maybe(containerSecurityContext),
    ports: maybe(fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), hostPort: maybe(fc.integer({ min: 0, max: 65535 })) }).map(compact), { maxLength: 2 })),
    volumeMounts: maybe(fc.array(fc.record({ name: fc.constantFrom('host', 'config', 'data'), mountPath: fc.constantFrom('/data', '/host'), readOnly: maybe(flag) }).map(compact), { maxLength: 2 })),
  })
  .map(compact);

const volume: fc.Arbitrary<Plain> = fc.oneof(
  fc.record({ name: fc.constantFrom('host', 'data'), hostPath: fc.record({ path: fc.constantFrom(...HOST_PATHS), type: maybe(fc.constantFrom('', 'Directory', 'File')) }).map(compact) }),
  fc.record({ name: fc.constant('config'), configMap: fc.record({ name: fc.constant('cfg') }) }),
  fc.record({ name: fc.constantFrom('data', 'scratch'), emptyDir: fc.constant({}) }),
  fc.record({ name: fc.constant('nfs'), nfs: fc.record({ server: fc.constant('nfs.local'), path: fc.constant('/') }) }),
);

const podSpec: fc.Arbitrary<PlainObject> = fc
  .record({
    hostPID: maybe(flag),
    hostIPC: maybe(flag),
    hostNetwork: maybe(flag),
    securityContext: maybe(
      fc
        .record({
          runAsUser: maybe(userId),
          runAsNonRoot: maybe(flag),
          runAsGroup: maybe(userId),
          fsGroup: maybe(userId),
          supplementalGroups: maybe(fc.array(userId, { maxLength: 2 })),
          seccompProfile: maybe(seccompProfile),
        })
        .map(compact),
    ),
    nodeSelector: maybe(fc.constant<Plain>({ 'kubernetes.io/os': 'windows' })),
    initContainers: maybe(fc.array(container, { minLength: 1, maxLength: 1 })),
    containers: fc.array(container, { minLength: 0, maxLength: 3 }),
    volumes: maybe(fc.array(volume, { maxLength: 3 })),
  })
  .map(compact);

function apiVersionOf(kind: string): string {
  if (kind === 'Job' || kind === 'CronJob') return 'batch/v1';
  if (kind === 'Pod' || kind === 'Service' || kind === 'ConfigMap' || kind === 'Namespace') return 'v1';
  return 'apps/v1';
}

/** One Kubernetes object as plain data; workloads carry their pod spec where their controller reads it. */
const kubernetesObject: fc.Arbitrary<PlainObject> = fc
  .record({
    kind: fc.constantFrom<string>(...WORKLOAD_KINDS, ...WORKLOAD_KINDS, ...OTHER_KINDS),
    name: fc.constantFrom('web', 'db', 'node-exporter', 'x', 'a.b'),
    namespace: maybe(fc.constantFrom(...NAMESPACES)),
    labels: maybe(fc.constant<Plain>({ app: 'web', tier: 'frontend' })),
    spec: podSpec,
  })
  .map(({ kind, name, namespace, labels, spec }): PlainObject => {
    const metadata = compact({ name, namespace, labels });
    const head = { apiVersion: apiVersionOf(kind), kind, metadata };
    if (kind === 'Pod') return { ...head, spec };
    const template: PlainObject = { metadata: { labels: labels ?? {} }, spec };
    if (kind === 'CronJob') return { ...head, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
    if ((WORKLOAD_KINDS as readonly string[]).includes(kind)) return { ...head, spec: { selector: { matchLabels: labels ?? {} }, template } };
    if (kind === 'ConfigMap') return { ...head, data: { 'config.yaml': 'a: 1\nb: [2]\n' } };
    return head;
  });

/** How a manifest is written; the same objects in many spellings. */
export interface YamlStyle {
  /** Drives the per-node choices below, so that one number reproduces the whole layout. */
  seed: number;
  indent: 2 | 4;
  /** `- ` items indented under their key, or at the key's column. */
  indentSeq: boolean;
  flowProbability: number;
  commentProbability: number;
  /** Share the first container's securityContext with the others through an anchor and aliases. */
  shareSecurityContext: boolean;
  /** Write the labels once as an anchor and merge them (`<<: *labels`) into the pod template. */
  mergeLabels: boolean;
  /** Start the first document with `---` too. */
  leadingMarker: boolean;
}

const yamlStyle: fc.Arbitrary<YamlStyle> = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  indent: fc.constantFrom<2 | 4>(2, 4),
  indentSeq: fc.boolean(),
  flowProbability: fc.constantFrom(0, 0.1, 0.4, 1),
  commentProbability: fc.constantFrom(0, 0.2, 0.6),
  shareSecurityContext: fc.boolean(),
  mergeLabels: fc.boolean(),
  leadingMarker: fc.boolean(),
});

/** mulberry32: the per-node choices of a style, reproducible from its seed; the benchmark's manifests too. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const COMMENTS = [' a comment', ' aks-policy-ignore k8sazurev2noprivilege -- fuzz', ' aks-policy-ignore k8sazurev2blockhostnamespace', ' TODO: harden', ' ---', ' kind: Pod'];

/** Writes one object in `style`. */
export function renderDocument(object: PlainObject, style: YamlStyle, index = 0): string {
  const random = seededRandom(style.seed + index * 7919);
  const doc = new Document(object, { version: '1.1', aliasDuplicateObjects: false });
  if (style.shareSecurityContext) shareFirstSecurityContext(doc);
  if (style.mergeLabels) mergeLabelsIntoTemplate(doc);
  visit(doc, {
    Map: (_, node) => {
      if (random() < style.flowProbability) node.flow = true;
    },
    Seq: (_, node) => {
      if (random() < style.flowProbability) node.flow = true;
    },
    Pair: (_, pair) => {
      if (isScalar(pair.key) && random() < style.commentProbability) pair.key.commentBefore = COMMENTS[Math.floor(random() * COMMENTS.length)];
    },
  });
  const text = doc.toString({ indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0 });
  // The writer quotes `yes`/`on` to keep them strings; unquoted, YAML 1.1 (and the API server) reads a boolean.
  return text.replace(/"(yes|no|on|off|True|FALSE)"/g, (quoted, word: string) => (random() < 0.5 ? word : quoted));
}

/** The pod spec's `containers` sequence, wherever the object's kind keeps it. */
function containersOf(doc: Document): Node[] {
  const found: Node[] = [];
  visit(doc, {
    Pair: (_, pair) => {
      if (isScalar(pair.key) && pair.key.value === 'containers' && isSeq(pair.value)) found.push(...(pair.value.items as Node[]));
    },
  });
  return found;
}

function shareFirstSecurityContext(doc: Document): void {
  const containers = containersOf(doc).filter(isMap);
  const first = containers[0]?.items.find((pair) => isScalar(pair.key) && pair.key.value === 'securityContext');
  if (!first || !isMap(first.value)) return;
  first.value.anchor = 'hardened';
  for (const other of containers.slice(1)) {
    const pair = other.items.find((candidate) => isScalar(candidate.key) && candidate.key.value === 'securityContext');
    const alias = doc.createAlias(first.value);
    if (pair) pair.value = alias;
    else other.items.push(doc.createPair('securityContext', alias) as Pair<unknown, unknown>);
  }
}

function mergeLabelsIntoTemplate(doc: Document): void {
  let metadataLabels: YAMLMap | undefined;
  visit(doc, {
    Pair: (_, pair) => {
      if (!isScalar(pair.key) || pair.key.value !== 'labels' || !isMap(pair.value)) return;
      if (!metadataLabels) {
        metadataLabels = pair.value;
        metadataLabels.anchor = 'labels';
      } else if (pair.value !== metadataLabels && pair.value.items.length > 0) {
        const merge = doc.createPair('<<', doc.createAlias(metadataLabels));
        pair.value.items = [merge as Pair<unknown, unknown>];
      }
    },
  });
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** A file of one to `maxDocuments` objects, written in one style. */
export function manifestText(maxDocuments = 3): fc.Arbitrary<string> {
  return fc.record({ objects: fc.array(kubernetesObject, { minLength: 1, maxLength: maxDocuments }), style: yamlStyle }).map(({ objects, style }) => renderManifest(objects, style));
}

/** Like `manifestText`, with CRLF line endings. */
export function crlfManifestText(maxDocuments = 3): fc.Arbitrary<string> {
  return manifestText(maxDocuments).map(toCrlf);
}

function renderManifest(objects: readonly PlainObject[], style: YamlStyle): string {
  return (style.leadingMarker ? '---\n' : '') + objects.map((object, index) => renderDocument(object, style, index)).join('---\n');
}

// ---- Mutations ----

/** Fragments that matter to YAML and to this engine, inserted where they will hurt. */
const YAML_FRAGMENTS = [
  ':', ': ', '-', '- ', ' ', '  ', '\n', '\t', '#', '&a ', '*a', '{', '}', '[', ']', ',', "'", '"', '|', '>', '!', '!!str ', '%YAML 1.1\n',
  '@', '`', '---\n', '...\n', '<<: ', '? ', '\uFEFF', '\u0000', '\uFFFD', '\uD800', '\uDC00', '😀', '{{ .Values.x }}', 'privileged: true', 'hostPID: yes',
  'kind: Pod\n', '\\', '\u2028', '\u0085',
];

/** One edit of a text: offsets are fractions of its length, so that one mutation applies to any text. */
export type Mutation =
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'replace'; at: number; length: number; text: string }
  | { op: 'duplicateLine'; at: number }
  | { op: 'swapLines'; at: number; other: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** Random bytes read as the editor would read them: UTF-8 with replacement characters, or Latin-1. */
const splicedBytes: fc.Arbitrary<string> = fc
  .record({ bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }), latin1: fc.boolean() })
  .map(({ bytes, latin1 }) => Buffer.from(bytes).toString(latin1 ? 'latin1' : 'utf8'));

const insertedText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...YAML_FRAGMENTS),
  fc.string({ maxLength: 8, unit: 'binary' }),
  splicedBytes,
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fraction, text: insertedText }),
  fc.record({ op: fc.constant('replace' as const), at: fraction, length: fc.integer({ min: 1, max: 8 }), text: insertedText }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: fraction }),
  fc.record({ op: fc.constant('swapLines' as const), at: fraction, other: fraction }),
);

export function applyMutation(text: string, change: Mutation): string {
  const at = Math.floor(change.at * (text.length + 1));
  switch (change.op) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + change.text + text.slice(at + change.length);
    case 'duplicateLine': {
      const lines = text.split('\n');
      const line = Math.floor(change.at * lines.length);
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    }
    case 'swapLines': {
      const lines = text.split('\n');
      const a = Math.floor(change.at * lines.length);
      const b = Math.floor(change.other * lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

/** A generated manifest with one to six mutations applied in order. */
export function mutatedManifestText(maxDocuments = 3): fc.Arbitrary<string> {
  return fc
    .record({ text: fc.oneof(manifestText(maxDocuments), crlfManifestText(maxDocuments)), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }) })
    .map(({ text, mutations }) => mutations.reduce(applyMutation, text));
}

import Ajv from 'ajv';

// kind's cluster configuration (kind.x-k8s.io/v1alpha4, kubernetes-sigs/kind
// pkg/apis/config/v1alpha4/types.go): no npm package ships its schema, so this is the subset
// of its fields a plain local cluster uses, every object closed, so that a misspelt field is
// an error here rather than a setting kind silently ignores.

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const node = {
  type: 'object',
  additionalProperties: false,
  properties: {
    role: { enum: ['control-plane', 'worker'] },
    image: { type: 'string', minLength: 1 },
    labels: stringMap,
    extraPortMappings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          containerPort: { type: 'integer', minimum: 1, maximum: 65535 },
          hostPort: { type: 'integer', minimum: 1, maximum: 65535 },
          listenAddress: { type: 'string' },
          protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
        },
      },
    },
    kubeadmConfigPatches: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** The strict JSON schema of a kind Cluster as this repository writes it. */
const KIND_CLUSTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'apiVersion'],
  properties: {
    kind: { const: 'Cluster' },
    apiVersion: { const: 'kind.x-k8s.io/v1alpha4' },
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    nodes: {
      type: 'array',
      minItems: 1,
      items: node,
      // At least one control-plane node.
      contains: { type: 'object', properties: { role: { const: 'control-plane' } } },
    },
    networking: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ipFamily: { enum: ['ipv4', 'ipv6', 'dual'] },
        apiServerPort: { type: 'integer' },
        apiServerAddress: { type: 'string' },
        podSubnet: { type: 'string' },
        serviceSubnet: { type: 'string' },
        disableDefaultCNI: { type: 'boolean' },
        kubeProxyMode: { enum: ['iptables', 'ipvs', 'nftables', 'none'] },
      },
    },
    featureGates: { type: 'object', additionalProperties: { type: 'boolean' } },
    runtimeConfig: stringMap,
  },
} as const;

/** Problems of a kind cluster configuration against KIND_CLUSTER_SCHEMA; empty when valid. */
export function kindClusterProblems(config: unknown): string[] {
  const ajv = new Ajv.default({ allErrors: true, strict: true });
  const validate = ajv.compile(KIND_CLUSTER_SCHEMA);
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

import Ajv from 'ajv';

// No npm package ships the schema of Google Managed Prometheus's PodMonitoring
// (monitoring.googleapis.com/v1): @kubernetes-models/gke stops at monitoring.gke.io.
// This is the subset of its CRD (GoogleCloudPlatform/prometheus-engine,
// podmonitorings.monitoring.googleapis.com) that a plain scrape uses, written out
// with every object closed, so a misspelt or unsupported field is an error here
// rather than a scrape that silently never happens.

const DURATION =
  '^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$';
const LABEL_NAME = '^[a-zA-Z_][a-zA-Z0-9_]*$';
const PROTECTED_LABELS = [
  'project_id',
  'location',
  'cluster',
  'namespace',
  'job',
  'instance',
  'top_level_controller',
  'top_level_controller_type',
  '__address__',
];

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const labelSelector = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    matchLabels: stringMap,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'operator'],
        properties: {
          key: { type: 'string', minLength: 1 },
          operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

const endpoint = {
  type: 'object',
  additionalProperties: false,
  required: ['port', 'interval'],
  properties: {
    port: {
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 65535 },
        { type: 'string', minLength: 1, maxLength: 253 },
      ],
    },
    path: { type: 'string', pattern: '^/' },
    scheme: { enum: ['http', 'https'] },
    interval: { type: 'string', pattern: DURATION },
    timeout: { type: 'string', pattern: DURATION },
    params: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
} as const;

/** The strict JSON schema of a PodMonitoring as this repository writes them. */
const POD_MONITORING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'monitoring.googleapis.com/v1' },
    kind: { const: 'PodMonitoring' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        namespace: { type: 'string', minLength: 1 },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['selector', 'endpoints'],
      properties: {
        selector: labelSelector,
        endpoints: { type: 'array', minItems: 1, maxItems: 10, items: endpoint },
        filterRunning: { type: 'boolean' },
        targetLabels: {
          type: 'object',
          additionalProperties: false,
          properties: {
            fromPod: {
              type: 'array',
              maxItems: 100,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['from'],
                properties: {
                  from: { type: 'string', minLength: 1 },
                  to: { type: 'string', pattern: LABEL_NAME, not: { enum: PROTECTED_LABELS } },
                },
              },
            },
            metadata: {
              type: 'array',
              uniqueItems: true,
              items: {
                enum: [
                  'container',
                  'node',
                  'pod',
                  'top_level_controller_name',
                  'top_level_controller_type',
                ],
              },
            },
          },
        },
        limits: {
          type: 'object',
          additionalProperties: false,
          properties: {
            samples: { type: 'integer', minimum: 0 },
            labels: { type: 'integer', minimum: 0 },
            labelNameLength: { type: 'integer', minimum: 0 },
            labelValueLength: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  },
} as const;

/** A compiled validator of POD_MONITORING_SCHEMA (Ajv, all errors, strict schema). */
export function podMonitoringValidator() {
  const ajv = new Ajv.default({ allErrors: true, strict: true });
  return ajv.compile(POD_MONITORING_SCHEMA);
}

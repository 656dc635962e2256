import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { repoPath } from './repo-root.js';
import { asArray, dig, isObject } from './yaml-documents.js';

// Custom resources are checked against the CustomResourceDefinitions their controllers
// install, vendored verbatim in packages/deploy-checks/crds (the versions and sources are
// in its README): the same openAPIV3Schema the API server validates them with.

/** A validator in Ajv's shape, as kubernetes-models ships them and Ajv compiles them. */
export type CompiledValidator = ((data: unknown) => boolean) & {
  errors?: ValidationError[] | null;
};

/** One of a validator's errors. kubernetes-models' validators leave out the message. */
export interface ValidationError {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** An error as a person reads it: Ajv's message, or the rule that failed and its terms. */
export function errorText(error: ValidationError): string {
  if (error.message !== undefined) return `${error.instancePath} ${error.message}`;
  return `${error.instancePath} fails ${error.keyword ?? 'the schema'} ${JSON.stringify(error.params ?? {})}`;
}

// OpenAPI's annotations and the structural-schema extensions the API server reads, which
// JSON Schema does not know. CEL rules (x-kubernetes-validations) are the API server's
// alone: not checked offline.
const KUBERNETES_KEYWORDS = [
  'example',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
];

/** The openAPIV3Schema of one served version of a vendored CRD (file in crds/). */
export function crdSchema(file: string, version: string): Record<string, unknown> {
  const crd: unknown = parse(readFileSync(repoPath('packages/deploy-checks/crds', file), 'utf8'));
  const served = asArray(dig(crd, 'spec', 'versions')).find(
    (v) => dig(v, 'name') === version && dig(v, 'served') === true,
  );
  const schema = dig(served, 'schema', 'openAPIV3Schema');
  if (!isObject(schema)) throw new Error(`${file} serves no version ${version}`);
  return schema;
}

/**
 * A validator of one served version of a vendored CRD. The API server validates a custom
 * resource's metadata as ObjectMeta whatever the CRD says (CRDs declare it only as an
 * object), so metadata goes to `objectMeta`, kubernetes-models' ObjectMeta validator.
 * Formats are not checked: the API server checks few of them, and the schemas name some
 * (int32, int64, byte) that only describe the type.
 */
export function crdValidator(
  file: string,
  version: string,
  objectMeta: CompiledValidator,
): CompiledValidator {
  const ajv = new Ajv.default({
    allErrors: true,
    validateFormats: false,
    strictTypes: false,
    keywords: KUBERNETES_KEYWORDS,
  });
  const validateBody = ajv.compile(crdSchema(file, version));
  const validate: CompiledValidator = (data) => {
    const bodyValid = validateBody(data);
    const metadataValid = objectMeta(dig(data, 'metadata') ?? {});
    validate.errors = [
      ...(validateBody.errors ?? []),
      ...(objectMeta.errors ?? []).map((e) => ({
        ...e,
        instancePath: `/metadata${e.instancePath}`,
      })),
    ];
    return bodyValid && metadataValid;
  };
  return validate;
}

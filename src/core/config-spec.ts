// A declarative description of config options. The same spec validates `.github/go-preflight.yml`
// (config.ts) and generates the published JSON Schema (go-preflight.schema.json), so the two can
// never disagree.

export type OptionSpec =
  | { type: 'string'; description: string; enum?: readonly string[]; default?: string; pattern?: string }
  | { type: 'boolean'; description: string; default?: boolean }
  | { type: 'integer'; description: string; minimum?: number; maximum?: number; default?: number }
  | { type: 'array'; description: string; items: OptionSpec; default?: readonly unknown[] }
  | { type: 'object'; description: string; properties: Record<string, OptionSpec>; additionalProperties?: OptionSpec };

export function toJsonSchema(spec: OptionSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'string':
      return {
        type: 'string',
        description: spec.description,
        ...(spec.enum ? { enum: [...spec.enum] } : {}),
        ...(spec.pattern ? { pattern: spec.pattern } : {}),
        ...(spec.default !== undefined ? { default: spec.default } : {}),
      };
    case 'boolean':
      return { type: 'boolean', description: spec.description, ...(spec.default !== undefined ? { default: spec.default } : {}) };
    case 'integer':
      return {
        type: 'integer',
        description: spec.description,
        ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
        ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
        ...(spec.default !== undefined ? { default: spec.default } : {}),
      };
    case 'array':
      return {
        type: 'array',
        description: spec.description,
        items: toJsonSchema(spec.items),
        ...(spec.default !== undefined ? { default: [...spec.default] } : {}),
      };
    case 'object':
      return {
        type: 'object',
        description: spec.description,
        properties: Object.fromEntries(Object.entries(spec.properties).map(([k, v]) => [k, toJsonSchema(v)])),
        additionalProperties: spec.additionalProperties ? toJsonSchema(spec.additionalProperties) : false,
      };
  }
}

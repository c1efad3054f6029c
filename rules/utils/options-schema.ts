/** The JSON Schema of the rules' option object (the analysis core's `AnalysisOptions`). */
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';

const nameSchema: JSONSchema4 = {
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
};

/** typescript-eslint's `TypeOrValueSpecifier` object forms; `name` may be a member path such as `Database.exec`. */
export const declarationSpecifierSchema: JSONSchema4 = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      properties: { from: { type: 'string', enum: ['package'] }, package: { type: 'string' }, name: nameSchema },
      required: ['from', 'package', 'name'],
    },
    {
      type: 'object',
      additionalProperties: false,
      properties: { from: { type: 'string', enum: ['lib'] }, name: nameSchema },
      required: ['from', 'name'],
    },
    {
      type: 'object',
      additionalProperties: false,
      properties: { from: { type: 'string', enum: ['file'] }, name: nameSchema, path: { type: 'string' } },
      required: ['from', 'name'],
    },
  ],
};

export const analysisOptionsSchema: JSONSchema4 = {
  type: 'object',
  additionalProperties: false,
  properties: {
    additionalApis: {
      type: 'array',
      description: 'Extra blocking APIs: where they are declared and the non-blocking alternative to suggest.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          declaration: declarationSpecifierSchema,
          alternative: { type: 'string' },
          category: { type: 'string', enum: ['fs', 'child-process', 'zlib', 'crypto', 'blocking-client', 'wait'] },
          kind: { type: 'string', enum: ['io', 'cpu', 'wait'] },
          severity: { type: 'string', enum: ['error', 'warning'] },
          onlyWithoutCallback: { type: 'boolean' },
          onlyWhenArgument: {
            type: 'object',
            additionalProperties: false,
            properties: { index: { type: 'integer', minimum: 0 }, equals: { type: ['boolean', 'string', 'number'] } as JSONSchema4 },
            required: ['index', 'equals'],
          },
          constructs: { type: 'boolean' },
        },
        required: ['declaration', 'alternative'],
      },
    },
    ignoredApis: {
      type: 'array',
      description: 'Catalog entries to drop, by id (e.g. "node:fs.existsSync") or by declaration.',
      items: { oneOf: [{ type: 'string' }, declarationSpecifierSchema] },
    },
    handlerRegistrars: {
      type: 'array',
      description: "Functions whose function arguments run on the event loop as handlers (e.g. a job queue's process()).",
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { declaration: declarationSpecifierSchema, label: { type: 'string' } },
        required: ['declaration', 'label'],
      },
    },
    scriptPatterns: {
      type: 'array',
      description: 'Globs (relative to the project root) of CLI/build scripts; replaces the defaults **/scripts/**, **/bin/**, **/*.config.*.',
      items: { type: 'string' },
    },
    asyncFunctionsAreHandlers: {
      type: 'boolean',
      description: 'Treat every named async or callback-style function that is not startup code as an event-loop entry point (default true).',
    },
  },
};

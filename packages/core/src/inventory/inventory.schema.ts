import { CALLER_REQUIREMENTS } from '../metadata/declarations';
import { LAWFUL_BASES } from '../vocabulary/taxonomy';
import { SPECIAL_CATEGORY_CONDITIONS } from '../vocabulary/special-category-conditions';
import { INVENTORY_RULES, INVENTORY_SCHEMA_ID, INVENTORY_SCHEMA_VERSION } from './inventory.model';

const stringList = { type: 'array', items: { type: 'string' } } as const;
const nullableString = { type: ['string', 'null'] } as const;

const retention = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['text', 'amount', 'unit'],
  properties: {
    text: { type: 'string' },
    amount: { type: 'integer', minimum: 1 },
    unit: { enum: ['hour', 'day', 'week', 'month', 'year'] },
  },
} as const;

const termMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

/**
 * The JSON Schema (draft-07) of {@link Inventory}, version {@link INVENTORY_SCHEMA_VERSION}. The `privacy-kit`
 * CLI ships it as `inventory.schema.json`; `privacy-kit schema` prints it.
 *
 * @example
 * new Ajv().validate(INVENTORY_SCHEMA, JSON.parse(json)); // true
 */
export const INVENTORY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: INVENTORY_SCHEMA_ID,
  title: 'privacy-kit inventory',
  description: 'The compliance map of an app: routes with their privacy declarations, annotated models, observed personal data.',
  type: 'object',
  additionalProperties: false,
  required: ['$schema', 'schemaVersion', 'generatedAt', 'generator', 'app', 'routes', 'models', 'retention', 'terms', 'summary', 'warnings'],
  properties: {
    $schema: { const: INVENTORY_SCHEMA_ID },
    schemaVersion: { const: INVENTORY_SCHEMA_VERSION },
    generatedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T' },
    generator: { type: 'string' },
    app: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'controller', 'securityMeasures'],
      properties: {
        name: { type: 'string' },
        controller: {
          type: ['object', 'null'],
          additionalProperties: false,
          required: ['name', 'contact', 'representative', 'dpo'],
          properties: { name: { type: 'string' }, contact: nullableString, representative: nullableString, dpo: nullableString },
        },
        securityMeasures: stringList,
      },
    },
    routes: { type: 'array', items: { $ref: '#/definitions/route' } },
    models: { type: 'array', items: { $ref: '#/definitions/model' } },
    retention: { type: 'array', items: { $ref: '#/definitions/categoryRetention' } },
    terms: {
      type: 'object',
      additionalProperties: false,
      required: ['categories', 'purposes', 'subjectTypes', 'specialCategoryConditions'],
      properties: { categories: termMap, purposes: termMap, subjectTypes: termMap, specialCategoryConditions: termMap },
    },
    summary: {
      type: 'object',
      additionalProperties: false,
      required: ['routes', 'annotated', 'unannotated', 'withProblems', 'withUndeclared', 'categories', 'specialCategories', 'purposes', 'bases', 'subjectTypes', 'recipients'],
      properties: {
        routes: { type: 'integer', minimum: 0 },
        annotated: { type: 'integer', minimum: 0 },
        unannotated: { type: 'integer', minimum: 0 },
        withProblems: { type: 'integer', minimum: 0 },
        withUndeclared: { type: 'integer', minimum: 0 },
        categories: stringList,
        specialCategories: stringList,
        purposes: stringList,
        bases: { type: 'array', items: { enum: [...LAWFUL_BASES] } },
        subjectTypes: stringList,
        recipients: stringList,
      },
    },
    warnings: stringList,
  },
  definitions: {
    route: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'method', 'path', 'aliases', 'handler', 'source', 'annotated', 'processing', 'problems', 'observed', 'undeclared'],
      properties: {
        id: { type: 'string', minLength: 3 },
        method: { type: 'string', pattern: '^[A-Z-]+$' },
        path: { type: 'string' },
        aliases: stringList,
        handler: { type: 'string' },
        source: {
          type: ['object', 'null'],
          additionalProperties: false,
          required: ['file', 'line', 'column'],
          properties: { file: { type: 'string' }, line: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 } },
        },
        annotated: { type: 'boolean' },
        processing: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/processing' }] },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['rule', 'message'],
            properties: { rule: { enum: [...INVENTORY_RULES] }, message: { type: 'string' } },
          },
        },
        observed: {
          type: ['object', 'null'],
          additionalProperties: false,
          required: ['categories', 'samples', 'firstSeen', 'lastSeen'],
          properties: { categories: stringList, samples: { type: 'integer', minimum: 0 }, firstSeen: { type: 'string' }, lastSeen: { type: 'string' } },
        },
        undeclared: stringList,
      },
    },
    processing: {
      type: 'object',
      additionalProperties: false,
      required: [
        'categories', 'declaredCategories', 'models', 'purposes', 'basis', 'consentRequired', 'consentPurposes', 'subject', 'subjectTypes',
        'roles', 'retention', 'recipients', 'special', 'specialCategories', 'specialCategoryConditions', 'description',
      ],
      properties: {
        categories: stringList,
        declaredCategories: stringList,
        models: stringList,
        purposes: stringList,
        basis: { enum: [...LAWFUL_BASES, null] },
        consentRequired: { type: 'boolean' },
        consentPurposes: stringList,
        subject: {
          type: 'object',
          additionalProperties: false,
          required: ['resolution', 'resolver'],
          properties: { resolution: { enum: ['self', 'resolver'] }, resolver: nullableString },
        },
        subjectTypes: stringList,
        // Not in 'required': inventories written before it existed stay valid v2 inventories.
        caller: { enum: [...CALLER_REQUIREMENTS] },
        roles: stringList,
        retention,
        recipients: stringList,
        special: { type: 'boolean' },
        specialCategories: stringList,
        specialCategoryConditions: { type: 'array', items: { enum: SPECIAL_CATEGORY_CONDITIONS.map((c) => c.key) } },
        description: nullableString,
      },
    },
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'fields', 'categories', 'special', 'usedBy'],
      properties: {
        name: { type: 'string' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['property', 'categories', 'retention', 'special', 'description'],
            properties: { property: { type: 'string' }, categories: stringList, retention, special: { type: 'boolean' }, description: nullableString },
          },
        },
        categories: stringList,
        special: { type: 'boolean' },
        usedBy: stringList,
      },
    },
    categoryRetention: {
      type: 'object',
      additionalProperties: false,
      required: ['category', 'retention', 'declaredBy'],
      properties: { category: { type: 'string', minLength: 1 }, retention, declaredBy: stringList },
    },
  },
} as const;

/**
 * LESSON_SCHEMA judged by Ajv (a well-kept JSON Schema validator), as a validator the parser accepts: the
 * tests parse every lesson with it as well as with validate.ts, so the schema stays a real JSON Schema and
 * the parser's reading of it stays right. Tests only (Ajv is a dev dependency).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LESSON_SCHEMA } from './schema.ts';
import type { SchemaValidator } from './parse.ts';

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
ajv.addSchema(LESSON_SCHEMA);

export const ajvValidator: SchemaValidator = (def, value) => {
  const validateDef = ajv.getSchema(`${LESSON_SCHEMA.$id}#/$defs/${def}`)!;
  return validateDef(value) ? undefined : ajv.errorsText(validateDef.errors);
};

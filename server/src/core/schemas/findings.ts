// Finding codes of the schema layer. `Finding['code']` (core/findings.ts) gains these two when the server wires
// schema validation in; until then a SchemaFinding is a Finding with one of these codes.
import type { Finding } from '../findings';

export type SchemaFindingCode = 'schema' | 'deprecated-api';

export type SchemaFinding = Omit<Finding, 'code'> & { code: SchemaFindingCode };

// A catalogue schema's validator compiled when building: `npm run build` writes every catalogue schema's Ajv
// standalone code (standalone.ts) to schemas/validators/ (not committed) before bundling, and the bundles carry it,
// so a check compiles no schema (compiling the five a fleet's check uses took 0.5 s of its CPU, more than validating
// its documents). Before a first build there is none: SchemaValidators compiles the schema itself, to the same code.
import type { ValidateFunction } from 'ajv';

export function precompiledValidator(file: string): ValidateFunction | undefined {
  const slash = file.indexOf('/');
  const dir = file.slice(0, slash);
  const name = file.slice(slash + 1).replace(/\.json$/, '');
  try {
    // A template literal: esbuild bundles every schemas/validators/*/*.js it can match (as catalog.ts's schemas).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`../../../../schemas/validators/${dir}/${name}.js`) as ValidateFunction;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

// The catalogue's validators as Ajv standalone code: one CommonJS module per schema file, compiled as
// SchemaValidators compiles one (newAjv, schemaToCompile). Only scripts/build.mjs (which writes them where
// precompiled.ts finds them) and the tests use this module; the bundles never import it.
import standaloneCode from 'ajv/dist/standalone';
import { catalogEntries } from './catalog';
import { newAjv, schemaToCompile } from './validate';
import { FLEET_CONFIG_SCHEMA, FLEET_CONFIG_VALIDATOR_FILE, fleetConfigAjv } from './fleetConfigSchema';

/** Each catalogue schema file's validator module, and `.flux-fleet.yaml`'s schema's (ajv-formats names its formats'
 *  module in the code itself). */
export function validatorModules(): Map<string, string> {
  const ajv = newAjv({ code: { source: true } });
  const out = new Map<string, string>();
  for (const entry of catalogEntries()) {
    if (!out.has(entry.file)) out.set(entry.file, standaloneCode(ajv, ajv.compile(schemaToCompile(entry))));
  }
  // `.flux-fleet.yaml`'s own schema (fleetConfigSchema.ts), compiled with its own options.
  const fleetAjv = fleetConfigAjv(true);
  out.set(FLEET_CONFIG_VALIDATOR_FILE, standaloneCode(fleetAjv, fleetAjv.compile(FLEET_CONFIG_SCHEMA)));
  return out;
}

/** Where precompiled.ts finds a schema file's validator, relative to schemas/. */
export function validatorPath(file: string): string {
  return `validators/${file.replace(/\.json$/, '.js')}`;
}

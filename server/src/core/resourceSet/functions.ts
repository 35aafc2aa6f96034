// The Flux Operator's template dialect: `<< >>` delimiters, missingkey=error, Go's builtins, slim-sprig
// (HermeticTxtFuncMap), and its own `slugify`, `toYaml`, `mustToYaml` and `inputs` (the input set, or nil when the
// ResourceSet has no inputs: a nil map, which Go indexes like an empty one). internal/builder/resourceset.go newTemplate.
import { BUILTINS, SPRIG, toJsonData, type FuncMap, type GoValue } from '../gotemplate';
import { goYamlDocument } from '../kustomize/goYamlEmit';
import type { Json } from '../kustomize/types';

export const LEFT_DELIM = '<<';
export const RIGHT_DELIM = '>>';
export const TEMPLATE_NAME = 'resourceset';

/** sigs.k8s.io/yaml Marshal: JSON first, then go-yaml v2's printing of it. */
export function toYaml(v: GoValue): string {
  return goYamlDocument(toJsonData(v) as Json);
}

// gosimple/slug.Make as the operator configures it (MaxLength 63, EnableSmartTruncate): `&` → and, `@` → at,
// accents dropped (unidecode, approximated by Unicode decomposition), lower case, anything else a single `-`.
export function slugify(s: string): string {
  let slug = s.trim().replace(/&/g, 'and').replace(/@/g, 'at');
  slug = slug.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/đ/g, 'd').replace(/ł/g, 'l');
  slug = slug.toLowerCase();
  slug = slug.replace(/[^a-z0-9\-_]/g, '-').replace(/-+/g, '-');
  slug = slug.replace(/^[-_]+|[-_]+$/g, '');
  const MAX = 63;
  if (slug.length > MAX) {
    let cut = -1;
    for (let i = MAX; i >= 0; i--)
      if (slug[i] === '-') {
        cut = i;
        break;
      }
    slug = cut >= 0 ? slug.slice(0, cut) : slug.slice(0, MAX);
  }
  return slug;
}

const OPERATOR_FUNCS: FuncMap = Object.freeze(
  Object.assign(Object.create(null) as FuncMap, BUILTINS, SPRIG, {
    slugify: { params: ['string'], call: ([s]) => slugify(s as string) },
    toYaml: { params: ['any'], call: ([v]) => toYaml(v) },
    mustToYaml: { params: ['any'], call: ([v]) => toYaml(v) },
  } satisfies FuncMap),
);

/** The function map of one rendering: the operator's functions (shared), and `inputs` returning this input set. */
export function operatorFuncs(inputSet: GoValue): FuncMap {
  const funcs = Object.create(OPERATOR_FUNCS) as FuncMap;
  funcs.inputs = { params: [], call: () => inputSet };
  return funcs;
}

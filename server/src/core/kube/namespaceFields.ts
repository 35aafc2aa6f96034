// kustomize's namespace field specs beyond `metadata/namespace` and a Namespace's own name (kustomize v5.5,
// api/internal/konfig/builtinpluginconsts/namespace.go): fields of cluster-scoped objects that name the namespace of
// the Service they call. The namespace transformer sets them like an object's own namespace.
import type { FieldSpec } from '../kustomize/fieldSpecs';

export const NAMESPACE_SERVICE_FIELDS: readonly FieldSpec[] = [
  // made when missing, as `metadata/namespace` is (kubectl gives an APIService without a service `service: {namespace}`)
  { group: 'apiregistration.k8s.io', kind: 'APIService', path: 'spec/service/namespace', create: true },
  // only where the conversion webhook names a namespace already (no `version`: any apiextensions version with this path)
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', path: 'spec/conversion/webhook/clientConfig/service/namespace' },
];

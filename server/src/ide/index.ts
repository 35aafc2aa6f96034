// The IDE facade: the only thing the LSP layer (lsp/) and the CLI call. Each feature is a function of the fleet
// (and a file and offset), returning core data (offsets, paths); conversions to LSP live in lsp/convert.ts.
export { openFleet, settingsMappings, folderExists, repositoryRootOf, type Fleet, type MappingTrust } from './fleet';
export { Cancelled, NEVER_CANCELLED, either, throwIfCancelled, type CancellationToken } from './cancel';
export { hover, effectiveValuesDocument, type HoverAnswer } from './hover';
export { hasFluxConfiguration, noFluxConfigurationMessage } from './fluxPresence';
export { quickFixes, mappingEdit, type QuickFix, type DiagnosticRef, type TextEdit, type FolderChoice } from './codeActions';
export { check, fileFindings, fleetFindingsByFile, evaluateFleet, type Evaluated, type CheckOptions } from './diagnostics';
export { contexts, warmContexts, type ContextSummary } from './contexts';
export { definition } from '../features/definition';
export { references } from '../features/references';
export { documentLinks } from '../features/documentLinks';
export { deployLens } from '../features/codeLens';
export { workspaceSymbols } from '../features/symbols';
export { completion, snippetToPlainText, type CompletionItem } from '../features/completion';
export { fleetTree, renderTree, type TreeNode } from '../features/fleetTree';
export type { Finding } from '../core/findings';
export type { Location } from '../core/link/types';
export type { Span } from '../core/text';
export { lineColOf, lineStartsOf, repositoryCount, toSarif } from './summary';
export { computeLineStarts, lineColToOffset, offsetToLineCol } from '../core/text';
export { kustomizeCommand, buildCommand, valuesCommand, type CommandIO } from './commands';
export { tenantsReport, renderTenants, type TenantReport } from './tenants';
export { documentSymbols, type DocumentSymbol } from '../features/documentSymbols';
export { renameObject, renameVariable, prepareRename, rename, type RenameAnswer, type RenameEdit, type PrepareRenameAnswer } from './rename';
export { impact, renderedPair, pruneDeleteFindings, impactDiskChanged, diffCommand, type ImpactSpec, type FleetImpact, type ContextImpact, type ObjectChange, type FieldChange, type Danger, type DangerCode, type ChangedFile, type ImpactCause, type ObjectRef, type Baseline } from './impact';
export { impactView, noImpact, type ImpactView, type CauseView, type DangerView, type PlaceView } from './impactView';
export { emptyPlan, applyEdits, type OperationPlan, type OperationAnswer, type PlanEdit, type PlanCreate, type PlanMove } from '../core/operations/plan';
export { applyPlan, describePlan, type ReadText } from './applyPlan';

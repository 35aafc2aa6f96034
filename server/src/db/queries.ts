// The declared queries of a FleetDb: every table of derived state has a name here, the inputs it depends on and,
// for the bounded ones, how many entries the one LRU policy keeps. A query's entries are reused while its inputs
// are unchanged; what "unchanged" means finer than that (a folder build re-checks the paths it read, a Flux build
// the identities of its inputs) is the query's own check, made against the same revision counter.

/** The inputs of a fleet: everything derived is a function of these. */
export type Input = 'texts' | 'overlays' | 'layout' | 'settings';

export interface QueryDecl {
  readonly inputs: readonly Input[];
  /** Entries kept (least recently used dropped beyond), or a weight function's total for `weigh`ed tables. */
  readonly bound?: number;
  /** An entry's weight (default 1) when the bound is on a total: what it holds, so the bound is on memory, not entries. */
  readonly weigh?: (value: never) => number;
  readonly doc: string;
}

const ALL: readonly Input[] = ['texts', 'overlays', 'layout', 'settings'];

export const QUERIES = {
  // Documents take about 23× their text in memory (3 MB of YAML, 11k files: +70 MB peak RSS for a whole check):
  // 16 MB of text holds a 4× synthetic fleet; beyond it, a text the bound dropped is parsed again when read.
  parse: { inputs: ['texts', 'overlays'], bound: 16 * 1024 * 1024, doc: 'a file text → its YAML documents (one parse per text, weighed by text length)' },
  // Trees made again from a flat parse (core/compactDocs.ts) take about 25× their text: 1 MB of text holds the files a
  // build or a hover reads at once; the least recently asked for go back to their flat form.
  parseTrees: { inputs: ['texts', 'overlays'], bound: 1024 * 1024, doc: 'the parses kept flat whose trees were asked for again (made again from the flat form, weighed by text length)' },
  facts: { inputs: ['texts', 'overlays'], doc: 'a file → FileFacts (Fleet.facts: re-made when the file is re-read)' },
  linkShape: { inputs: [], doc: "a file's facts without positions: what the linker can see of it (per FileFacts; core/linkShape.ts)" },
  links: { inputs: ALL, doc: 'the linked fleet (Fleet.links), re-linked after any change' },
  manifests: { inputs: ['texts', 'overlays'], doc: "a file's resources as loaded with provenance (per FileFacts)" },
  // The editor's bounds, weighed by the resources a build holds (its entries differ a hundredfold: a base of three
  // objects, a cluster folder of hundreds), so they bound memory, not entries: what a person hovers in a dozen files
  // of the synthetic fleet (the soak's first thousand edits, no build dropped) holds some 26,000 resources of folder
  // builds and 6,400 of inner builds (about 210 and 400 builds); beyond the bounds, the builds of files closed long ago
  // go. The heap reaches its steady state within the first thousand edits instead of growing for hours towards an
  // entry count. A whole check holds more (Evaluator.forWholeFleet: WHOLE_FLEET_FOLDER_BUILDS, WHOLE_FLEET_INNER_BUILDS).
  folderBuild: { inputs: ['texts', 'overlays', 'layout'], bound: 28_000, weigh: (b: { whole?: { resources: unknown[] }; stage?: { resources: unknown[] } }) => 1 + (b.whole?.resources.length ?? 0) + (b.stage?.resources.length ?? 0), doc: "a folder's kustomize build, kept while every path it read reads the same (weighed by its resources: whole and first stage)" },
  innerBuild: { inputs: ['texts', 'overlays', 'layout'], bound: 7_000, weigh: (e: { built: { resources: unknown[] } }) => 1 + e.built.resources.length, doc: 'an inner kustomization\'s build (a folder under resources:), copied for each includer while what it read reads the same (weighed by its resources)' },
  innerBuildMade: { inputs: [], doc: 'the folders an inner build was made for: only those may have an entry a kept folder build holds past the innerBuild bound (evaluate/innerBuilds.ts)' },
  buildDonor: { inputs: [], bound: 1, doc: 'another fleet whose kept folder and inner builds this one may take when every path they read reads the same here (evaluate/buildDonor.ts: the change impact\'s baseline takes the working fleet\'s)' },
  fluxBuildWhole: { inputs: ALL, bound: 600, doc: 'a whole Flux build by the identities of its inputs' },
  fluxFrames: { inputs: ALL, doc: "what a Flux build's inputs decide before its selection (source, folder, variables, the folder build's key), per context (by its lookups' function), kept across versions while what it read reads the same" },
  fluxBuildPartial: { inputs: ALL, bound: 6000, doc: 'a Flux build restricted to some resources (hovers, skeletons)' },
  identity: { inputs: [], doc: 'a number per object, for memo keys made of identities' },
  contexts: { inputs: ALL, doc: 'the evaluator: contexts from the roots, outliving text edits while their inputs are the same objects' },
  wholeBuilds: { inputs: ALL, bound: 600, doc: "contexts holding their whole build (the rest rebuild on demand)" },
  skeleton: { inputs: [], doc: "a folder build's skeleton selection (Kustomizations, ConfigMaps, Secrets)" },
  skeletonUses: { inputs: [], doc: "a whole build's variable uses (one list of them) kept to its skeleton's objects" },
  skeletonOfBuild: { inputs: [], doc: "a whole Flux build seen as its skeleton (Evaluator.forWholeFleet: one build per context)" },
  fleetAfter: { inputs: ALL, bound: 2, doc: 'the fleet after an operation plan, loaded in memory (its render proof and its findings check share it)' },
  fleetTreeLazy: { inputs: ALL, bound: 1, doc: "the Fleet view's lazy tree (links only) with its Kustomization nodes by id: what an expansion evaluates" },
  fleetTreeReleases: { inputs: [], doc: "a folder build's HelmReleases and Apps (the Fleet view's selection)" },
  fleetTreeRelease: { inputs: [], doc: 'a built HelmRelease or App as the Fleet view names it (label, chart, where declared)' },
  variables: { inputs: [], doc: 'the variables a built ConfigMap or Secret offers to substituteFrom' },
  opaqueSources: { inputs: [], doc: 'one empty variable source per object only the cluster knows' },
  substituteEntries: { inputs: [], bound: 4096, doc: "a frame's postBuild.substitute entries (names and their substituteValues), one list for every frame with those entries (fluxBuild.ts substituteEntries)" },
  substituteValues: { inputs: [], bound: 4096, doc: "a postBuild.substitute entry's value with where it was written, by what it is: the frames of every Kustomization one patch gave that entry share one (fluxBuild.ts substituteValue)" },
  instanceSync: { inputs: [], doc: "the Kustomization a FluxInstance's spec.sync makes" },
  filesOfResource: { inputs: [], doc: 'the files that wrote into a built resource' },
  filesOfProvenance: { inputs: [], doc: "the files a provenance map's writes came from (shared by the objects holding the map)" },
  provenanceDelta: { inputs: [], doc: "a provenance map substitution copied: the cached build's map it came from and the pointers it wrote" },
  dollarStrings: { inputs: [], doc: "the strings with a $ (what substitution may change) of a cached build's object" },
  dollarResources: { inputs: [], doc: "the objects with a $ string of a folder build's selection (what substitution may change), by index" },
  sharedContent: { inputs: [], doc: "a Flux build's objects named by what they are made of: the folder build's selection and each object's substitution (evaluate/sharedContent.ts)" },
  sharedResources: { inputs: [], doc: "the Resource objects of the first Flux build of each content of a selection, which later builds with that content take (evaluate/sharedContent.ts)" },
  // Keyed by the selection's identity (never reused), holding content keys (strings): one entry per selection and
  // distinct variables (contentByVariables) or per context (wholeContents); a whole check of the synthetic fleet
  // records some 240 and 2,500.
  contentByVariables: { inputs: [], bound: 4096, doc: "a selection's content key by what substitution reads of a build's variables (every object's names at once): a build that agrees takes the content without a key per object (fluxBuild.ts knownContent)" },
  selectionNames: { inputs: [], doc: "the variables the substituted objects of a folder build's selection may read, all at once (fluxBuild.ts knownContent)" },
  wholeContents: { inputs: [], bound: 4096, doc: "the content key of each context's whole build by its inputs and the folder build output's identity (evaluate/sharedContent.ts recordWholeContent): what a hover's partial build takes its objects from" },
  contextKeys: { inputs: [], doc: 'the key of a context id (contextKey), per id object' },
  keptSelections: { inputs: [], doc: "the part of a kept build (sharedResources) a hover's selection picks: its objects and their variable uses (evaluate/sharedContent.ts keptSelection)" },
  selectionPlaces: { inputs: [], doc: "where each object of a selection of a folder build's output is in that output" },
  substitutionNames: { inputs: [], doc: "the variables a cached build's object's $ strings may read (per dollarStrings list)" },
  substituted: { inputs: [], doc: "a cached build's object substituted, by what it reads of the variables (contexts that agree share it: evaluate/substitutionMemo.ts)" },
  reachSelection: { inputs: [], doc: "what a question about one file needs of a folder build's resources" },
  buildReads: { inputs: [], doc: 'every file a folder build read, one list shared by the Flux builds made from it' },
  dataWriters: { inputs: [], doc: 'the positions of the objects each generator-only input wrote into, in a folder build\'s output (dataPatch.ts)' },
  dataOnlyInputs: { inputs: [], doc: "the files a folder build read only as generator inputs of objects without a hash suffix (per build output)" },
  reachPartial: { inputs: ALL, doc: "a context's build restricted to what one file reaches" },
  valuesFile: { inputs: ['texts', 'overlays'], bound: 2000, doc: 'a values file (valuesFiles, chart values.yaml) → data with provenance' },
  helmValues: { inputs: ALL, doc: "a HelmRelease's effective values" },
  helmValuesShared: { inputs: ALL, doc: "a HelmRelease's effective values by its object, provenance and valuesFrom objects (contexts sharing them)" },
  valuesOriginals: { inputs: [], doc: "a values text as written in a file (the whole file, or a block scalar by its place), with each pointer's span there (per parse of the file)" },
  objectsByName: { inputs: [], doc: "a build's objects by kind and name: where valuesFrom and substituteFrom entries look (per resource list; evaluate/objectsByName.ts)" },
  helmValuesBase: { inputs: ALL, doc: 'the chart defaults and valuesFrom layers of HelmReleases merged, by the parses they merge (contexts whose layers are the same share one)' },
  appValues: { inputs: ALL, doc: "a Giant Swarm App's effective values" },
  deployChains: { inputs: ALL, doc: 'the deploy chains of a file (per includers map: links carried over with the same includers keep them)' },
  rootKustomizations: { inputs: ALL, doc: 'the Flux Kustomizations nothing deploys (per Links)' },
  lockIndex: { inputs: ALL, doc: 'the lock declarations of the fleet, kept after edits of texts that hold no mark (locks/index.ts)' },
  lockFindings: { inputs: ALL, doc: 'lock findings by key, with their details' },
  lockDetails: { inputs: [], doc: 'the detail of a lock finding (per Finding object)' },
  schemaFindings: { inputs: ['texts', 'overlays'], doc: 'schema findings of a file as written (per FileFacts)' },
  schemaLinks: { inputs: ALL, doc: 'the last good links the schema tier read' },
  deprecatedApi: { inputs: ['texts', 'overlays'], doc: 'deprecated apiVersion findings of a file (per FileFacts)' },
  schema: { inputs: [], doc: 'a bundled JSON Schema, read when first asked for' },
  schemaValidator: { inputs: [], doc: 'an Ajv validator compiled from a bundled schema (or a leaf of one)' },
  completionLinks: { inputs: ALL, doc: 'the last good links completion read' },
  // By file: the files a session completes in come and go; the answers of the last few are kept (an answer holds the
  // values of each context feeding the file, ~50 KB: 64 of them were the soak's growth past its dozen open files).
  completionMemo: { inputs: ALL, bound: 32, doc: 'completion lookups memoized per file while the files they read are the same' },
  completionWhere: { inputs: [], doc: "where an object's name is written, as completion documents it (per ObjectFact, checked against the layout and its file's facts)" },
  resourceSetDocuments: { inputs: [], doc: "a file's ResourceSet and provider documents as the operator reads them (per FileFacts)" },
  resourceSetLinks: { inputs: [], doc: "a ResourceSet's expansion with the fleet's providers (checked against the facts it read)" },
  resourceSetExpansions: { inputs: [], doc: 'a built ResourceSet expanded as its context applies it (checked against its build)' },
  resourceSetChildren: { inputs: [], doc: 'the Flux Kustomizations a built ResourceSet generates, with their facts' },
  lockdownFlags: { inputs: [], doc: "the controller flags (--no-cross-namespace-refs, …) a file's text sets, per FileFacts" },
  appliedResources: { inputs: [], doc: 'a build with the objects its ResourceSets generate (what the cluster gets), per build' },
  tenantGrants: { inputs: [], doc: 'the RBAC grants and tenant-labelled namespaces of one applied object list, in its order (per list)' },
  renderedTemplateLines: { inputs: [], doc: "the template line of each field of an object a ResourceSet's resourcesTemplate renders (per linked object)" },
  generatedSchemaFindings: { inputs: [], doc: 'schema findings of the objects a ResourceSet generates (per linked expansion)' },
  impactBaseline: { inputs: ['layout', 'settings'], bound: 4, doc: 'the baseline fleet of a change impact (ide/impact.ts), by its spec (revision or folder) and the commits it resolved to' },
  impactChanged: { inputs: [], doc: 'the files that differ from a baseline fleet (per baseline), re-compared only where the working fleet changed since' },
  impactDiskEpoch: { inputs: [], bound: 1, doc: 'disk changes in repositories without .git (their baseline is their working tree): part of impactBaseline\'s key' },
  locksReaching: { inputs: [], bound: 16, doc: 'the contexts a lock hover reads for a file, with the resources it needs of each (the files a person keeps open); kept across versions while the skeletons and builds the walk read are unchanged (features/locksReaching.ts)' },
  impactReached: { inputs: [], bound: 64, doc: 'the contexts of one side of a change impact that its changed files reach, by the files (checked against the fleet version)' },
  impactObjectText: { inputs: [], doc: "a built object's JSON text (per object), to skip the unchanged objects of a change impact's contexts at once" },
  impactContexts: { inputs: [], bound: 5000, doc: 'the ids of the contexts impacts listed, by key (the diff view finds a context by its chain)' },
  // One filter per source root and spec.ignore: a fleet's source roots grow with it (a tenant's repository each), and
  // a check asks each root's filter once per context, so a bound below their number dropped every filter before it was
  // asked again (4x the synthetic fleet, 220 source objects: most Flux builds made their filter again). A filter holds
  // the answers of the paths asked in its root.
  artifactFilter: { inputs: [], bound: 4096, doc: "what a source's artifact leaves out of its folder (.sourceignore files, spec.ignore, Flux's defaults), checked against Fleet.linkEpoch" },
  // One entry per distinct set of patterns (most roots: Flux's defaults), each the answers of the relative paths asked.
  ignoreAnswers: { inputs: [], bound: 4096, doc: 'what a set of ignore patterns (with its mode) decides of each relative path asked, shared by the artifact filters with those patterns' },
  sourceIgnoreFiles: { inputs: [], bound: 1, doc: "every .sourceignore file of the fleet's tree, checked against Fleet.linkEpoch (each source root's artifactFilter takes those inside it)" },
  buildOptions: { inputs: [], doc: "a fleet's build options (evaluate/fluxBuild.ts buildOptions: functions reading the fleet as it is when called), one per fleet" },
  artifactOptions: { inputs: [], doc: "the build options reading only what a source's artifact holds, per artifact filter (shared by the Flux frames of its contexts)" },
  artifactFolders: { inputs: [], doc: "what a folder is in a source's artifact (there or not; the options building it, a generated kustomization's when it has none), per artifact filter and folder (shared by the Flux frames of its contexts)" },
  objectPattern: { inputs: [], doc: 'a `${var}` name pattern as a regular expression' },
  variableRename: { inputs: ALL, bound: 8, doc: "a variable rename's places joined over every context (prepareRename, then rename at the same place)" },
} as const satisfies Record<string, QueryDecl>;

export type QueryName = keyof typeof QUERIES;

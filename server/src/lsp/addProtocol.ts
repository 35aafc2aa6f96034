// The wire form of the add operations: `fluxFleet/addTenant` and `fluxFleet/addApp` answer a WorkspaceEdit (each change
// annotated to ask for confirmation: VS Code's refactor preview) or an error carrying the refusal's reason;
// `fluxFleet/addChoices` lists what the client offers to pick (clusters, tenants); `fluxFleet/addAppRequired` the values
// a base requires, which the client asks for and sends as `values` (add app refuses a required key left out: Neovim
// and other clients send them in the request's `values`). Folders travel as URIs.
export const ADD_TENANT_REQUEST = 'fluxFleet/addTenant';
export const ADD_APP_REQUEST = 'fluxFleet/addApp';
export const ADD_CHOICES_REQUEST = 'fluxFleet/addChoices';
/** The keys a base requires (`# fleet:required` marks, `required:` policies), asked before ADD_APP_REQUEST. */
export const ADD_APP_REQUIRED_REQUEST = 'fluxFleet/addAppRequired';

export interface AddTenantParams {
  name: string;
  repoUrl: string;
  /** The tenant repository's local folder. */
  folderUri: string;
  clusters: string[];
}

export interface AddAppParams {
  name: string;
  baseUri: string;
  toUri: string;
  values?: Record<string, string>;
}

export interface AddAppRequiredParams {
  baseUri: string;
}

/** One required key (`ingress.host`) and why it is required. */
export interface RequiredValue {
  key: string;
  reason?: string;
}

export interface AddChoices {
  clusters: string[];
  tenants: string[];
}

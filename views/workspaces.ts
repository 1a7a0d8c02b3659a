// What every page of a workspace shows about the workspace itself.

/** What every page of the workspace shows above itself (components/shell/workspace-notices). */
export interface WorkspaceNoticesView {
  /** Why the workspace's Unipile API key is refused, if it is. */
  credentialProblem: string | null;
}

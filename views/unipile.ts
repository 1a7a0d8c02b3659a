// What the accounts page shows about the workspace's Unipile set-up (never the key).

export interface UnipileSettingsView {
  configured: boolean;
  dsn: string | null;
  updatedAt: Date | null;
  /** Whether this server holds OUTFLOW_ENCRYPTION_KEY; without it nothing can be saved or used. */
  encryptionKeySet: boolean;
  encryptionKeyProblem: string | null;
  /** Unipile refused the saved API key: the banner's text, until a valid key is saved. */
  credentialsProblem: string | null;
}

export interface UnipilePanelView extends UnipileSettingsView {
  /** Real seats that need a person: reconnect them through a new hosted-auth link. */
  needsReconnect: Array<{ id: string; name: string; status: string; statusReason: string | null }>;
}

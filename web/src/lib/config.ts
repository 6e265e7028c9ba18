/** Runtime configuration served beside the app, so one build runs locally and on AWS. */
export interface WebConfig {
  apiBase: string;
  /** `accounts`: the local server serves other machines, so sign-in takes a password, never an email alone. */
  auth:
    | { mode: 'local'; accounts?: boolean }
    | {
        mode: 'cognito';
        domain: string;
        clientId: string;
        redirectUri?: string;
        /** The company's identity provider federated into the user pool: `name` as Cognito knows it, `label` for the button. */
        identityProvider?: { name: string; label: string };
      };
  signInHints?: Array<{ email: string; name: string; function: string; role: string }>;
}

let loaded: Promise<WebConfig> | undefined;

export function loadConfig(): Promise<WebConfig> {
  loaded ??= fetch('/config.json').then(async (response) => {
    if (!response.ok) throw new Error(`Cannot load /config.json (${response.status})`);
    return (await response.json()) as WebConfig;
  });
  return loaded;
}

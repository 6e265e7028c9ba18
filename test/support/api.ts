import type { AddressInfo } from 'node:net';
import { joinExportPages } from '#contract/backup/backup';
import type { RouteName } from '#contract/index';
import { type RawCallInput, type RouteCaller, routeRequest } from '#scripts/fixtures/route-call';
import { createLocalAuth, type LocalAuth } from '#scripts/local/local-auth';
import { createLocalServer } from '#scripts/local/server';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** The sequential DynamoDB round trips the local server counted for a request. */
export const tripsOf = (response: ApiResponse) => Number(response.headers.get('x-accord-db-round-trips'));

/** A signed-in person talking to the local API. */
export interface Person extends RouteCaller {
  email: string;
  token: string;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string): Promise<ApiResponse<T>>;
}

export interface TestApi extends RouteCaller {
  baseUrl: string;
  auth: LocalAuth;
  /** Signs in a new person; the email gets a random suffix so test files never share people. */
  person(label: string): Promise<Person>;
  /** A raw request with no token unless given. */
  raw(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<ApiResponse<any>>;
  close(): Promise<void>;
}

async function readResponse(response: Response): Promise<ApiResponse<any>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, headers: response.headers, body };
}

/** Unique per call, so tests and test files never collide on people. */
export const uniqueEmail = (label: string) => `${label}.${crypto.randomUUID().slice(0, 8)}@test.example`;

/** Starts the local server (the same one `npm start` runs) on a free port, in this test process. */
export async function startApi(
  options: { webRoot?: string; webConfig?: Record<string, unknown>; outboxDir?: string } = {},
): Promise<TestApi> {
  const auth = await createLocalAuth();
  const server = createLocalServer({
    auth,
    webRoot: options.webRoot,
    webConfig: options.webConfig,
    outboxDir: options.outboxDir,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const raw = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
    readResponse(await fetch(`${baseUrl}${path}`, { method, body: init.body, headers: init.headers }));

  return {
    baseUrl,
    auth,
    raw,
    ...routeCaller(raw, {}),
    async person(label) {
      const email = uniqueEmail(label);
      const { token } = await auth.signIn({ email, name: label });
      return personWith(email, token, raw);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A person with a given email, e.g. the invitee of an earlier step. */
export async function signInAs(api: TestApi, email: string, name = email): Promise<Person> {
  const { token } = await api.auth.signIn({ email, name });
  return personWith(email, token, api.raw);
}

type Send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse<any>>;

/** A JSON request below the API prefix, with the given headers (a token, say). */
function sender(raw: TestApi['raw'], baseHeaders: Record<string, string>): Send {
  return (method, path, body, headers = {}) =>
    raw(method, `/api${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        ...baseHeaders,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
    });
}

function routeCaller(raw: TestApi['raw'], baseHeaders: Record<string, string>): RouteCaller {
  const send = sender(raw, baseHeaders);
  const callRaw = (name: RouteName, input?: RawCallInput) => {
    const { method, path, body, headers } = routeRequest(name, input);
    return send(method, path, body, headers);
  };
  return { call: callRaw as RouteCaller['call'], callRaw };
}

function personWith(email: string, token: string, raw: TestApi['raw']): Person {
  const request = sender(raw, { authorization: `Bearer ${token}` });
  return {
    email,
    token,
    request,
    ...routeCaller(raw, { authorization: `Bearer ${token}` }),
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
  };
}

/**
 * A whole export as the web app downloads it: every page's records, in
 * order, in one document the import takes. `pages` counts the requests.
 */
export async function exportAll(person: Person, workspaceId: string) {
  const first = await person.call('exportWorkspace', { params: { workspaceId } });
  if (first.status !== 200) return { status: first.status, body: first.body, pages: 1 };
  const pages = [first.body];
  for (let cursor = first.body.nextCursor; cursor; ) {
    const page = await person.call('exportWorkspace', { params: { workspaceId }, query: { cursor } });
    if (page.status !== 200)
      throw new Error(`export page ${pages.length + 1} answered ${page.status}: ${JSON.stringify(page.body)}`);
    pages.push(page.body);
    cursor = page.body.nextCursor;
  }
  return { status: 200, body: joinExportPages(pages) as any, pages: pages.length };
}

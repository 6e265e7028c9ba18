import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, createItem, planningTeam } from '#test/support/planning';

/**
 * The local server runs the same handlers as Lambda, so it writes the same
 * request lines: here with the DynamoDB requests and capacity each cost.
 */
let api: TestApi;
let admin: Person;
let lines: Record<string, unknown>[];
let setting: string | undefined;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('log-admin');
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  lines = [];
  setting = process.env.ACCORD_LOG;
  process.env.ACCORD_LOG = 'info';
  // Every line the API writes goes to stdout: read them back from there.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env.ACCORD_LOG = setting;
});

const requestLines = () => lines.filter((line) => line.message === 'request');

describe('request lines of the local server', () => {
  it('log each call with its workspace, status and the database requests and capacity it cost', async () => {
    const created = await admin.post('/workspaces', { name: 'Logged Pumps' });
    expect(created.status).toBe(201);
    const workspaceId = created.body.id as string;
    const read = await admin.get(`/workspaces/${workspaceId}`);
    expect(read.status).toBe(200);

    const [create, get] = requestLines();
    expect(requestLines()).toHaveLength(2);
    expect(create).toMatchObject({
      route: 'workspaces/create',
      status: 201,
      dbRequests: Number(created.headers.get('x-accord-db-requests')),
    });
    expect(get).toMatchObject({
      route: 'workspaces/get',
      workspaceId,
      status: 200,
      dbRequests: Number(read.headers.get('x-accord-db-requests')),
      coldStart: expect.any(Boolean),
    });
    expect(Number(create?.dbCapacityUnits)).toBeGreaterThan(0);
    expect(Number(get?.dbCapacityUnits)).toBeGreaterThan(0);
    expect(String(get?.lambdaRequestId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(String(get?.apiRequestId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(get?.apiRequestId).not.toBe(get?.lambdaRequestId);
  });

  it('log a refused call with its status, and count it as a client error of its route', async () => {
    const outsider = await api.person('log-outsider');
    const refused = await outsider.get('/workspaces/00000000-0000-4000-8000-000000000000');
    expect(refused.status).toBe(404);
    expect(requestLines()).toEqual([expect.objectContaining({ route: 'workspaces/get', status: 404, errorName: 'NotFound' })]);
    expect(lines.filter((line) => '_aws' in line)).toEqual([
      expect.objectContaining({ ClientErrors: 1, Route: 'workspaces/get' }),
    ]);
  });
});

describe('business metrics of the local server', () => {
  const metricsNamed = (name: string) => lines.filter((line) => '_aws' in line && name in line);

  it('count sign-offs, promise checks by band and commitments from the answers', async () => {
    const team = await planningTeam(api, 'Metric Pumps');
    const item = await createItem(team, 'MET-1');
    const cycle = await createCycle(team);
    await agree(team, cycle.id, item.id);
    expect(metricsNamed('SignOffs')).toEqual([
      expect.objectContaining({ SignOffs: 1, Via: 'threshold' }),
      expect.objectContaining({ SignOffs: 1, Via: 'threshold' }),
    ]);

    const base = `/workspaces/${team.workspaceId}/catalogue/${item.id}`;
    const check = await team.rep.get(`${base}/promise-check?quantity=1&leadTimeDays=10`);
    expect(check.status).toBe(200);
    const beyond = await team.rep.get(`${base}/promise-check?quantity=100000&leadTimeDays=10`);
    expect(beyond.body.band).toBe('beyond');
    expect(metricsNamed('PromiseChecks')).toEqual([
      expect.objectContaining({ PromiseChecks: 1, Band: check.body.band }),
      expect.objectContaining({ PromiseChecks: 1, Band: 'beyond' }),
    ]);

    const recorded = await team.rep.post(`${base}/commitments`, {
      reference: 'Deal 1',
      quantity: 1,
      deliveryDate: check.body.deliveryDate,
    });
    expect(recorded.status).toBe(201);
    expect(metricsNamed('CommitmentsRecorded')).toEqual([expect.objectContaining({ CommitmentsRecorded: 1 })]);
    expect(metricsNamed('CommitmentsByBand')).toEqual([
      expect.objectContaining({ CommitmentsByBand: 1, Band: recorded.body.commitment.answer }),
    ]);
    // A refused commitment counts as a client error, not as a commitment.
    const refused = await team.rep.post(`${base}/commitments`, {
      reference: '',
      quantity: 1,
      deliveryDate: check.body.deliveryDate,
    });
    expect(refused.status).toBe(400);
    expect(metricsNamed('CommitmentsRecorded')).toHaveLength(1);
    expect(metricsNamed('ClientErrors')).toEqual([expect.objectContaining({ Route: 'catalogue/commitments/record' })]);
  });
});

import type { PortfolioKind } from '#contract/portfolio/portfolio';
import type { Caller } from '#contract/views';
import { addWorkingDays } from '#contract/working-days';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';
import { recordCommitment } from '#functions/catalogue/commitments';
import { addAgendaEntry } from '#functions/meetings/service-agenda';
import { markAttendance } from '#functions/meetings/service-attendance';
import { type Actor, changeMeetingState, createMeeting } from '#functions/meetings/service-lifecycle';
import { updateActionStatus, writeOutcome } from '#functions/meetings/service-outcomes';
import { createPortfolioItem } from '#functions/portfolio/portfolio';
import { changeCycleState, createCycle } from '#functions/thresholds/cycles';
import { saveThreshold, signerOf, signOffThreshold } from '#functions/thresholds/thresholds';
import { addMember, createWorkspace, getMember, listWorkspacesOf } from '#functions/workspaces/workspaces';
import { demoTerms } from '#scripts/fixtures/terms';
import { loadDemoIssues } from './demo-issues';
import { subjectOf } from './local-auth';

/**
 * A demo company, loaded through the same store functions the API uses: a
 * maker of industrial pumps that also sells installation and maintenance.
 */
export const demoWorkspaceName = 'Halden Pumps (demo)';

export interface DemoPerson {
  email: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
}

export const demoPeople: DemoPerson[] = [
  { email: 'ingrid.admin@halden.example', name: 'Ingrid Halden', function: 'management', role: 'admin' },
  { email: 'sam.sales@halden.example', name: 'Sam Okafor', function: 'sales', role: 'manager' },
  { email: 'rita.rep@halden.example', name: 'Rita Moreau', function: 'sales', role: 'rep' },
  { email: 'raj.rep@halden.example', name: 'Raj Patel', function: 'sales', role: 'rep' },
  { email: 'olga.ops@halden.example', name: 'Olga Lindqvist', function: 'operations', role: 'manager' },
  { email: 'omar.ops@halden.example', name: 'Omar Haddad', function: 'operations', role: 'rep' },
  { email: 'mia.marketing@halden.example', name: 'Mia Chen', function: 'marketing', role: 'manager' },
  { email: 'felix.finance@halden.example', name: 'Felix Braun', function: 'finance', role: 'manager' },
];

type DemoItem = [code: string, name: string, kind: PortfolioKind, unit: string, description: string];

const pumpFamilies: Array<[string, string, string]> = [
  ['CP', 'Centrifugal pump', 'End-suction centrifugal pump for clean water and light chemicals'],
  ['SP', 'Submersible pump', 'Submersible drainage pump for pits and sumps'],
  ['DP', 'Diaphragm dosing pump', 'Metering pump for chemical dosing'],
  ['GP', 'Gear pump', 'Positive-displacement gear pump for oils and viscous fluids'],
  ['MP', 'Multistage pump', 'Vertical multistage pump for pressure boosting'],
];
const sizes: Array<[string, string]> = [
  ['050', 'DN50'],
  ['080', 'DN80'],
  ['100', 'DN100'],
  ['150', 'DN150'],
];
const parts: DemoItem[] = [
  ['SEAL-KIT-M', 'Mechanical seal kit', 'product', 'kit', 'Spare seal kit for CP and MP series'],
  ['IMP-BRZ-150', 'Bronze impeller 150 mm', 'product', 'unit', 'Replacement impeller, seawater grade'],
  ['CTRL-VFD-7', 'Variable-frequency drive 7.5 kW', 'product', 'unit', 'Drive with pump control firmware'],
  ['CTRL-PANEL', 'Pump control panel', 'product', 'unit', 'Duty/standby control panel, made to order'],
  ['SKID-BOOST', 'Booster skid assembly', 'product', 'unit', 'Pre-piped twin-pump booster skid'],
  ['BASE-FRAME', 'Galvanised base frame', 'product', 'unit', 'Fabricated base frame for CP series'],
];
const services: DemoItem[] = [
  ['SVC-INSTALL', 'Installation and commissioning', 'service', 'hour', 'On-site installation by certified fitters'],
  ['SVC-MAINT', 'Preventive maintenance contract', 'service', 'hour', 'Scheduled maintenance visits'],
  ['SVC-REPAIR', 'Workshop repair', 'service', 'hour', 'Repair and test in our workshop'],
  ['SVC-EMERG', 'Emergency call-out', 'service', 'hour', '24/7 emergency call-out'],
  ['SVC-AUDIT', 'Pump energy audit', 'service', 'hour', 'Site survey with an energy-saving report'],
  ['SVC-TRAIN', 'Operator training', 'service', 'hour', 'Training for the customer’s operators'],
  ['SVC-RENTAL', 'Pump rental', 'service', 'day', 'Temporary pumps during repairs'],
  ['SVC-DESIGN', 'System design consultancy', 'service', 'hour', 'Hydraulic design of pumping systems'],
];

export const demoItems: DemoItem[] = [
  ...pumpFamilies.flatMap(([prefix, family, description]) =>
    sizes.map(([size, label]): DemoItem => [`${prefix}-${size}`, `${family} ${label}`, 'product', 'unit', description]),
  ),
  ...parts,
  ...services,
];

/** Pumps by series, grows with the size; parts and services in a family each, at a flat price per unit or hour. */
function demoFamilyAndPrice(code: string, kind: PortfolioKind): { family: string; listPrice: number } {
  if (kind === 'service') return { family: 'Services', listPrice: 95 };
  const series = pumpFamilies.find(([prefix]) => code.startsWith(`${prefix}-`));
  if (!series) return { family: 'Parts and controls', listPrice: 420 };
  const size = Number(code.slice(series[0].length + 1));
  return { family: `${series[1]}s`, listPrice: Math.round(size * 18.5) };
}

/**
 * Loads the demo company unless its admin already has it, so restarting with
 * the demo flag never duplicates it. Returns whether it was loaded now.
 */
export async function loadDemo(now = new Date().toISOString()): Promise<boolean> {
  const [adminPerson, ...others] = demoPeople;
  if (!adminPerson) return false;
  const existing = await listWorkspacesOf(adminPerson.email);
  if (existing.some((workspace) => workspace.name === demoWorkspaceName)) return false;
  const admin: Caller = { sub: subjectOf(adminPerson.email), email: adminPerson.email, name: adminPerson.name };
  const workspace = await createWorkspace({ name: demoWorkspaceName, creator: admin, now });
  for (const person of others) {
    await addMember({ workspaceId: workspace.id, ...person }, admin, now);
  }
  const owners: Record<PortfolioKind, string> = { product: 'olga.ops@halden.example', service: 'omar.ops@halden.example' };
  const items = [];
  for (const [code, name, kind, unit, description] of demoItems) {
    const { family, listPrice } = demoFamilyAndPrice(code, kind);
    items.push(
      await createPortfolioItem(
        workspace.id,
        { code, name, kind, unit, description, owner: owners[kind], family, listPrice },
        admin,
        now,
      ),
    );
  }
  const cycles = await loadDemoThresholds(workspace.id, items, now);
  if (!cycles) return true;
  await loadDemoIssues({
    workspaceId: workspace.id,
    lastCycleId: cycles.lastCycleId,
    thisCycleId: cycles.thisCycleId,
    itemIdsByCode: new Map(items.map((item) => [item.code, item.id])),
    reporters: demoPeople.filter((person) => person.role === 'rep'),
    managers: demoPeople.filter((person) => person.role === 'manager'),
    now,
  });
  await loadDemoMeetings(workspace.id, cycles.thisCycleId, admin, now);
  return true;
}

const person = (email: string): Caller => {
  const found = demoPeople.find((candidate) => candidate.email === email);
  // The sub the local sign-in gives this email: signatures compare people by `sub`, and the demo people sign in locally.
  return { sub: subjectOf(email), email, name: found?.name ?? email };
};

/**
 * The demo's planning history: last year's cycle closed, this year's in
 * planning with every item agreed by sales and operations, a few items with
 * a newer version waiting for sign-off, and some commitments already made,
 * one of them on a "beyond" answer, which logs a lead-time occurrence.
 */
async function loadDemoThresholds(
  workspaceId: string,
  items: Array<{ id: string; code: string; kind: PortfolioKind }>,
  now: string,
) {
  const year = Number(now.slice(0, 4));
  const sales = person('sam.sales@halden.example');
  const ops = person('olga.ops@halden.example');
  const salesMember = await getMember(workspaceId, sales.email);
  const opsMember = await getMember(workspaceId, ops.email);
  if (!salesMember || !opsMember) return undefined;
  const lastCycle = await createCycle(
    workspaceId,
    { name: `FY${year - 1} budget`, startDate: `${year - 1}-01-01`, endDate: `${year - 1}-12-31`, holidays: [] },
    sales,
    now,
  );
  for (const [index, to] of (['planning', 'agreed', 'closed'] as const).entries()) {
    await changeCycleState({ workspaceId, cycleId: lastCycle.id, to, expectedVersion: index + 1 }, sales, now);
  }
  const holidays = [`${year}-12-24`, `${year}-12-25`, `${year}-12-26`, `${year}-12-31`, `${year + 1}-01-01`];
  const cycle = await createCycle(
    workspaceId,
    { name: `FY${year} budget`, startDate: `${year}-01-01`, endDate: `${year}-12-31`, holidays },
    sales,
    now,
  );
  await changeCycleState({ workspaceId, cycleId: cycle.id, to: 'planning', expectedVersion: 1 }, sales, now);
  for (const [index, item] of items.entries()) {
    const terms = demoTerms(item.code, item.kind, index);
    const input = { workspaceId, cycleId: cycle.id, itemId: item.id };
    await saveThreshold({ ...input, terms, expectedVersion: null }, ops, now);
    await signOffThreshold({ ...input, version: 1 }, signerOf(salesMember, sales), now);
    await signOffThreshold({ ...input, version: 1 }, signerOf(opsMember, ops), now);
    // A few items have a proposal on the table for the next meeting.
    if (index % 7 === 3) {
      const proposal = {
        ...terms,
        capacityPerWeek: Math.round(terms.capacityPerWeek * 1.25),
        notes: 'Second shift from next quarter',
      };
      await saveThreshold({ ...input, terms: proposal, expectedVersion: 1 }, ops, now);
    }
  }
  const today = now.slice(0, 10);
  const rep = person('rita.rep@halden.example');
  const orders: Array<[string, string, number, number]> = [
    ['CP-080', 'Nordwasser AG, quote 2291', 30, 20],
    ['CP-080', 'Fjordkraft service depot', 25, 25],
    ['SVC-INSTALL', 'Nordwasser AG, quote 2291', 90, 10],
    ['MP-100', 'City of Drammen booster station', 60, 30],
  ];
  for (const [code, reference, quantity, days] of orders) {
    const item = items.find((candidate) => candidate.code === code);
    if (!item) continue;
    const deliveryDate = addWorkingDays(today, days, holidays);
    await recordCommitment({ workspaceId, itemId: item.id, reference, quantity, deliveryDate }, rep, now);
  }
  // A rush order promised in 3 working days, far below the flex lead time: a lead-time misalignment.
  const rushed = items.find((candidate) => candidate.code === 'CP-150');
  if (rushed) {
    await recordCommitment(
      {
        workspaceId,
        itemId: rushed.id,
        reference: 'Bergen Vann, emergency replacement',
        quantity: 5,
        deliveryDate: addWorkingDays(today, 3, holidays),
      },
      rep,
      now,
    );
  }
  return { lastCycleId: lastCycle.id, thisCycleId: cycle.id };
}

const day = 86_400_000;
const at = (now: string, days: number, hour: number) => {
  const date = new Date(Date.parse(now) + days * day);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
};

/**
 * The budget cycle's meetings: last month's budget-planning meeting, closed,
 * with its attendance, decisions and actions (one still open), and next
 * month's review, prepared as a draft, whose backlog proposes that open action.
 */
async function loadDemoMeetings(workspaceId: string, cycleId: string, caller: Caller, now: string) {
  const admin: Actor & Caller = { ...caller, role: 'admin' };
  const past = await createMeeting(
    workspaceId,
    {
      cycleId,
      title: 'FY2027 budget planning',
      meetingType: 'budgetPlanning',
      startsAt: at(now, -21, 9),
      durationMinutes: 120,
      location: 'Boardroom, Halden works',
      invited: ['sam.sales@halden.example', 'olga.ops@halden.example', 'felix.finance@halden.example'],
    },
    admin,
    now,
  );
  const entry = (title: string, durationMinutes: number, presenter: string | null, kind: 'item' | 'section' = 'item') =>
    addAgendaEntry(
      workspaceId,
      past.id,
      { kind, title, durationMinutes, presenter, notes: '', links: {}, source: { kind: 'manual' } },
      admin,
      now,
    );
  await entry('Operating thresholds', 0, null, 'section');
  const leadTimes = await entry('Lead times of the CP series', 30, 'olga.ops@halden.example');
  const capacity = await entry('Installation capacity in peak season', 25, 'omar.ops@halden.example');
  await entry('Misalignments', 0, null, 'section');
  const quoting = await entry('Quotes promising made-to-order panels from stock', 30, 'sam.sales@halden.example');
  let version = 1;
  for (const to of ['open', 'inProgress'] as const) {
    version = (await changeMeetingState(workspaceId, past.id, to, version, admin, now)).version;
  }
  for (const email of [
    'ingrid.admin@halden.example',
    'sam.sales@halden.example',
    'olga.ops@halden.example',
    'felix.finance@halden.example',
  ]) {
    await markAttendance(workspaceId, past.id, email, { present: true }, admin, now);
  }
  await writeOutcome(
    workspaceId,
    past.id,
    { kind: 'information', agendaItemId: leadTimes.id, text: 'Machining runs at 92% load; CP-150 castings take 5 weeks' },
    admin,
    now,
  );
  await writeOutcome(
    workspaceId,
    past.id,
    {
      kind: 'decision',
      agendaItemId: leadTimes.id,
      text: 'Quote 6 weeks for CP-100 and CP-150 until the second shift starts',
      links: {},
      effects: [],
    },
    admin,
    now,
  );
  await writeOutcome(
    workspaceId,
    past.id,
    {
      kind: 'decision',
      agendaItemId: quoting.id,
      text: 'Control panels are always made to order: 4 weeks minimum',
      links: {},
      effects: [],
    },
    admin,
    now,
  );
  const done = await writeOutcome(
    workspaceId,
    past.id,
    {
      kind: 'action',
      agendaItemId: capacity.id,
      text: 'Book two extra fitters for June and July',
      owner: 'olga.ops@halden.example',
      dueDate: at(now, -7, 0).slice(0, 10),
    },
    admin,
    now,
  );
  await writeOutcome(
    workspaceId,
    past.id,
    {
      kind: 'action',
      agendaItemId: quoting.id,
      text: 'Brief all reps on made-to-order lead times',
      owner: 'sam.sales@halden.example',
      dueDate: at(now, 10, 0).slice(0, 10),
    },
    admin,
    now,
  );
  await updateActionStatus(workspaceId, past.id, done.id, { status: 'done', expectedVersion: 1 }, admin, now);
  await changeMeetingState(workspaceId, past.id, 'closed', version, admin, now);

  const upcoming = await createMeeting(
    workspaceId,
    {
      cycleId,
      title: 'Monthly S&OP review',
      meetingType: 'monthlyReview',
      startsAt: at(now, 9, 13),
      durationMinutes: 60,
      location: 'Video call',
      invited: ['sam.sales@halden.example', 'olga.ops@halden.example', 'mia.marketing@halden.example'],
    },
    admin,
    now,
  );
  await addAgendaEntry(
    workspaceId,
    upcoming.id,
    {
      kind: 'item',
      title: 'Order intake against plan',
      durationMinutes: 15,
      presenter: 'sam.sales@halden.example',
      notes: '',
      links: {},
      source: { kind: 'manual' },
    },
    admin,
    now,
  );
}

import { randomUUID } from 'node:crypto';
import type { MemberFunction, MemberRole } from '../../functions/domain/members';
import type { PortfolioKind } from '../../functions/domain/portfolio';
import type { Caller } from '../../functions/domain/views';
import { moveMeeting, recordOutcome, updateActionStatus } from '../../functions/store/meeting-outcomes';
import { type Actor, addAgendaEntry, createMeeting, markAttendance } from '../../functions/store/meetings';
import { createPortfolioItem } from '../../functions/store/portfolio';
import { addMember, createWorkspace, listWorkspacesOf } from '../../functions/store/workspaces';

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

/**
 * Loads the demo company unless its admin already has it, so restarting with
 * the demo flag never duplicates it. Returns whether it was loaded now.
 */
export async function loadDemo(now = new Date().toISOString()): Promise<boolean> {
  const [adminPerson, ...others] = demoPeople;
  if (!adminPerson) return false;
  const existing = await listWorkspacesOf(adminPerson.email);
  if (existing.some((workspace) => workspace.name === demoWorkspaceName)) return false;
  const admin: Caller = { sub: 'demo', email: adminPerson.email, name: adminPerson.name };
  const workspace = await createWorkspace({ name: demoWorkspaceName, creator: admin, now });
  for (const person of others) {
    await addMember({ workspaceId: workspace.id, ...person }, admin, now);
  }
  const owners: Record<PortfolioKind, string> = { product: 'olga.ops@halden.example', service: 'omar.ops@halden.example' };
  for (const [code, name, kind, unit, description] of demoItems) {
    await createPortfolioItem(workspace.id, { code, name, kind, unit, description, owner: owners[kind] }, admin, now);
  }
  await loadDemoMeetings(workspace.id, admin, now);
  return true;
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
async function loadDemoMeetings(workspaceId: string, caller: Caller, now: string) {
  const admin: Actor & Caller = { ...caller, role: 'admin' };
  const cycleId = randomUUID();
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
    version = (await moveMeeting(workspaceId, past.id, to, version, admin, now)).version;
  }
  for (const email of [
    'ingrid.admin@halden.example',
    'sam.sales@halden.example',
    'olga.ops@halden.example',
    'felix.finance@halden.example',
  ]) {
    await markAttendance(workspaceId, past.id, email, { present: true }, admin, now);
  }
  await recordOutcome(
    workspaceId,
    past.id,
    { kind: 'information', agendaItemId: leadTimes.id, text: 'Machining runs at 92% load; CP-150 castings take 5 weeks' },
    admin,
    now,
  );
  await recordOutcome(
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
  await recordOutcome(
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
  const done = await recordOutcome(
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
  await recordOutcome(
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
  await moveMeeting(workspaceId, past.id, 'closed', version, admin, now);

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

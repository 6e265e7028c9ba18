import type { MemberFunction, MemberRole } from '../../functions/domain/members';
import type { PortfolioKind } from '../../functions/domain/portfolio';
import type { Caller } from '../../functions/domain/views';
import { createPortfolioItem } from '../../functions/store/portfolio';
import { addMember, createWorkspace, listWorkspacesOf } from '../../functions/store/workspaces';
import { loadDemoIssues } from './demo-issues';

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
  const itemIdsByCode = new Map<string, string>();
  for (const [code, name, kind, unit, description] of demoItems) {
    const item = await createPortfolioItem(
      workspace.id,
      { code, name, kind, unit, description, owner: owners[kind] },
      admin,
      now,
    );
    itemIdsByCode.set(item.code, item.id);
  }
  await loadDemoIssues({
    workspaceId: workspace.id,
    itemIdsByCode,
    reporters: demoPeople.filter((person) => person.role === 'rep'),
    managers: demoPeople.filter((person) => person.role === 'manager'),
    now,
  });
  return true;
}

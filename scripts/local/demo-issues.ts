import type { CostBreakdown, DetectionStage, IssueCategory, IssueStatus } from '#contract/misalignment/misalignment';
import type { Caller } from '#contract/views';
import type { MemberFunction } from '#contract/workspaces/members';
import { createIssue, logOccurrence, updateIssue } from '#functions/misalignment/misalignment';
import { castVotes, freezeRanking } from '#functions/misalignment/ranking';

type Person = Pick<Caller, 'email' | 'name'>;

interface DemoIssue {
  title: string;
  category: IssueCategory;
  description: string;
  items: string[];
  functions: MemberFunction[];
  owner: string;
  /** Occurrences: days ago, customer or deal, where detected, cost. */
  occurrences: Array<[daysAgo: number, reference: string, detectedAt: DetectionStage, cost: Partial<CostBreakdown>]>;
  /** Occurrences logged after last cycle's ranking was frozen. */
  later?: DemoIssue['occurrences'];
  status?: IssueStatus;
}

/** The seed article's typical misalignments, as a pump maker would have logged them over a year. */
const demoIssues: DemoIssue[] = [
  {
    title: 'Lead times promised beyond capacity on control panels',
    category: 'lead time',
    description: 'Reps quote 2 weeks for made-to-order panels; the workshop needs 5 in the spring peak.',
    items: ['CTRL-PANEL'],
    functions: ['sales', 'operations'],
    owner: 'olga.ops@halden.example',
    occurrences: [
      [300, 'Nordvann Utilities, order 4471', 'production', { 'extra resources': 4200, 'expedite fees': 1800 }],
      [250, 'Kestrel Foods, order 4602', 'delivery', { 'expedite fees': 2600, 'delayed production': 3100 }],
      [190, 'Port of Aalborg tender', 'production', { 'extra resources': 3800 }],
      [150, 'Brightwater Estates', 'customer complaint', { 'expedite fees': 5400, other: 900 }],
    ],
    later: [
      [40, 'Nordvann Utilities, order 5120', 'production', { 'extra resources': 5100, 'expedite fees': 2200 }],
      [12, 'Holm Dairy', 'delivery', { 'expedite fees': 3300, 'delayed production': 2400 }],
    ],
  },
  {
    title: 'Installation scope sold differently from what fitters deliver',
    category: 'scope',
    description: 'Contracts say "installation"; customers expect commissioning and operator training included.',
    items: ['SVC-INSTALL', 'SVC-TRAIN'],
    functions: ['sales', 'operations'],
    owner: 'sam.sales@halden.example',
    occurrences: [
      [280, 'Vestby Water Board', 'customer complaint', { 'extra resources': 6200 }],
      [200, 'Kestrel Foods', 'delivery', { 'extra resources': 3900, other: 450 }],
      [95, 'Greenfield Hospital', 'customer complaint', { 'extra resources': 7400 }],
    ],
    later: [[20, 'Lund Paper Mill', 'customer complaint', { 'extra resources': 8100, other: 600 }]],
  },
  {
    title: 'Quota pushes centrifugal pumps where multistage was needed',
    category: 'quota/incentive',
    description: 'Quarter-end quotas on the CP series led reps to sell CP pumps to customers needing pressure boosting.',
    items: ['CP-080', 'CP-100', 'MP-080'],
    functions: ['sales', 'finance'],
    owner: 'felix.finance@halden.example',
    occurrences: [
      [170, 'Solberg Apartments', 'customer complaint', { 'setup change': 2100, other: 4800 }],
      [80, 'Riverside Hotel', 'delivery', { 'setup change': 1900, 'extra resources': 1200 }],
    ],
  },
  {
    title: 'Seal kit lead time unknown to the service desk',
    category: 'information system',
    description: 'The ERP shows seal kits as in stock while they are allocated to maintenance contracts.',
    items: ['SEAL-KIT-M', 'SVC-MAINT'],
    functions: ['operations', 'sales'],
    owner: 'omar.ops@halden.example',
    occurrences: [
      [220, 'Maintenance round, Vestby', 'order entry', { 'expedite fees': 350 }],
      [160, 'Maintenance round, Lund', 'order entry', { 'expedite fees': 420 }],
      [110, 'Emergency call-out, Holm Dairy', 'production', { 'expedite fees': 980, 'extra resources': 300 }],
      [60, 'Maintenance round, Solberg', 'order entry', { 'expedite fees': 380 }],
    ],
    later: [[8, 'Maintenance round, Riverside', 'order entry', { 'expedite fees': 410 }]],
  },
  {
    title: 'Booster skid setup changes squeezed between regular runs',
    category: 'parameter misunderstanding',
    description: 'Sales treats skid assemblies as standard; each one needs a line setup that delays the regular MP series.',
    items: ['SKID-BOOST', 'MP-100'],
    functions: ['operations', 'sales', 'management'],
    owner: 'olga.ops@halden.example',
    occurrences: [
      [130, 'Greenfield Hospital', 'production', { 'setup change': 5200, 'delayed production': 7800 }],
      [70, 'Port of Aalborg', 'production', { 'setup change': 4900, 'delayed production': 6100 }],
    ],
  },
  {
    title: 'Handover of special conditions lost between sales and planning',
    category: 'communication',
    description: 'Agreed delivery windows and site access rules stay in the rep’s email.',
    items: [],
    functions: ['sales', 'operations'],
    owner: 'mia.marketing@halden.example',
    occurrences: [
      [210, 'Kestrel Foods', 'delivery', { other: 650 }],
      [45, 'Solberg Apartments', 'delivery', { 'extra resources': 900 }],
    ],
  },
  {
    title: 'New reps unsure what the flex band allows',
    category: 'training',
    description: 'Reps either refuse orders operations could take, or promise beyond the band.',
    items: [],
    functions: ['sales'],
    owner: 'sam.sales@halden.example',
    occurrences: [[100, 'Holm Dairy', 'quoting', { other: 250 }]],
    status: 'resolved',
  },
];

const daysAgo = (now: string, days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString().slice(0, 10);
/** Occurrences are logged on the day they happened, as they would have been. */
const loggedOn = (now: string, days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();

/**
 * Costed misalignment issues for the demo company, last cycle's ranking
 * frozen before the latest occurrences came in (so this cycle has something
 * to compare with), and a few of this cycle's votes.
 */
export async function loadDemoIssues(input: {
  workspaceId: string;
  /** Last year's budget cycle (closed): the issues were raised in it and its ranking was frozen. */
  lastCycleId: string;
  /** This year's budget cycle (planning): the votes are cast in it. */
  thisCycleId: string;
  itemIdsByCode: Map<string, string>;
  reporters: Person[];
  managers: Person[];
  now: string;
}): Promise<void> {
  const { workspaceId, now } = input;
  const lastCycle = input.lastCycleId;
  const thisCycle = input.thisCycleId;
  const created: Array<{ id: string; demo: DemoIssue; version: number }> = [];
  const reporter = (index: number) => input.reporters[index % input.reporters.length] ?? input.managers[0];
  for (const demo of demoIssues) {
    const manager = input.managers.find((person) => person.email === demo.owner) ?? input.managers[0];
    if (!manager) continue;
    const issue = await createIssue(
      workspaceId,
      {
        title: demo.title,
        description: demo.description,
        category: demo.category,
        itemIds: demo.items.flatMap((code) => input.itemIdsByCode.get(code) ?? []),
        functions: demo.functions,
        owner: demo.owner,
        cycleId: lastCycle,
        meetingIds: [],
        thresholdVersionIds: [],
        currency: 'EUR',
      },
      manager,
      now,
    );
    for (const [index, [days, reference, detectedAt, cost]] of demo.occurrences.entries()) {
      const by = reporter(index);
      if (!by) continue;
      await logOccurrence(
        workspaceId,
        issue.id,
        { occurredOn: daysAgo(now, days), reference, detectedAt, cost, currency: 'EUR', notes: '' },
        by,
        loggedOn(now, days),
      );
    }
    created.push({ id: issue.id, demo, version: issue.version });
  }

  const [first, second] = input.managers;
  if (first) {
    await freezeRanking({
      workspaceId,
      cycleId: lastCycle,
      note: 'Agreed in the budget meeting',
      meetingId: null,
      actor: first,
      now,
    });
  }
  for (const { id, demo, version } of created) {
    for (const [index, [days, reference, detectedAt, cost]] of (demo.later ?? []).entries()) {
      const by = reporter(index + 1);
      if (!by) continue;
      await logOccurrence(
        workspaceId,
        id,
        { occurredOn: daysAgo(now, days), reference, detectedAt, cost, currency: 'EUR', notes: '' },
        by,
        loggedOn(now, days),
      );
    }
    if (demo.status && first) await updateIssue(workspaceId, id, { status: demo.status }, version, first, now);
  }
  const open = created.filter(({ demo }) => !demo.status);
  const votesOf = (person: Person | undefined, picks: Array<[number, number]>) =>
    person
      ? castVotes({
          workspaceId,
          cycleId: thisCycle,
          allocations: picks.flatMap(([index, votes]) => (open[index] ? [{ issueId: open[index].id, votes }] : [])),
          expectedVersion: 0,
          actor: person,
          now,
        })
      : undefined;
  await votesOf(first, [
    [0, 5],
    [1, 3],
    [4, 2],
  ]);
  await votesOf(second, [
    [1, 6],
    [2, 4],
  ]);
}

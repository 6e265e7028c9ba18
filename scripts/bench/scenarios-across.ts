import { agreedItem, type BenchTeam, ok, type Scenario } from './scenario-kit';

/** The commitments list across items and unserved demand. */
export function acrossScenarios(): Record<string, Scenario> {
  // Unserved demand needs no item of its own: one agreed item per team serves every scenario.
  const agreed = new WeakMap<BenchTeam, Promise<{ itemId: string; version: number }>>();
  const lostOn = (t: BenchTeam) => {
    const known = agreed.get(t);
    if (known) return known;
    const made = agreedItem(t).then(async ({ itemId }) => {
      const item = await ok(t.rep.get(`${t.w}/catalogue/${itemId}`), 'catalogue item');
      return { itemId, version: item.agreed.version as number };
    });
    agreed.set(t, made);
    return made;
  };
  const lost = async (t: BenchTeam) => {
    const { itemId, version } = await lostOn(t);
    const demand = await ok(
      t.rep.post(`${t.w}/catalogue/${itemId}/unserved-demand`, {
        quantity: 900,
        requestedDate: '2027-03-01',
        customer: 'Fjord Water',
        thresholdVersion: version,
      }),
      'record unserved demand',
    );
    return { itemId, demand };
  };
  return {
    listWorkspaceCommitments: async (t) => {
      const { itemId } = await agreedItem(t);
      for (const reference of ['SO-10', 'SO-11']) {
        await ok(
          t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference, quantity: 5, deliveryDate: '2027-06-01' }),
          'commit',
        );
      }
      return {
        who: t.rep,
        method: 'GET',
        path: `${t.w}/commitments?from=2027-01-01&to=2027-12-31&state=approved&rep=mine&band=standard&q=so-1&limit=50`,
      };
    },
    exportWorkspaceCommitments: async (t) => ({
      who: t.sales,
      method: 'GET',
      path: `${t.w}/exports/commitments?from=2027-01-01&to=2027-12-31&state=approved`,
    }),
    recordUnservedDemand: async (t) => {
      const { itemId, version } = await lostOn(t);
      return {
        who: t.rep,
        method: 'POST',
        path: `${t.w}/catalogue/${itemId}/unserved-demand`,
        body: { quantity: 900, requestedDate: '2027-03-01', customer: 'Fjord Water', thresholdVersion: version },
      };
    },
    listUnservedDemand: async (t) => {
      const { itemId, demand } = await lost(t);
      return { who: t.rep, method: 'GET', path: `${t.w}/catalogue/${itemId}/unserved-demand?cycleId=${demand.cycleId}` };
    },
    correctUnservedDemand: async (t) => {
      const { itemId, demand } = await lost(t);
      return {
        who: t.rep,
        method: 'PATCH',
        path: `${t.w}/catalogue/${itemId}/unserved-demand/${demand.id}`,
        body: { expectedVersion: demand.version, quantity: 950 },
      };
    },
    removeUnservedDemand: async (t) => {
      const { itemId, demand } = await lost(t);
      return {
        who: t.sales,
        method: 'DELETE',
        path: `${t.w}/catalogue/${itemId}/unserved-demand/${demand.id}?expectedVersion=${demand.version}`,
      };
    },
    listCycleUnservedDemand: async (t) => {
      const { demand } = await lost(t);
      return { who: t.sales, method: 'GET', path: `${t.w}/cycles/${demand.cycleId}/unserved-demand` };
    },
  };
}

import { agreedItem, type BenchTeam, ok, type Scenario } from './scenario-kit';

/** A 20-line order over four items with agreed thresholds, each line a few weeks ahead. */
async function twentyLines(t: BenchTeam) {
  const items: Array<{ itemId: string }> = [];
  for (let count = 0; count < 4; count += 1) items.push(await agreedItem(t));
  const { itemId } = items[0] ?? (await agreedItem(t));
  const check = await ok(t.rep.get(`${t.w}/catalogue/${itemId}/promise-check?quantity=1&leadTimeDays=15`), 'check');
  const lines = Array.from({ length: 20 }, (_, index) => ({ itemId: items[index % items.length]?.itemId, quantity: 2 }));
  return { date: check.deliveryDate as string, lines };
}

/** A rep's flex commitment awaiting approval, on an item of its own: more than the normal capacity free up to its date. */
export async function awaitingCommitment(t: BenchTeam) {
  const { itemId } = await agreedItem(t);
  const check = await ok(t.rep.get(`${t.w}/catalogue/${itemId}/promise-check?quantity=1&date=2027-06-01`), 'check');
  const { commitment } = await ok(
    t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, {
      reference: 'SO-flex',
      quantity: check.window.freeStandard + 5,
      deliveryDate: '2027-06-01',
    }),
    'commit flex',
  );
  if (commitment.status !== 'awaiting approval') throw new Error(`expected a commitment awaiting approval: ${commitment.status}`);
  return { itemId, commitment, path: `${t.w}/catalogue/${itemId}/commitments/${commitment.id}` };
}

export function catalogueScenarios(): Record<string, Scenario> {
  return {
    listCatalogue: async (t) => {
      await agreedItem(t);
      return { who: t.rep, method: 'GET', path: `${t.w}/catalogue` };
    },
    getCatalogueItem: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/catalogue/${(await agreedItem(t)).itemId}` }),
    promiseCheck: async (t) => ({
      who: t.rep,
      method: 'GET',
      path: `${t.w}/catalogue/${(await agreedItem(t)).itemId}/promise-check?quantity=10&leadTimeDays=15`,
    }),
    listCommitments: async (t) => {
      const { itemId } = await agreedItem(t);
      await ok(
        t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference: 'SO-1', quantity: 5, deliveryDate: '2027-06-01' }),
        'commit',
      );
      return { who: t.rep, method: 'GET', path: `${t.w}/catalogue/${itemId}/commitments` };
    },
    recordCommitment: async (t) => ({
      who: t.rep,
      method: 'POST',
      path: `${t.w}/catalogue/${(await agreedItem(t)).itemId}/commitments`,
      body: { reference: 'SO-2', quantity: 5, deliveryDate: '2027-06-01' },
    }),
    cancelCommitment: async (t) => {
      const { itemId } = await agreedItem(t);
      // A commitment is cancelled once: each round cancels one recorded for it.
      const cancellable = async () => {
        const { commitment } = await ok(
          t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference: 'SO-3', quantity: 5, deliveryDate: '2027-06-01' }),
          'commit',
        );
        return {
          path: `${t.w}/catalogue/${itemId}/commitments/${commitment.id}/cancel`,
          body: { expectedVersion: commitment.version },
        };
      };
      return { who: t.rep, method: 'POST', ...(await cancellable()), callOfRound: cancellable };
    },
    approveCommitment: async (t) => {
      const { commitment, path } = await awaitingCommitment(t);
      return { who: t.ops, method: 'POST', path: `${path}/approve`, body: { expectedVersion: commitment.version } };
    },
    declineCommitment: async (t) => {
      const { commitment, path } = await awaitingCommitment(t);
      return {
        who: t.ops,
        method: 'POST',
        path: `${path}/decline`,
        body: { reason: 'No overtime that week', expectedVersion: commitment.version },
      };
    },
    getCommitmentImpact: async (t) => ({ who: t.ops, method: 'GET', path: `${(await awaitingCommitment(t)).path}/impact` }),
    listCommitmentApprovals: async (t) => {
      await awaitingCommitment(t);
      return { who: t.ops, method: 'GET', path: `${t.w}/approvals?show=awaiting` };
    },
    checkOrder: async (t) => ({
      who: t.rep,
      method: 'POST',
      path: `${t.w}/orders/check`,
      body: await twentyLines(t),
      note: 'an order of 20 lines over 4 items',
    }),
    recordOrder: async (t) => ({
      who: t.rep,
      method: 'POST',
      path: `${t.w}/orders`,
      body: { reference: 'SO-order', customer: 'Nordwasser AS', ...(await twentyLines(t)) },
    }),
  };
}

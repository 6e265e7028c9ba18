import { agreedItem, ok, type Scenario } from './scenario-kit';

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
      const recorded = await ok(
        t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference: 'SO-3', quantity: 5, deliveryDate: '2027-06-01' }),
        'commit',
      );
      const { commitment } = recorded;
      return {
        who: t.rep,
        method: 'POST',
        path: `${t.w}/catalogue/${itemId}/commitments/${commitment.id}/cancel`,
        body: { expectedVersion: commitment.version },
      };
    },
  };
}

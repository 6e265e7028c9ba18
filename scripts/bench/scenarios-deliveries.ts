import { agreedItem, type BenchTeam, ok, type Scenario } from './scenario-kit';

const today = () => new Date().toISOString().slice(0, 10);

/** A commitment the rep recorded, with the reference an ERP would send deliveries for. */
async function recorded(t: BenchTeam, reference: string) {
  const { itemId } = await agreedItem(t);
  const { commitment } = await ok(
    t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference, quantity: 5, deliveryDate: '2027-06-01' }),
    'commit',
  );
  return { itemId, commitmentId: commitment.id as string };
}

export function deliveryScenarios(): Record<string, Scenario> {
  return {
    // Over-delivery allowed, so every round of the bench records one more unit.
    recordDelivery: async (t) => {
      const { itemId, commitmentId } = await recorded(t, `SO-D-${Date.now()}`);
      return {
        who: t.ops,
        method: 'POST',
        path: `${t.w}/catalogue/${itemId}/commitments/${commitmentId}/deliveries`,
        body: { date: today(), quantity: 1, allowOverDelivery: true },
      };
    },
    // The same file again in later rounds answers "already applied" for its row.
    importDeliveries: async (t) => {
      const reference = `SO-I-${Date.now()}`;
      await recorded(t, reference);
      return {
        who: t.ops,
        method: 'POST',
        path: `${t.w}/deliveries/import`,
        body: { csv: `reference,delivery,date,quantity\r\n${reference},D-1,${today()},2\r\n` },
      };
    },
    getPromiseKeptRate: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/promise-kept-rate` }),
  };
}

import { ok, type Scenario } from './scenario-kit';

/** The integration routes: workspace API keys and the OpenAPI document. */
export function integrationScenarios(): Record<string, Scenario> {
  const newKey = { name: 'Bench CRM', routes: ['promiseCheck', 'recordCommitment'] };
  return {
    getOpenApiDocument: async (t) => ({ who: t.rep, method: 'GET', path: '/openapi.json' }),
    createApiKey: async (t) => ({ who: t.admin, method: 'POST', path: `${t.w}/api-keys`, body: newKey }),
    listApiKeys: async (t) => {
      await ok(t.admin.post(`${t.w}/api-keys`, newKey), 'create key');
      return { who: t.admin, method: 'GET', path: `${t.w}/api-keys` };
    },
    revokeApiKey: async (t) => {
      const created = await ok(t.admin.post(`${t.w}/api-keys`, newKey), 'create key');
      return { who: t.admin, method: 'POST', path: `${t.w}/api-keys/${created.key.id}/revoke` };
    },
  };
}

import {
  agree,
  planningTeam as buildPlanningTeam,
  createCycle,
  createItem,
  type SignIn,
  type Team,
} from '#scripts/fixtures/planning';
import { pumpTerms } from '#scripts/fixtures/terms';
import { type Person, signInAs, type TestApi, uniqueEmail } from './api';

export { agree, createCycle, createItem, pumpTerms };

/** A workspace with the people a planning meeting needs, each with their function and role. */
export type PlanningTeam = Team<Person>;

/** How the shared fixtures sign people in through the local server. */
export const peopleOf = (api: TestApi): SignIn<Person> => ({
  person: (label) => api.person(label),
  signIn: (email, label) => signInAs(api, email, label),
  uniqueEmail,
});

/**
 * Each member makes a first request on joining: it binds their membership to
 * their identity (one write, once), so what a test measures of a later
 * request (its round trips, its requests) is that request's own.
 */
export function planningTeam(api: TestApi, name = 'Planning Co'): Promise<PlanningTeam> {
  return buildPlanningTeam(peopleOf(api), name, {
    onJoined: async (person, workspaceId) => {
      const seen = await person.call('getWorkspace', { params: { workspaceId } });
      if (seen.status !== 200) throw new Error(`a new member could not read the workspace: ${seen.status}`);
    },
  });
}

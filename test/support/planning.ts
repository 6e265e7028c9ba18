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

export function planningTeam(api: TestApi, name = 'Planning Co'): Promise<PlanningTeam> {
  return buildPlanningTeam(peopleOf(api), name);
}

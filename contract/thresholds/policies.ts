import type { PortfolioItem } from '#contract/portfolio/portfolio';
import type { Refusal } from '#contract/refusal';
import { type BudgetCycle, type CycleState, cycleTransitionRefusal, thresholdsEditable } from './cycles';
import {
  isSignOffFunction,
  isSignOffRole,
  type SignerIdentity,
  samePerson,
  signOffFunctions,
  type ThresholdHead,
} from './thresholds';

/*
 * Row-level rules of budget cycles and thresholds: who may change which
 * record, given the record as it is now. Each answers a refusal or null; the
 * services apply them to what they read, so a rule reads the same from a
 * route, a meeting decision or a test.
 */

const conflict = (reason: string, details?: unknown): Refusal => ({ kind: 'conflict', reason, details });

/** Thresholds change only while their cycle is planned: agreed and closed cycles are read-only. */
export function frozenCycleRefusal(cycle: Pick<BudgetCycle, 'state'>): Refusal | null {
  return thresholdsEditable(cycle.state) ? null : conflict(`The cycle is ${cycle.state}: its thresholds can no longer change`);
}

/**
 * Why an edit based on `expected` (null: before the first version) no longer
 * fits `current`: a sign-off landed on the very version, or a newer version
 * or the first one was saved meanwhile. Carries the current head.
 */
export function staleEditRefusal(expected: number | null, current: ThresholdHead | undefined): Refusal {
  if (current && current.version === expected) {
    return conflict(`Version ${expected} was signed off while you edited it; review the sign-offs and save again`, {
      current,
    });
  }
  const now = current ? `it is now version ${current.version}` : 'it has no version yet';
  return conflict(`The threshold changed since ${expected === null ? 'you opened it' : `version ${expected}`}; ${now}`, {
    current: current ?? null,
  });
}

/**
 * Why a new version of an item's threshold may not be saved: the cycle is
 * frozen, the item archived, or the edit is based on a version that is no
 * longer the latest.
 */
export function thresholdEditRefusal(input: {
  cycle: Pick<BudgetCycle, 'state'>;
  item: Pick<PortfolioItem, 'code' | 'archived'>;
  head: ThresholdHead | undefined;
  expectedVersion: number | null;
}): Refusal | null {
  const frozen = frozenCycleRefusal(input.cycle);
  if (frozen) return frozen;
  if (input.item.archived) return conflict(`${input.item.code} is archived; bring it back before setting its threshold`);
  if ((input.head?.version ?? null) !== input.expectedVersion) return staleEditRefusal(input.expectedVersion, input.head);
  return null;
}

/**
 * Whether `version` is one a signature can still go to: it exists, it is the
 * latest, and it is not agreed yet. A meeting decision proposing a sign-off
 * is held to this too.
 */
export function signableVersionRefusal(head: Pick<ThresholdHead, 'version' | 'agreed'>, version: number): Refusal | null {
  if (!Number.isInteger(version) || version < 1 || version > head.version) {
    return { kind: 'not-found', reason: `Version ${version} does not exist; the latest is version ${head.version}` };
  }
  if (version !== head.version) {
    return conflict(`Version ${version} was superseded by version ${head.version}; sign the latest version`, {
      current: head,
    });
  }
  if (head.agreed?.version === version) return conflict(`Version ${version} is already agreed`);
  return null;
}

/**
 * Why this member may not sign `version` of a threshold, or null when they
 * may. Only managers and admins of sales or operations sign, only the latest
 * version, each function once per version, and each person once per version:
 * a person whose function changed after they signed cannot sign again for
 * the other function (docs: the signature rule). Conflicts carry the head.
 */
export function signOffRefusal(
  head: Pick<ThresholdHead, 'version' | 'signOffs' | 'agreed'>,
  version: number,
  signer: SignerIdentity,
): Refusal | null {
  if (!isSignOffRole(signer.role)) {
    return { kind: 'forbidden', reason: `Only managers and admins sign off thresholds; you are ${signer.role}` };
  }
  if (!isSignOffFunction(signer.function)) {
    return { kind: 'forbidden', reason: `Thresholds are signed off by sales and operations; you are in ${signer.function}` };
  }
  const unsignable = signableVersionRefusal(head, version);
  if (unsignable) return unsignable.kind === 'conflict' ? { ...unsignable, details: { current: head } } : unsignable;
  const own = head.signOffs.find((signOff) => samePerson(signOff, signer));
  if (own) {
    const other = signOffFunctions.find((fn) => fn !== own.function);
    return conflict(
      `You already signed version ${version} for ${own.function}; the ${other} sign-off must come from someone else`,
      { current: head },
    );
  }
  if (head.signOffs.some((signOff) => signOff.function === signer.function)) {
    return conflict(`Version ${version} already has the ${signer.function} sign-off`, { current: head });
  }
  return null;
}

/**
 * Why a cycle may not move to `to`: the move was based on another version of
 * the cycle, or skips or reverses a state. Carries the cycle as it is.
 */
export function cycleMoveRefusal(cycle: BudgetCycle, to: CycleState, expectedVersion: number): Refusal | null {
  if (cycle.version !== expectedVersion) {
    return conflict(`The cycle changed since version ${expectedVersion}; it is now version ${cycle.version}`, {
      current: cycle,
    });
  }
  const refusal = cycleTransitionRefusal(cycle.state, to);
  return refusal ? conflict(refusal, { current: cycle }) : null;
}

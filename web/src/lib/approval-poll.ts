/**
 * How often the item page asks for its commitments again while one of them
 * awaits approval, so the rep sees the decision within 2 s of it being given
 * (p95, measured in the bench's scale section). It polls only while
 * something awaits: a listCommitments call a second per open page, for the
 * minutes an approval takes (why polling: docs/decisions/0003).
 */
export const approvalPollMs = 1000;

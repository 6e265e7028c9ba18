import { signPage } from '#functions/backup/backup-signature';

/**
 * What a test needs of the API's own code that no route, table read or job
 * gives it. Kept to this one file so the list stays short and visible.
 */

/**
 * Seals records as one page of an export, with the deployment's key: the
 * restore fuzz needs hostile records that pass the seal, to reach the checks
 * behind it (an attacker without the key is refused at the seal already).
 */
export const sealPage = signPage;

/**
 * The header CloudFront sends and the environment variable the API compares
 * it with: the stack must wire the names the API's router reads.
 */
export { originVerifyEnv, originVerifyHeader } from '#functions/kernel/router';

/** The handlers that send mail: the stack grants these, and only these, the mail transport. */
export { mailingHandlers } from '#functions/mail/senders';

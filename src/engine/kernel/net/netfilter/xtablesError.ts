/**
 * The two ways an iptables command fails (libxtables' xtables_error and the kernel's answer): a
 * ParameterProblem is the command line's fault (exit 2, printed after "PROG vVERSION (VARIANT): " and
 * followed by "Try `PROG -h' …"), a VersionProblem the table's (exit 3, "Perhaps iptables or your kernel
 * needs to be upgraded."), and a RulesetError the rule set's: nft_strerror's text for what the kernel
 * refused ("No chain/target/match by that name"), printed "iptables: TEXT." with exit 1.
 *
 * Left out: RESOURCE_PROBLEM's uses other than the permission check (the commands word that one).
 */

/** xtables_exittype: OTHER_PROBLEM 1, PARAMETER_PROBLEM 2, VERSION_PROBLEM 3, RESOURCE_PROBLEM 4. */
export const XT_EXIT = { other: 1, parameter: 2, version: 3, resource: 4 } as const;

/** A usage error, in libxtables' words (a message may end in "\n", as "Couldn't load match" does). */
export class ParameterProblem extends Error {
  readonly status: number = XT_EXIT.parameter;
}

/** A table that does not exist. */
export class VersionProblem extends Error {
  readonly status: number = XT_EXIT.version;
}

/** The rule set refused a change; `message` is nft_strerror's text without the final period. */
export class RulesetError extends Error {
  readonly status: number = XT_EXIT.other;
}

/** nft_strerror's texts. */
export const ENOENT_TEXT = 'No chain/target/match by that name';
export const BAD_RULE_TEXT = 'Bad rule (does a matching rule exist in that chain?)';

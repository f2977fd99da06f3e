// The base of errors that are the user's to act on (a state file of another version,
// a workspace folder that cannot be made): the command line prints the message as one
// line and exits 2, never "unexpected error" (70). Kept tiny: the CLI imports it eagerly.
export class UserFacingError extends Error {}

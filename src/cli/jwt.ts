// `ica-trainer jwt mint` and `ica-trainer jwt jwks`: tokens for JWT labs, signed with
// the trainer's own test key, and the key set a RequestAuthentication trusts them by.
import { type Command, Option } from 'commander';
import { write } from './output.ts';

interface MintFlags {
  iss?: string;
  sub?: string;
  aud?: string[];
  groups?: string[];
  exp: string;
  claim?: string[];
  output: 'text' | 'json';
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--groups a,b --groups c` → [a, b, c] */
function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

const MINT_HELP = `
Examples:
  $ TOKEN=$(ica-trainer jwt mint --sub alice --groups admins)
  $ curl -H "Authorization: Bearer $TOKEN" http://$INGRESS/productpage
  $ ica-trainer jwt mint --aud bookinfo --claim role=reviewer --exp 10m -o json
  $ ica-trainer jwt mint --exp -5m             an expired token (Envoy answers 401)
  $ ica-trainer simulate jwt/ --to productpage -H "Authorization=Bearer $TOKEN"

The token is signed (RS256) with the trainer's TEST key, published with the
trainer: anyone can mint these, so trust it only in a lab. A RequestAuthentication
accepts them when its jwtRules entry has the trainer's issuer and key set:

  jwtRules:
  - issuer: trainer@ica-trainer.local        # or the --iss you mint with
    jwks: '<the output of ica-trainer jwt jwks>'

The request principal is <iss>/<sub> (trainer@ica-trainer.local/alice); groups is
a list claim (request.auth.claims[groups]); --claim NAME=VALUE adds any claim, its
VALUE read as JSON when it parses (3, true, '["a","b"]') and as text otherwise.

Output: the token alone on stdout (text), or -o json with the token, its header
and its claims. Exit codes: 0 minted, 2 a bad option value.`;

export function registerJwt(program: Command): void {
  const jwt = program
    .command('jwt')
    .description("JWTs for labs: mint tokens signed with the trainer's test key, print its key set");

  jwt
    .command('mint')
    .description("Mint a JWT signed with the trainer's test key (RS256), with the claims you give")
    .option('--iss <issuer>', 'issuer claim', 'trainer@ica-trainer.local')
    .option('--sub <subject>', 'subject claim (default: the issuer)')
    .option('--aud <audience>', 'audience (repeatable: several make a list)', collect)
    .option('--groups <list>', 'groups claim, comma-separated (repeatable)', collectList)
    .option(
      '--exp <when>',
      'expiry: a duration from now (30m, 1h, 7d; -5m: already expired), a Unix time, or "never"',
      '1h',
    )
    .option('--claim <name=value>', 'any other claim (repeatable), e.g. role=admin', collect)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', MINT_HELP)
    .action(async (flags: MintFlags) => {
      const { mintToken } = await import('../core/sim/security/mint.ts');
      const minted = mintToken({
        ...(flags.iss !== undefined ? { iss: flags.iss } : {}),
        ...(flags.sub !== undefined ? { sub: flags.sub } : flags.iss !== undefined ? { sub: flags.iss } : {}),
        ...(flags.aud ? { aud: flags.aud } : {}),
        ...(flags.groups ? { groups: flags.groups } : {}),
        exp: flags.exp,
        ...(flags.claim ? { claims: flags.claim } : {}),
      });
      await write(flags.output === 'json' ? `${JSON.stringify(minted, null, 2)}\n` : `${minted.token}\n`);
    });

  jwt
    .command('jwks')
    .description(
      "Print the trainer's public key set (JWKS): the jwks a RequestAuthentication needs to accept minted tokens",
    )
    .addOption(
      new Option('-o, --output <format>', 'json: the key set; yaml: a jwtRules entry to paste')
        .choices(['json', 'yaml'])
        .default('json'),
    )
    .action(async (flags: { output: 'json' | 'yaml' }) => {
      const { TRAINER_ISSUER, TRAINER_JWKS } = await import('../core/sim/security/trainer-key.ts');
      const json = JSON.stringify(TRAINER_JWKS);
      await write(
        flags.output === 'yaml' ? `jwtRules:\n- issuer: ${TRAINER_ISSUER}\n  jwks: '${json}'\n` : `${json}\n`,
      );
    });
}

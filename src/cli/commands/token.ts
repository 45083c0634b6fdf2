/** `arch token`: prints a development JWT for the workspace's gateway. */
import { Command } from 'commander';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';

interface TokenFlags {
  sub?: string;
  roles?: string;
  scopes?: string;
  ttl: string;
  publicKey?: boolean;
  cwd?: string;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');

export function tokenCommand(io: CliIo): Command {
  return new Command('token')
    .description("Sign a development JWT for the gateway with the workspace's development key (made by add-gateway)")
    .option('--sub <subject>', "the token's subject (the user id the gateway passes on as x-user-id)")
    .option('--roles <roles>', 'roles, comma-separated (the claim named by JWT_ROLES_CLAIM, default roles)')
    .option('--scopes <scopes>', 'scopes, comma-separated (the scope claim)')
    .option('--ttl <duration>', 'lifetime: 90s, 15m, 1h, 7d (30d at most)', '1h')
    .option('--public-key', "print the development public key on one line instead (JWT_PUBLIC_KEY in compose's .env)")
    .option('--cwd <dir>', 'run as if started in <dir>')
    .addHelpText(
      'after',
      `\nIssuer, audience and roles claim come from the gateway's .env (else its .env.example). The token alone goes to standard output.\n\nExamples:\n  $ npx arch token --sub alice --roles admin\n  $ TOKEN=$(npx arch token --sub alice --roles admin --scopes orders:read --ttl 15m)\n  $ curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/orders/orders\n  $ npx arch token --public-key\n`,
    )
    .action(async (flags: TokenFlags) => {
      const cwd = path.resolve(io.cwd, flags.cwd ?? '.');
      const { devPublicKeyLine, signDevToken } = await import('../../dev/token.js');
      if (flags.publicKey) {
        io.stdout.write(`${await devPublicKeyLine(cwd)}\n`);
        return;
      }
      if (flags.sub === undefined || flags.sub.trim() === '') throw new UsageError("--sub is required: the token's subject, e.g. --sub alice");
      const { token, warnings } = await signDevToken({ cwd, subject: flags.sub.trim(), roles: list(flags.roles), scopes: list(flags.scopes), ttl: flags.ttl });
      for (const warning of warnings) io.stderr.write(`warning ${warning}\n`);
      io.stdout.write(`${token}\n`);
    });
}

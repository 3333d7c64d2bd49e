import jwt from 'jsonwebtoken';
import { JWT_AUDIENCE, JWT_ISSUER, loadConfig } from './config';

/** `npm run token -- --sub user-1 [--roles support,privacy-admin] [--expires 1h]`: prints a demo token. */
function main(argv: readonly string[]): number {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (!flag.startsWith('--')) continue;
    args.set(flag.slice(2), argv[i + 1] ?? '');
    i++;
  }
  const sub = args.get('sub');
  if (sub === undefined || sub === '') {
    process.stderr.write('usage: npm run token -- --sub <user id> [--roles a,b] [--expires 1h]\n  e.g. npm run token -- --sub user-1\n');
    return 2;
  }
  const roles = (args.get('roles') ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
  const config = loadConfig();
  const token = jwt.sign({ sub, roles }, config.jwtSecret, {
    algorithm: 'HS256',
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    expiresIn: (args.get('expires') ?? '1h') as jwt.SignOptions['expiresIn'],
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

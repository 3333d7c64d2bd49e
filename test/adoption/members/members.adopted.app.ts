import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import express, { type NextFunction, type Request, type Response } from 'express';
import { privacy, personalData } from 'privacy-kit';

/**
 * A patient portal with sessions in the style of passport: signup and login on public routes, a middleware that
 * turns the session token (Bearer header) into req.user = { id, email, role } with the role as one string, and
 * routes for the signed-in person and for staff. members.app.ts is the app before privacy-kit;
 * members.adopted.app.ts is the same app after the README's changes: the import, app.use(privacy(...)) after the
 * authentication, and a twin on each route that handles personal data (the adoption test checks that nothing else
 * differs).
 */
export interface MemberUser {
  readonly id: string;
  readonly email: string;
  readonly role: 'patient' | 'staff';
}

type SessionRequest = Request & { user?: MemberUser };
type Credentials = { email?: unknown; password?: unknown; name?: unknown };

export function createMembersApp(): { app: express.Express; db: Database.Database; addUser(email: string, name: string, password: string, role: MemberUser['role']): string } {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT UNIQUE NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL);
    CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id));
  `);
  const addUser = (email: string, name: string, password: string, role: MemberUser['role']): string => {
    const id = `member-${randomBytes(6).toString('hex')}`;
    const salt = randomBytes(16);
    db.prepare('INSERT INTO users (id, email, name, role, salt, hash) VALUES (?, ?, ?, ?, ?, ?)').run(id, email, name, role, salt, scryptSync(password, salt, 32));
    return id;
  };
  const userIdOf = (email: unknown): string | undefined =>
    (db.prepare('SELECT id FROM users WHERE email = ?').get(String(email)) as { id: string } | undefined)?.id;

  const app = express();
  app.use(express.json());
  app.use((req: SessionRequest, _res: Response, next: NextFunction) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const row = token === undefined ? undefined : db.prepare('SELECT users.id, email, role FROM sessions JOIN users ON users.id = sessions.user_id WHERE token = ?').get(token);
    if (row !== undefined) req.user = row as MemberUser;
    next();
  });
  app.use(privacy({ drift: true }));

  app.post('/signup', personalData({ categories: ['user.name', 'user.contact.email', 'user.authorization.credentials'], purpose: 'essential.service', basis: 'contract', caller: 'anonymous', subject: (req) => req.body.email }), (req: Request<object, unknown, Credentials>, res: Response) => {
    const { email, password, name } = req.body;
    if (typeof email !== 'string' || typeof password !== 'string' || typeof name !== 'string') return void res.status(400).json({ error: 'email, password and name are required' });
    if (userIdOf(email) !== undefined) return void res.status(409).json({ error: 'already registered' });
    res.status(201).json({ id: addUser(email, name, password, 'patient') });
  });
  app.post('/login', personalData({ categories: ['user.contact.email', 'user.authorization.credentials'], purpose: 'essential.service', basis: 'contract', caller: 'anonymous', subject: (req) => userIdOf(req.body.email) ?? req.body.email }), (req: Request<object, unknown, Credentials>, res: Response) => {
    const { email, password } = req.body;
    const row = db.prepare('SELECT id, salt, hash FROM users WHERE email = ?').get(String(email)) as { id: string; salt: Buffer; hash: Buffer } | undefined;
    if (row === undefined || typeof password !== 'string' || !timingSafeEqual(scryptSync(password, row.salt, 32), row.hash)) return void res.status(401).json({ error: 'wrong e-mail or password' });
    const token = randomBytes(24).toString('base64url');
    db.prepare('INSERT INTO sessions (token, user_id) VALUES (?, ?)').run(token, row.id);
    res.json({ token });
  });
  app.get('/me', personalData({ categories: ['user.name', 'user.contact.email'], purpose: 'essential.service', basis: 'contract' }), (req: SessionRequest, res: Response) => {
    if (req.user === undefined) return void res.status(401).json({ error: 'sign in first' });
    res.json(db.prepare('SELECT name, email FROM users WHERE id = ?').get(req.user.id));
  });
  app.get('/staff/patients/:id', personalData({ categories: ['user.name', 'user.contact.email'], purpose: 'essential.service.operations.support', basis: 'legitimate_interests', roles: ['staff'], subject: (req) => req.params.id }), (req: SessionRequest, res: Response) => {
    res.json(db.prepare('SELECT name, email FROM users WHERE id = ?').get(req.params.id) ?? null);
  });
  return { app, db, addUser };
}

import Database from 'better-sqlite3';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';

/**
 * A clinic-appointments API: Express 5, its own users and appointments tables, its own JWT check (tokens without
 * iss/aud, one role as a string) that sets req.user, and a nested /api/v1 router. clinic.app.ts is the app before
 * privacy-kit; clinic.adopted.app.ts is the same app after the README's three lines (the adoption test checks that
 * nothing else differs).
 */
export interface ClinicUser {
  readonly sub: string;
  readonly role: 'patient' | 'staff';
}

type AuthedRequest = Request & { user?: ClinicUser };

export function createClinicApp(jwtSecret: string): { app: express.Express; db: Database.Database } {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL);
    CREATE TABLE appointments (id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES users(id), starts_at TEXT NOT NULL, phone TEXT NOT NULL);
  `);

  const app = express();
  app.use(express.json());
  app.use((req: AuthedRequest, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      try {
        req.user = jwt.verify(header.slice('Bearer '.length), jwtSecret, { algorithms: ['HS256'] }) as ClinicUser;
      } catch {
        // An invalid token is the same as none: the routes decide.
      }
    }
    next();
  });

  const api = express.Router();
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  api.get('/patients/:patientId/appointments', (req: Request<{ patientId: string }>, res: Response) => {
    res.json(db.prepare('SELECT id, starts_at AS startsAt, phone FROM appointments WHERE patient_id = ? ORDER BY starts_at').all(req.params.patientId));
  });
  app.use('/api/v1', api);
  return { app, db };
}

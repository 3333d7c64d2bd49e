import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const DRILL = join(__dirname, '..', 'examples/shop/dist/breach-drill.js');

describe('examples/shop: npm run shop:breach-drill', () => {
  it('raises an alert when a support account reads many customers, opens an incident from it, and drafts its Art. 33 notification with the count and categories', () => {
    const run = spawnSync(process.execPath, [DRILL], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^2\. alert alert-\S+: .*20/m);
    expect(run.stdout).toMatch(/^3\. incident inc-\d{8}-\S+ opened from the alert; notify the supervisory authority by \d{4}-/m);
    expect(run.stdout).toMatch(/^4\. scope from the audit log: 30 customers, 30 accesses; categories: .*user\.contact\.email/m);
    expect(run.stdout).toMatch(/30/);
    // The draft names the shop's controller and its contact point, and no customer: counts and categories only.
    expect(run.stdout).toMatch(/Example Shop \(demo\)/);
    expect(run.stdout).not.toMatch(/controller: not named/);
    expect(run.stdout).not.toMatch(/drill-customer-\d|@example\.com/);
  });
});

import { INVENTORY_FORMATS, buildInventory, renderInventory, type InventoryFormat } from '@privacy-kit/core';
import { dataFlowOf } from '../../src/inventory/data-flow';
import { renderInventoryHtml } from '../../src/inventory/html.renderer';
import { renderInventoryJson } from '../../src/inventory/json.renderer';
import { renderInventoryMarkdown } from '../../src/inventory/markdown.renderer';
import { renderInventoryMermaid } from '../../src/inventory/mermaid.renderer';
import { renderInventorySvg } from '../../src/inventory/svg-diagram.renderer';
import { sampleInventory } from './sample-inventory';

const inventory = sampleInventory();
const annotated = inventory.routes.filter((r) => r.annotated);

describe('renderInventoryMarkdown: an Art. 30 record', () => {
  const md = renderInventoryMarkdown(inventory);
  const headings = md.split('\n').filter((l) => l.startsWith('## '));

  it('has the sections of Art. 30(1) in order, then the route table, models and routes without annotation', () => {
    expect(headings).toEqual([
      '## 1. Controller',
      '## 2. Purposes of the processing',
      '## 3. Categories of data subjects',
      '## 4. Categories of personal data',
      '## 5. Recipients',
      '## 6. Time limits for erasure (Art. 30(1)(f))',
      '## 7. Technical and organisational security measures',
      '## Routes',
      '## Models',
      '## Routes without annotation',
      '## Problems',
    ]);
  });

  it('names the controller and DPO, each purpose with its basis, and the special categories', () => {
    expect(md).toContain('| Name | Shop Ltd |');
    expect(md).toContain('| Data protection officer | dpo@shop.example |');
    expect(md).toMatch(/\| `marketing\.communications\.email` \| Marketing e-mail \| consent \| yes \| POST \/me\/newsletter \|/);
    expect(md).toMatch(/\| `user\.health_and_medical` \| Health data \(Art\. 9\) \| \*\*yes\*\* \|/);
  });

  it('states the Art. 9(2) condition of each route that processes special category data, and flags a missing one', () => {
    const section = md.slice(md.indexOf('## 4. '), md.indexOf('## 5. '));
    expect(section).toContain('Special category data (Art. 9/10) is processed only under the condition each route names:');
    expect(section).toContain('| `GET /me/health` | `user.health_and_medical` | `health_care`: Art. 9(2)(h): Preventive or occupational medicine, medical diagnosis, or the provision of health or social care or treatment |');
    const missing = renderInventoryMarkdown(buildInventory({ models: [], routes: [{ method: 'GET', path: '/me/health', parts: [{ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract' }] }] }));
    expect(missing).toContain('| `GET /me/health` | `user.health_and_medical` | **missing**: no Art. 9(2) / Art. 10 condition declared |');
  });

  it('lists recipients and security measures', () => {
    expect(md).toContain('- Mailer \\| Ltd: for `marketing.communications.email` (POST /me/newsletter)');
    expect(md).toMatch(/## 7\. Technical and organisational security measures\n\n- Lawful basis and consent checked/);
  });

  it("has a table of each category's time limit for erasure, with who declared it", () => {
    const section = md.slice(md.indexOf('## 6. '), md.indexOf('## 7. '));
    expect(section.split('\n').filter((l) => l.startsWith('| '))).toEqual([
      '| Category | Time limit | Declared by |',
      '| --- | --- | --- |',
      '| `user.contact.address` | none declared: kept until erased | – |',
      '| `user.contact.email` | `3y` | field SampleCustomer.email |',
      '| `user.health_and_medical` | `6m` | route GET /me/health |',
      '| `user.name` | none declared: kept until erased | – |',
    ]);
    expect(section).toContain("declare a period: `retention: '30d'` on a route or a `@PersonalData` field");
  });

  it('says so when no category has a time limit to show, and gives no hint when every category has a period', () => {
    expect(renderInventoryMarkdown(buildInventory({ routes: [], models: [] }))).toContain('## 6. Time limits for erasure (Art. 30(1)(f))\n\n_No categories of personal data._');
    const kept = renderInventoryMarkdown(buildInventory({ models: [], routes: [{ method: 'GET', path: '/me', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', retention: '30d' }] }] }));
    expect(kept).toContain('| `user.name` | `30d` | route GET /me |');
    expect(kept).not.toContain('kept until erased');
  });

  it('has one row per annotated route, pipes escaped, and flags undeclared data on routes without annotation', () => {
    const section = md.slice(md.indexOf('## Routes\n'), md.indexOf('## Models'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(annotated.map((r) => `| \`${r.id}\``));
    expect(section).toContain('src/app.ts:10');
    expect(md).toMatch(/\| `GET \/debug` \| debugDump \| \*\*user\.contact\.email\*\* \|/);
    expect(md).toMatch(/- \*\*missing-basis\*\*: .*PUT \/me\/address/);
  });

  it('says so when the controller is not stated', () => {
    expect(renderInventoryMarkdown(buildInventory({ routes: [], models: [] }))).toContain('_Not stated. Add it to `privacy-kit.config.json`');
  });
});

describe('renderInventoryMermaid: the data-flow diagram', () => {
  const mermaid = renderInventoryMermaid(inventory);

  it('is a left-to-right flowchart with a column each for subjects, routes, purposes, stores and recipients', () => {
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('subgraph col0["Data subjects"]');
    expect(mermaid).toContain('subgraph col1["Routes"]');
    expect(mermaid).toContain('subgraph col2["Purposes"]');
    expect(mermaid).toContain('subgraph col3["Stores and recipients"]');
  });

  it('has one node per annotated route and edges subject → route → purpose → store/recipient', () => {
    for (const r of annotated) expect(mermaid).toContain(`["${r.id}"]`);
    expect(mermaid).not.toContain('GET /debug');
    const flow = dataFlowOf(inventory);
    const id = (label: string) => flow.columns.flatMap((c) => c.nodes).find((n) => n.label === label)?.id;
    expect(mermaid).toContain(`${id('customer')} --> ${id('POST /me/newsletter')}`);
    expect(mermaid).toContain(`${id('POST /me/newsletter')} --> ${id('marketing.communications.email')}`);
    expect(mermaid).toContain(`${id('marketing.communications.email')} --> ${id('Mailer | Ltd')}`);
    expect(mermaid).toContain(`${id('essential.service')} --> ${id('SampleCustomer')}`);
  });

  it('marks routes with special categories or problems with the warn class', () => {
    const flow = dataFlowOf(inventory);
    const warned = flow.columns[1]?.nodes.filter((n) => n.warn === true).map((n) => n.label);
    expect(warned).toEqual(['GET /me/health', 'PUT /me/address']);
    expect(mermaid).toMatch(/class r\d,r\d warn/);
  });

  it('escapes quotes in labels', () => {
    const quoted = buildInventory({ models: [], routes: [{ method: 'GET', path: '/a"b', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }] }] });
    expect(renderInventoryMermaid(quoted)).toContain('["GET /a#quot;b"]');
  });
});

describe('renderInventorySvg and renderInventoryHtml: one offline page', () => {
  const html = renderInventoryHtml(inventory);

  it('draws one route node per annotated route in the inline SVG', () => {
    const svg = renderInventorySvg(inventory);
    const routeIds = [...svg.matchAll(/data-node-kind="route" data-node-role="route" data-route-id="([^"]+)"/g)].map((m) => m[1]);
    expect(routeIds).toEqual(annotated.map((r) => r.id));
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(dataFlowOf(inventory).edges.length);
  });

  it('is self-contained: no external script, style, image or link, and a policy that forbids them', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
  });

  it('embeds the diagram, its Mermaid source, filters, the route table and the routes without annotation', () => {
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="data-flow"');
    expect(html).toContain('<pre id="mermaid-source">flowchart LR');
    for (const id of ['filter-category', 'filter-purpose', 'filter-basis']) expect(html).toContain(`id="${id}"`);
    expect((html.match(/<tr data-route-id=/g) ?? []).length).toBe(annotated.length);
    expect(html).toMatch(/<li data-route-id="GET \/debug">.*returns personal data: user\.contact\.email/);
    expect(html).toMatch(/<li data-route-id="GET \/health">/);
  });

  it('shows the Art. 9(2) condition beside the special categories of a route', () => {
    const row = /<tr data-route-id="GET \/me\/health".*?<\/tr>/s.exec(html)?.[0] ?? '';
    expect(row).toContain('<strong class="special">Art. 9/10</strong> <span class="condition" title="Preventive or occupational medicine, medical diagnosis, or the provision of health or social care or treatment">Art. 9(2)(h) <code>health_care</code></span>');
  });

  it("shows each category's time limit for erasure in a table, and says which are kept until erased", () => {
    const rows = [...html.matchAll(/<tr data-category="([^"]+)" data-retention="([^"]*)">(.*?)<\/tr>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(rows.map(([category, period]) => [category, period])).toEqual([
      ['user.contact.address', ''],
      ['user.contact.email', '3y'],
      ['user.health_and_medical', '6m'],
      ['user.name', ''],
    ]);
    expect(html).toContain('<table id="retention"><thead><tr><th>Category</th><th>Time limit</th><th>Declared by</th></tr></thead>');
    expect(rows[1]?.[2]).toContain('<strong>3y</strong></td><td><div>field SampleCustomer.email</div></td>');
    expect(rows[1]?.[2]).toContain('<div class="muted">E-mail address</div>');
    expect(rows[0]?.[2]).toContain('none declared: kept until erased');
  });

  it('escapes the app name and embeds the inventory JSON so that it parses back', () => {
    expect(html).toContain('<title>Privacy map: Shop &lt;demo&gt; | &quot;quoted&quot;</title>');
    const json = /<script type="application\/json" id="privacy-inventory">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(inventory)));
  });
});

describe('renderInventory', () => {
  it('renders each format with its renderer', () => {
    const renderers: Record<InventoryFormat, (i: typeof inventory) => string> = {
      json: renderInventoryJson,
      md: renderInventoryMarkdown,
      mermaid: renderInventoryMermaid,
      html: renderInventoryHtml,
    };
    for (const format of INVENTORY_FORMATS) expect(renderInventory(inventory, format)).toBe(renderers[format](inventory));
    expect(JSON.parse(renderInventory(inventory, 'json'))).toEqual(JSON.parse(JSON.stringify(inventory)));
  });

  it('refuses an unknown format and lists the known ones', () => {
    expect(() => renderInventory(inventory, 'pdf' as InventoryFormat)).toThrow(/unknown format "pdf"\. Use one of json, md, mermaid, html/);
  });
});

describe('renderInventoryMarkdown: text shown as is, not read as Markdown', () => {
  const odd = buildInventory({
    generatedAt: new Date('2026-11-22T10:00:00Z'),
    app: { name: 'Shop <demo> *beta*', controller: { name: 'Shop & Co [EU]', contact: '<privacy@shop.example>' } },
    models: [],
    routes: [
      { method: 'GET', path: '/me/a|b', handler: '<anonymous>', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', recipients: ['Mailer_ <b>Ltd</b>'] }] },
      { method: 'GET', path: '/health', handler: '<anonymous>' },
    ],
  });
  const md = renderInventoryMarkdown(odd);
  const rows = (heading: string): string[] => md.slice(md.indexOf(heading)).split('\n').filter((l) => l.startsWith('| `'));

  it('escapes an anonymous handler, so that it is not read as an HTML tag', () => {
    expect(rows('## Routes\n')[0]).toContain(' | \\<anonymous\\> | ');
    expect(rows('## Routes without annotation')[0]).toBe('| `GET /health` | \\<anonymous\\> | not observed | – |');
  });

  it('escapes markup in names, recipients and the title, keeping underscores inside words as they are', () => {
    expect(md.split('\n')[0]).toBe('# Record of processing activities: Shop \\<demo\\> \\*beta\\*');
    expect(md).toContain('| Name | Shop \\& Co \\[EU\\] |');
    expect(md).toContain('| Contact | \\<privacy@shop.example\\> |');
    expect(rows('## Routes\n')[0]).toContain(' | Mailer\\_ \\<b\\>Ltd\\</b\\> | ');
    expect(rows('## Routes\n')[0]).toContain(' | essential.service | contract | ');
    expect(md).toContain('| `user.name` |');
  });

  it('escapes a pipe inside a code span of a table cell, so that it does not split the cell', () => {
    expect(rows('## Routes\n')[0]?.startsWith('| `GET /me/a\\|b` | ')).toBe(true);
    expect(rows('## Routes\n')[0]?.split(/(?<!\\)\|/).length).toBe(14);
  });
});

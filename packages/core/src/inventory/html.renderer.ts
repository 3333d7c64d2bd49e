import type { Inventory, InventoryRoute, InventoryTerms } from './inventory.model';
import { formatSource, whoMayCall } from './markdown.renderer';
import { renderInventoryMermaid } from './mermaid.renderer';
import { escapeXml, renderInventorySvg } from './svg-diagram.renderer';

const e = escapeXml;

function list(values: readonly string[] | undefined, empty = '–'): string {
  return values === undefined || values.length === 0 ? `<span class="muted">${empty}</span>` : values.map((v) => `<code>${e(v)}</code>`).join(' ');
}

function options(id: string, label: string, values: readonly string[], describe: Readonly<Record<string, string>> = {}): string {
  const items = values.map((v) => `<option value="${e(v)}">${e(v)}${describe[v] === undefined ? '' : ` (${e(describe[v])})`}</option>`);
  return `<label>${e(label)} <select id="${id}" data-filter="${id.replace('filter-', '')}"><option value="">all</option>${items.join('')}</select></label>`;
}

/** The Art. 9(2) / Art. 10 conditions of a route with special category data, or a warning that it names none. */
function conditionsOf(r: InventoryRoute, terms: InventoryTerms): string {
  const p = r.processing;
  if (p === null || !p.special) return '';
  if (p.specialCategoryConditions.length === 0) return ' <strong class="bad">no Art. 9(2) condition</strong>';
  return p.specialCategoryConditions.map((key) => {
    const text = terms.specialCategoryConditions[key] ?? '';
    const colon = text.indexOf(': ');
    return ` <span class="condition" title="${e(colon === -1 ? text : text.slice(colon + 2))}">${e(colon === -1 ? '' : text.slice(0, colon))} <code>${e(key)}</code></span>`;
  }).join('');
}

function routeRow(r: InventoryRoute, terms: InventoryTerms): string {
  const p = r.processing;
  const observed = r.observed === null
    ? '<span class="muted">not observed</span>'
    : r.undeclared.length > 0
      ? `${list(r.observed.categories)} <strong class="bad">undeclared: ${e(r.undeclared.join(', '))}</strong>`
      : list(r.observed.categories, 'nothing personal');
  const subject = p === null ? '' : p.subject.resolution === 'self' ? 'self' : `<code>${e(p.subject.resolver ?? 'resolver')}</code>`;
  const problems = r.problems.map((x) => `<li><strong>${e(x.rule)}</strong>: ${e(x.message)}</li>`).join('');
  return [
    `<tr data-route-id="${e(r.id)}" data-categories="${e((p?.categories ?? []).join(' '))}" data-purposes="${e((p?.purposes ?? []).join(' '))}" data-basis="${e(p?.basis ?? '')}"${r.problems.length > 0 ? ' class="has-problems"' : ''}>`,
    `<td><code>${e(r.id)}</code>${r.aliases.length > 0 ? `<div class="muted">also ${e(r.aliases.join(', '))}</div>` : ''}${problems === '' ? '' : `<ul class="problems">${problems}</ul>`}</td>`,
    `<td>${e(r.handler)}<div class="muted">${e(formatSource(r.source))}</div></td>`,
    `<td>${list(p?.categories)}${p?.special === true ? ' <strong class="special">Art. 9/10</strong>' : ''}${conditionsOf(r, terms)}</td>`,
    `<td>${list(p?.purposes)}</td>`,
    `<td>${p?.basis === null || p?.basis === undefined ? '<strong class="bad">missing</strong>' : e(p.basis)}</td>`,
    `<td>${p?.consentRequired === true ? list(p.consentPurposes) : 'no'}</td>`,
    `<td>${subject}<div class="muted">${e((p?.subjectTypes ?? []).join(', '))}</div></td>`,
    `<td>${p === null || p.roles.length === 0 ? `<span class="muted">${e(whoMayCall(p?.caller))}</span>` : e(p.roles.join(', '))}</td>`,
    `<td>${e(p?.retention?.text ?? '–')}</td>`,
    `<td>${p === null || p.recipients.length === 0 ? '<span class="muted">–</span>' : e(p.recipients.join(', '))}</td>`,
    `<td>${observed}</td>`,
    '</tr>',
  ].join('');
}

const STYLE = `
:root{color-scheme:light;--ink:#1f2933;--muted:#7b8794;--line:#d9e2ec;--bad:#b42318;--accent:#2457a6}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#fff}
header{padding:20px 28px;border-bottom:1px solid var(--line);background:#f8fafc}
h1{margin:0 0 4px;font-size:22px}h2{font-size:17px;margin:28px 0 10px}
main{padding:0 28px 40px}
.muted{color:var(--muted)}.bad{color:var(--bad)}.special{color:#8e2dbd}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:#fff;min-width:120px}
.card b{display:block;font-size:20px}
.diagram{overflow:auto;border:1px solid var(--line);border-radius:6px;padding:8px;max-height:80vh}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8;position:sticky;top:0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f0f4f8;padding:1px 4px;border-radius:3px}
.filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:8px 0 12px}
select{font:inherit;padding:3px 6px;max-width:320px}
tr.has-problems td:first-child{border-left:3px solid var(--bad)}
ul.problems{margin:4px 0 0;padding-left:18px;color:var(--bad);font-size:12px}
pre{background:#f0f4f8;padding:12px;border-radius:6px;overflow:auto}
.table-wrap{overflow:auto}
@media print{.filters{display:none}}
`;

const SCRIPT = `
(function () {
  'use strict';
  function split(text) { return text ? text.split(' ') : []; }
  function under(values, wanted) {
    return !wanted || values.some(function (v) { return v === wanted || v.indexOf(wanted + '.') === 0; });
  }
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('#routes tbody tr'));
  var nodes = Array.prototype.slice.call(document.querySelectorAll('svg [data-node-kind="route"]'));
  var count = document.getElementById('route-count');
  function wanted(name) {
    var s = document.querySelector('select[data-filter="' + name + '"]');
    return s ? s.value : '';
  }
  function matches(el) {
    var basis = wanted('basis');
    return under(split(el.getAttribute('data-categories') || ''), wanted('category')) &&
      under(split(el.getAttribute('data-purposes') || ''), wanted('purpose')) &&
      (!basis || el.getAttribute('data-basis') === basis);
  }
  function apply() {
    var shown = 0;
    rows.forEach(function (row) { var ok = matches(row); row.hidden = !ok; if (ok) shown++; });
    nodes.forEach(function (node) { node.classList.toggle('dim', !matches(node)); });
    if (count) count.textContent = shown + ' of ' + rows.length + ' routes shown';
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  var reset = document.getElementById('filter-reset');
  if (reset) reset.addEventListener('click', function () { selects.forEach(function (s) { s.value = ''; }); apply(); });
  apply();
})();
`;

/**
 * Renders an inventory as one self-contained HTML page that works offline (no CDN, no external request; a
 * Content-Security-Policy forbids them): summary, the data-flow diagram as inline SVG (with its Mermaid source),
 * the route table with filters by category, purpose and lawful basis, the routes without annotation and what drift
 * detection observed, the models, and each category's time limit for erasure. The inventory JSON is embedded as
 * `<script type="application/json" id="privacy-inventory">`.
 *
 * @param inventory - from `buildInventory` or `inventoryOf`
 * @example
 * writeFileSync('privacy-map.html', renderInventoryHtml(inventory));
 */
export function renderInventoryHtml(inventory: Inventory): string {
  const { app, summary, routes, models, terms } = inventory;
  const annotated = routes.filter((r) => r.annotated);
  const bare = routes.filter((r) => !r.annotated);
  const usedCategories = [...new Set(annotated.flatMap((r) => r.processing?.categories ?? []))].sort();
  const usedPurposes = [...new Set(annotated.flatMap((r) => r.processing?.purposes ?? []))].sort();
  const usedBases = [...new Set(annotated.map((r) => r.processing?.basis).filter((b): b is NonNullable<typeof b> => b != null))].sort();
  const json = JSON.stringify(inventory).replace(/</g, '\\u003c');
  const controller = app.controller === null
    ? '<p class="muted">Controller not stated (add <code>controller</code> to privacy-kit.config.json).</p>'
    : `<p>Controller: <strong>${e(app.controller.name)}</strong>${app.controller.contact === null ? '' : `, ${e(app.controller.contact)}`}${app.controller.dpo === null ? '' : `; DPO: ${e(app.controller.dpo)}`}</p>`;
  const card = (n: number, text: string, bad = false): string => `<div class="card${bad && n > 0 ? ' bad' : ''}"><b>${n}</b>${e(text)}</div>`;

  const modelRows = models.flatMap((m) => m.fields.map((f, i) =>
    `<tr data-categories="${e(f.categories.join(' '))}"><td>${i === 0 ? `<code>${e(m.name)}</code>` : ''}</td><td><code>${e(f.property)}</code></td><td>${list(f.categories)}</td>` +
    `<td>${e(f.retention?.text ?? '–')}</td><td>${f.special ? '<strong class="special">yes</strong>' : 'no'}</td><td>${i === 0 ? e(m.usedBy.join(', ')) : ''}</td></tr>`));

  const retentionRows = inventory.retention.map((r) =>
    `<tr data-category="${e(r.category)}" data-retention="${e(r.retention?.text ?? '')}"><td><code>${e(r.category)}</code>` +
    `${terms.categories[r.category] === undefined ? '' : `<div class="muted">${e(terms.categories[r.category] as string)}</div>`}</td>` +
    `<td>${r.retention === null ? '<span class="muted">none declared: kept until erased</span>' : `<strong>${e(r.retention.text)}</strong>`}</td>` +
    `<td>${r.declaredBy.length === 0 ? '<span class="muted">–</span>' : r.declaredBy.map((by) => `<div>${e(by)}</div>`).join('')}</td></tr>`);

  const bareRows = bare.map((r) =>
    `<li data-route-id="${e(r.id)}"><code>${e(r.id)}</code> <span class="muted">${e(r.handler)} ${e(formatSource(r.source))}</span>` +
    (r.undeclared.length > 0 ? ` <strong class="bad">returns personal data: ${e(r.undeclared.join(', '))}</strong>` : r.observed === null ? '' : ' <span class="muted">observed: nothing personal</span>') +
    '</li>');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${e(inventory.generator)}">
<title>Privacy map: ${e(app.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Privacy map: ${e(app.name)}</h1>
<div class="muted">Generated ${e(inventory.generatedAt)} from the app's code by ${e(inventory.generator)}.</div>
${controller}
<div class="cards">
${card(summary.routes, ' routes')}${card(summary.annotated, ' annotated')}${card(summary.unannotated, ' without annotation')}${card(summary.categories.length, ' data categories')}${card(summary.purposes.length, ' purposes')}${card(summary.withProblems, ' with problems', true)}${card(summary.withUndeclared, ' with undeclared personal data', true)}
</div>
</header>
<main>
<section id="diagram-section">
<h2>Data flow</h2>
<p class="muted">Data subjects → routes → purposes → stores and recipients. Red outlines mark special categories, problems or undeclared data.</p>
<div class="diagram" id="diagram">
${renderInventorySvg(inventory)}
</div>
<details><summary>Mermaid source</summary>
<pre id="mermaid-source">${e(renderInventoryMermaid(inventory))}</pre>
</details>
</section>
<section id="routes-section">
<h2>Processing activities (annotated routes)</h2>
<div class="filters">
${options('filter-category', 'Category', usedCategories, terms.categories)}
${options('filter-purpose', 'Purpose', usedPurposes, terms.purposes)}
${options('filter-basis', 'Lawful basis', usedBases)}
<button type="button" id="filter-reset">Reset</button>
<span id="route-count" class="muted"></span>
</div>
<div class="table-wrap">
<table id="routes">
<thead><tr><th>Route</th><th>Handler</th><th>Categories</th><th>Purposes</th><th>Basis</th><th>Consent</th><th>Subject</th><th>Roles</th><th>Retention</th><th>Recipients</th><th>Observed</th></tr></thead>
<tbody>
${annotated.map((r) => routeRow(r, terms)).join('\n')}
</tbody>
</table>
</div>
</section>
<section id="unannotated-section">
<h2>Routes without annotation (${bare.length})</h2>
${bare.length === 0 ? '<p class="muted">Every route is annotated.</p>' : `<ul id="unannotated">\n${bareRows.join('\n')}\n</ul>`}
</section>
<section id="models-section">
<h2>Models with personal data</h2>
${models.length === 0 ? '<p class="muted">No @PersonalData classes.</p>' : `<div class="table-wrap"><table id="models"><thead><tr><th>Model</th><th>Field</th><th>Categories</th><th>Retention</th><th>Special</th><th>Used by</th></tr></thead><tbody>\n${modelRows.join('\n')}\n</tbody></table></div>`}
</section>
<section id="retention-section">
<h2>Time limits for erasure</h2>
${inventory.retention.length === 0 ? '<p class="muted">No categories of personal data.</p>' : `<p class="muted">How long each category of personal data is kept (Art. 30(1)(f)). Where routes and fields declare several periods for a category, the longest is in force, unless the retention.categories option of privacy() sets one; a period for a broader category covers the narrower ones.</p>
<div class="table-wrap"><table id="retention"><thead><tr><th>Category</th><th>Time limit</th><th>Declared by</th></tr></thead><tbody>\n${retentionRows.join('\n')}\n</tbody></table></div>`}
</section>
<section id="measures-section">
<h2>Security measures</h2>
<ul>${app.securityMeasures.map((m) => `<li>${e(m)}</li>`).join('')}</ul>
${inventory.warnings.length === 0 ? '' : `<h2>Warnings</h2><ul id="warnings">${inventory.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`}
</section>
</main>
<script type="application/json" id="privacy-inventory">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

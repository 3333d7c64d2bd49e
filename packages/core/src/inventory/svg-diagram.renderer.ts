import { dataFlowOf, type DataFlowNode } from './data-flow';
import type { Inventory } from './inventory.model';

const NODE_W = 210;
const NODE_H = 30;
const ROW_GAP = 12;
const COL_GAP = 120;
const PAD = 16;
const HEADER = 34;
const MAX_LABEL = 28;

/** Escapes text for HTML and XML content and attribute values. */
export function escapeXml(text: string): string {
  return SPECIAL_XML.test(text) ? text.replace(SPECIAL_XML_ALL, (c) => XML_ENTITIES[c] as string) : text;
}

const SPECIAL_XML = /[&<>"']/;
const SPECIAL_XML_ALL = /[&<>"']/g;
const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function shorten(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function shapeOf(node: DataFlowNode, x: number, y: number): string {
  const w = NODE_W;
  const h = NODE_H;
  switch (node.role) {
    case 'subject':
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}"/>`;
    case 'purpose': {
      const i = 10;
      return `<polygon class="shape" points="${x + i},${y} ${x + w - i},${y} ${x + w},${y + h / 2} ${x + w - i},${y + h} ${x + i},${y + h} ${x},${y + h / 2}"/>`;
    }
    case 'recipient':
      return `<polygon class="shape" points="${x},${y} ${x + w - 12},${y} ${x + w},${y + h / 2} ${x + w - 12},${y + h} ${x},${y + h} ${x + 8},${y + h / 2}"/>`;
    case 'store':
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="10" ry="8"/>`;
    case 'route':
      return `<rect class="shape" x="${x}" y="${y}" width="${w}" height="${h}" rx="3"/>`;
  }
}

function dataAttributes(node: DataFlowNode): string {
  const attrs = [`data-node-id="${node.id}"`, `data-node-kind="${node.kind}"`, `data-node-role="${node.role}"`];
  if (node.routeId !== undefined) attrs.push(`data-route-id="${escapeXml(node.routeId)}"`);
  if (node.categories !== undefined) attrs.push(`data-categories="${escapeXml(node.categories.join(' '))}"`);
  if (node.purposes !== undefined) attrs.push(`data-purposes="${escapeXml(node.purposes.join(' '))}"`);
  if (node.basis !== undefined) attrs.push(`data-basis="${escapeXml(node.basis ?? '')}"`);
  return attrs.join(' ');
}

/**
 * Renders the data flow of an inventory (see `dataFlowOf`) as a self-contained inline SVG with a layered layout:
 * one column each for data subjects, routes, purposes, and stores and recipients, with curved edges between
 * them. Every node carries `data-node-kind`, and route nodes `data-route-id`, so pages can filter and tests can
 * count them. No script, no external resource.
 *
 * @param inventory - from `buildInventory` or `inventoryOf`
 * @example
 * const svg = renderInventorySvg(inventory); // '<svg xmlns="http://www.w3.org/2000/svg" ...'
 */
export function renderInventorySvg(inventory: Inventory): string {
  const flow = dataFlowOf(inventory);
  const tallest = Math.max(1, ...flow.columns.map((c) => c.nodes.length));
  const columnHeight = (n: number): number => n * NODE_H + Math.max(0, n - 1) * ROW_GAP;
  const height = PAD * 2 + HEADER + columnHeight(tallest);
  const width = PAD * 2 + flow.columns.length * NODE_W + (flow.columns.length - 1) * COL_GAP;
  const position = new Map<string, { x: number; y: number }>();
  const parts: string[] = [];

  flow.columns.forEach((column, i) => {
    const x = PAD + i * (NODE_W + COL_GAP);
    const top = PAD + HEADER + (columnHeight(tallest) - columnHeight(column.nodes.length)) / 2;
    parts.push(`<text class="column-title" x="${x + NODE_W / 2}" y="${PAD + 14}" text-anchor="middle">${escapeXml(column.title)}</text>`);
    column.nodes.forEach((node, j) => position.set(node.id, { x, y: top + j * (NODE_H + ROW_GAP) }));
  });

  const edges = flow.edges.map((e) => {
    const a = position.get(e.from);
    const b = position.get(e.to);
    if (a === undefined || b === undefined) return '';
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x - 2;
    const y2 = b.y + NODE_H / 2;
    const bend = COL_GAP / 2;
    return `<path class="edge" data-from="${e.from}" data-to="${e.to}" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" marker-end="url(#pk-arrow)"/>`;
  });

  const nodes = flow.columns.flatMap((column) => column.nodes.map((node) => {
    const p = position.get(node.id) as { x: number; y: number };
    const classes = `node node-${node.role}${node.warn === true ? ' warn' : ''}`;
    return `<g class="${classes}" id="node-${node.id}" ${dataAttributes(node)}><title>${escapeXml(node.title)}</title>${shapeOf(node, p.x, p.y)}` +
      `<text x="${p.x + NODE_W / 2}" y="${p.y + NODE_H / 2 + 4}" text-anchor="middle">${escapeXml(shorten(node.label))}</text></g>`;
  }));

  const empty = flow.columns[1]?.nodes.length === 0
    ? `<text class="empty" x="${width / 2}" y="${PAD + HEADER + 20}" text-anchor="middle">No annotated routes yet.</text>`
    : '';

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="data-flow" role="img" aria-label="Data flow: data subjects, routes, purposes, stores and recipients" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    '<defs><marker id="pk-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>',
    '<style>',
    '.data-flow text{font:12px system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1f2933}',
    '.data-flow .column-title{font-weight:600;font-size:13px}',
    '.data-flow .edge{fill:none;stroke:#9aa5b1;stroke-width:1.2}',
    '.data-flow .arrow{fill:#9aa5b1}',
    '.data-flow .shape{stroke:#52606d;stroke-width:1}',
    '.data-flow .node-subject .shape{fill:#e3f8ff}',
    '.data-flow .node-route .shape{fill:#fff8e1}',
    '.data-flow .node-purpose .shape{fill:#e6f6ec}',
    '.data-flow .node-store .shape{fill:#f0f4f8}',
    '.data-flow .node-recipient .shape{fill:#fce8f3}',
    '.data-flow .warn .shape{stroke:#b42318;stroke-width:2}',
    '.data-flow .dim{opacity:.18}',
    '</style>',
    ...parts,
    ...edges,
    ...nodes,
    empty,
    '</svg>',
  ].filter((line) => line !== '').join('\n');
}

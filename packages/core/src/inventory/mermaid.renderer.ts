import { dataFlowOf, type DataFlowNode } from './data-flow';
import type { Inventory } from './inventory.model';

/** Text inside a quoted Mermaid label: quotes and angle brackets as entity codes, no line breaks. */
function label(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;');
}

function shape(node: DataFlowNode): string {
  const text = `"${label(node.label)}"`;
  switch (node.role) {
    case 'subject': return `${node.id}([${text}])`;
    case 'route': return `${node.id}[${text}]`;
    case 'purpose': return `${node.id}{{${text}}}`;
    case 'store': return `${node.id}[(${text})]`;
    case 'recipient': return `${node.id}>${text}]`;
  }
}

/**
 * Renders the data flow of an inventory as a Mermaid flowchart: data subjects → routes → purposes → stores and
 * recipients, one subgraph per column. Routes with special categories, problems or undeclared data get the
 * `warn` class.
 *
 * @param inventory - from `buildInventory` or `inventoryOf`
 * @example
 * renderInventoryMermaid(inventory).split('\n')[0]; // 'flowchart LR'
 */
export function renderInventoryMermaid(inventory: Inventory): string {
  const flow = dataFlowOf(inventory);
  const lines = ['flowchart LR'];
  flow.columns.forEach((column, i) => {
    lines.push(`  subgraph col${i}["${label(column.title)}"]`);
    lines.push('    direction TB');
    for (const node of column.nodes) lines.push(`    ${shape(node)}`);
    lines.push('  end');
  });
  for (const e of flow.edges) lines.push(`  ${e.from} --> ${e.to}`);
  const warned = flow.columns.flatMap((c) => c.nodes).filter((n) => n.warn === true).map((n) => n.id);
  lines.push('  classDef warn stroke:#b42318,stroke-width:2px');
  if (warned.length > 0) lines.push(`  class ${warned.join(',')} warn`);
  return `${lines.join('\n')}\n`;
}

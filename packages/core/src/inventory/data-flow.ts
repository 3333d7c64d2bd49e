import type { Inventory } from './inventory.model';

/** The columns of the data-flow diagram, left to right. */
export type DataFlowColumnKind = 'subject' | 'route' | 'purpose' | 'sink';

/** One box of the diagram. */
export interface DataFlowNode {
  /** Stable within one diagram; safe as a Mermaid id and an SVG/HTML id. */
  readonly id: string;
  readonly kind: DataFlowColumnKind;
  /** 'store' or 'recipient' for sinks. */
  readonly role: 'subject' | 'route' | 'purpose' | 'store' | 'recipient';
  readonly label: string;
  /** Longer text for a tooltip. */
  readonly title: string;
  /** For route nodes: the inventory route id. */
  readonly routeId?: string;
  /** For route nodes: categories, purposes and basis, for filtering. */
  readonly categories?: readonly string[];
  readonly purposes?: readonly string[];
  readonly basis?: string | null;
  /** A special category or undeclared data is involved. */
  readonly warn?: boolean;
}

/** One arrow of the diagram. */
export interface DataFlowEdge {
  readonly from: string;
  readonly to: string;
}

/** The data flow of an inventory: data subjects → routes → purposes → stores and recipients. */
export interface DataFlow {
  readonly columns: readonly { readonly kind: DataFlowColumnKind; readonly title: string; readonly nodes: readonly DataFlowNode[] }[];
  readonly edges: readonly DataFlowEdge[];
}

/** The name of the store for routes that name no model class. */
export const APP_STORE_LABEL = 'App data';

/**
 * The data-flow graph of the annotated routes: each data subject type feeds the routes that process its data,
 * each route feeds its purposes, and each purpose feeds the stores (the model classes the routes name, or
 * {@link APP_STORE_LABEL}) and the recipients of the routes that serve it. Pure; shared by the Mermaid and SVG
 * renderers.
 *
 * @example
 * dataFlowOf(inventory).columns.map((c) => c.nodes.length); // [1, 5, 4, 3]
 */
export function dataFlowOf(inventory: Inventory): DataFlow {
  const subjects = new Map<string, DataFlowNode>();
  const purposes = new Map<string, DataFlowNode>();
  const sinks = new Map<string, DataFlowNode>();
  const routes: DataFlowNode[] = [];
  const edges = new Map<string, DataFlowEdge>();
  const edge = (from: string, to: string): void => {
    edges.set(`${from}>${to}`, { from, to });
  };

  for (const route of inventory.routes) {
    const p = route.processing;
    if (!route.annotated || p === null) continue;
    const routeNode: DataFlowNode = {
      id: `r${routes.length}`,
      kind: 'route',
      role: 'route',
      label: route.id,
      title: `${route.id} → ${route.handler}\ncategories: ${p.categories.join(', ') || '(none)'}\nbasis: ${p.basis ?? '(missing)'}`,
      routeId: route.id,
      categories: p.categories,
      purposes: p.purposes,
      basis: p.basis,
      warn: p.special || route.undeclared.length > 0 || route.problems.length > 0,
    };
    routes.push(routeNode);
    for (const type of p.subjectTypes) {
      let node = subjects.get(type);
      if (node === undefined) {
        node = { id: `s${subjects.size}`, kind: 'subject', role: 'subject', label: type, title: inventory.terms.subjectTypes[type] ?? type };
        subjects.set(type, node);
      }
      edge(node.id, routeNode.id);
    }
    const targets: DataFlowNode[] = [];
    const storeNames = p.models.length > 0 ? p.models : [APP_STORE_LABEL];
    for (const name of storeNames) {
      const key = `store:${name}`;
      let node = sinks.get(key);
      if (node === undefined) {
        const retention = p.retention === null ? '' : `, kept ${p.retention.text}`;
        node = { id: `d${sinks.size}`, kind: 'sink', role: 'store', label: name, title: `store: ${name}${retention}` };
        sinks.set(key, node);
      }
      targets.push(node);
    }
    for (const name of p.recipients) {
      const key = `recipient:${name}`;
      let node = sinks.get(key);
      if (node === undefined) {
        node = { id: `d${sinks.size}`, kind: 'sink', role: 'recipient', label: name, title: `recipient: ${name}` };
        sinks.set(key, node);
      }
      targets.push(node);
    }
    for (const purpose of p.purposes) {
      let node = purposes.get(purpose);
      if (node === undefined) {
        node = { id: `p${purposes.size}`, kind: 'purpose', role: 'purpose', label: purpose, title: inventory.terms.purposes[purpose] ?? purpose };
        purposes.set(purpose, node);
      }
      edge(routeNode.id, node.id);
      for (const target of targets) edge(node.id, target.id);
    }
  }

  return {
    columns: [
      { kind: 'subject', title: 'Data subjects', nodes: [...subjects.values()] },
      { kind: 'route', title: 'Routes', nodes: routes },
      { kind: 'purpose', title: 'Purposes', nodes: [...purposes.values()] },
      { kind: 'sink', title: 'Stores and recipients', nodes: [...sinks.values()] },
    ],
    edges: [...edges.values()],
  };
}

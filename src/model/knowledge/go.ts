/** What Go modules (module path) dependencies give. */
import type { KnowledgeRow } from './row.js';

const rows: readonly KnowledgeRow[] = [];

export default rows;

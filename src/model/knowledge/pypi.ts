/** What PyPI projects (normalised name: lower case, `-` for runs of `-_.`) dependencies give. */
import type { KnowledgeRow } from './row.js';

const rows: readonly KnowledgeRow[] = [];

export default rows;
